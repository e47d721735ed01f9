// Internal: a token bucket for one rate limit (bytes/s). The clock is the caller's:
// every call that needs the time takes a steady_clock::time_point, and nothing here
// reads a clock, so tests drive it with simulated time and a loop passes its cached
// "now". Not thread-safe: one owner (see SharedTokenBucket for the global limit).
//
// Usage by a connection:
//   n = bucket.quota(now, bufferSize);   // 0: pause reading,
//                                        // re-arm after delayUntilAvailable(now, chunk)
//   ... read at most n bytes ...
//   bucket.consume(bytesRead);
//
// consume() may take more than quota() allowed (a read that was already in flight):
// the bucket then goes into debt, which later refills pay off before anything more is
// granted, so the long-run rate stays exact. Refill keeps the sub-byte remainder, so
// it does not drift however often it is called.
#pragma once

#include <chrono>
#include <cstdint>

namespace tributary::net {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  static constexpr std::uint64_t kUnlimited = 0;
  static constexpr std::uint64_t kMinBurst = 16 * 1024;
  // A burst of 100 ms of traffic, and at least kMinBurst so a slow limit still
  // allows reads of a useful size.
  static std::uint64_t defaultBurst(std::uint64_t rate) noexcept;

  // rate in bytes/s (0 = unlimited); burst 0 = defaultBurst(rate). The bucket starts
  // full, and its time starts at the first call that passes one.
  explicit TokenBucket(std::uint64_t rate = kUnlimited, std::uint64_t burst = 0);

  // Takes effect at once: time up to `now` is credited at the old rate, from `now` on
  // at the new one. Debt carries over; tokens above the new burst are dropped.
  void setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst = 0);
  std::uint64_t rate() const noexcept { return rate_; }
  std::uint64_t burst() const noexcept { return burst_; }
  bool unlimited() const noexcept { return rate_ == kUnlimited; }

  // Bytes that may be read now, at most `wanted`.
  std::uint64_t quota(TimePoint now, std::uint64_t wanted);
  void consume(std::uint64_t bytes) noexcept;
  // Tokens now; negative while in debt. Meaningless when unlimited.
  std::int64_t tokens(TimePoint now);

  // How long until quota() can grant min(wanted, burst) bytes (at least 1); zero when
  // it can now. A libuv timer has millisecond resolution: round up, not down, or the
  // connection wakes early to a quota of 0.
  std::chrono::nanoseconds delayUntilAvailable(TimePoint now, std::uint64_t wanted = 1);
  // How long the refill takes to credit `bytes` more tokens from the last time seen,
  // ignoring the burst cap (SharedTokenBucket forecasts a queue of waiters with it).
  std::chrono::nanoseconds timeToEarn(std::uint64_t bytes) const noexcept;
  // Gives back tokens taken but not used, up to the burst.
  void refund(std::uint64_t bytes) noexcept;

 private:
  // rate × nanoseconds overflows 64 bits after a few seconds at gigabit rates.
  __extension__ using Wide = __int128;

  void refill(TimePoint now);
  std::chrono::nanoseconds creditTime(Wide bytes) const noexcept;

  std::uint64_t rate_ = kUnlimited;
  std::uint64_t burst_ = 0;
  std::int64_t tokens_ = 0;
  std::uint64_t carry_ = 0;  // credit below one byte, in units of 1e-9 byte
  TimePoint last_{};
  bool hasTime_ = false;
};

}  // namespace tributary::net
