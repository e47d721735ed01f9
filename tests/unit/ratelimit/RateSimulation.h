// Test helper: readers that pull bytes through a rate limit on a simulated clock, the
// way a connection does on its loop (quota, read, consume; or pause and set a timer),
// so the limits can be measured over 10 simulated seconds in a few milliseconds.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

namespace tributary::net::test {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// Any time point will do as the origin: nothing reads a real clock.
inline TimePoint origin() {
  return TimePoint{} + std::chrono::hours(1);
}

constexpr std::uint64_t kReadSize = 64 * 1024;  // one socket read
constexpr std::uint64_t kWakeChunk = 16 * 1024;
constexpr milliseconds kReadInterval{1};  // the network delivers faster than any limit here

struct SimReader {
  std::function<std::uint64_t(TimePoint, std::uint64_t)> quota;
  std::function<void(std::uint64_t)> consume;
  std::function<nanoseconds(TimePoint, std::uint64_t)> delay;
  std::uint64_t granted = 0;  // bytes read before the end of the run
  TimePoint wake{};
};

template <class Limiter>
SimReader readerOf(Limiter& limiter) {
  SimReader r;
  r.quota = [&limiter](TimePoint now, std::uint64_t wanted) { return limiter.quota(now, wanted); };
  r.consume = [&limiter](std::uint64_t n) { limiter.consume(n); };
  r.delay = [&limiter](TimePoint now, std::uint64_t wanted) {
    return limiter.delayUntilAvailable(now, wanted);
  };
  return r;
}

// Runs the readers from `start` until `end`, earliest wake first (ties in order, so
// the run is deterministic). A paused reader sleeps like a libuv timer: whole
// milliseconds, rounded up. `onTick` runs before each wake-up (to change rates).
inline void runReaders(std::vector<SimReader*> readers, TimePoint start, TimePoint end,
                       const std::function<void(TimePoint)>& onTick = {}) {
  for (SimReader* r : readers) {
    r->wake = start;
  }
  // Bounded: every wake-up moves a reader at least 1 ms on.
  const auto maxSteps = static_cast<long long>(readers.size()) *
                        (std::chrono::duration_cast<milliseconds>(end - start).count() + 1);
  for (long long step = 0; step < maxSteps; ++step) {
    SimReader* next = *std::min_element(readers.begin(), readers.end(),
                                        [](auto* a, auto* b) { return a->wake < b->wake; });
    const TimePoint now = next->wake;
    if (now >= end) {
      return;
    }
    if (onTick) {
      onTick(now);
    }
    const std::uint64_t n = next->quota(now, kReadSize);
    if (n > 0) {
      next->consume(n);
      next->granted += n;
      next->wake = now + kReadInterval;
    } else {
      const nanoseconds d = next->delay(now, kWakeChunk);
      const auto ms = std::max<long long>(1, (d.count() + 999'999) / 1'000'000);
      next->wake = now + milliseconds(ms);
    }
  }
}

}  // namespace tributary::net::test
