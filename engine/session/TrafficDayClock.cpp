#include "engine/session/TrafficDayClock.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "engine/util/Log.h"

namespace tributary::session {

TrafficDayClock::Sample TrafficDayClock::now() {
  Sample sample;
  sample.wallUnix = static_cast<std::int64_t>(std::time(nullptr));
#if defined(__linux__)
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  sample.bootMs = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
#else
  // Elsewhere the steady clock may stop during sleep: waking up then looks
  // like a jump ahead, which is believed after kSettle.
  sample.bootMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
#endif
  return sample;
}

std::int64_t TrafficDayClock::Anchor::projected(std::int64_t boot) const {
  return wallUnix + (boot - bootMs) / 1000;
}

bool TrafficDayClock::agrees(const Anchor& anchor, Sample sample) {
  return std::llabs(sample.wallUnix - anchor.projected(sample.bootMs)) <= kSlackSeconds;
}

std::int64_t TrafficDayClock::trustedUnix(Sample sample) {
  lastBootMs_ = sample.bootMs;
  if (!anchored_) {
    anchored_ = true;
    trusted_ = Anchor{sample.wallUnix, sample.bootMs};
    agreeingSinceMs_ = sample.bootMs;
    return sample.wallUnix;
  }
  if (agrees(trusted_, sample)) {
    // Re-anchored each time, so slow drift never adds up to a "jump".
    trusted_ = Anchor{sample.wallUnix, sample.bootMs};
    if (jumped_) {
      jumped_ = false;  // it came back
      agreeingSinceMs_ = sample.bootMs;
    }
    return sample.wallUnix;
  }
  if (!jumped_ || !agrees(candidate_, sample)) {
    TLOG(Warning, "session") << "the system clock jumped by "
                             << (sample.wallUnix - trusted_.projected(sample.bootMs))
                             << " s; traffic stays on the time it had for now";
    jumped_ = true;
    candidate_ = Anchor{sample.wallUnix, sample.bootMs};
  } else if (sample.bootMs - candidate_.bootMs >= kSettleMs) {
    TLOG(Info, "session") << "the system clock's new time held for an hour; traffic follows it";
    jumped_ = false;
    trusted_ = Anchor{sample.wallUnix, sample.bootMs};
    agreeingSinceMs_ = candidate_.bootMs;
    return sample.wallUnix;
  }
  return trusted_.projected(sample.bootMs);
}

bool TrafficDayClock::settled() const {
  return anchored_ && !jumped_ && lastBootMs_ - agreeingSinceMs_ >= kSettleMs;
}

}  // namespace tributary::session
