// Internal: which time the traffic history files bytes under. The system
// clock decides the day, but a sudden jump of it is not believed at once: a
// clock set a year ahead by mistake would put the bytes into a far day and,
// through pruning, wipe the real history.
//
// A jump is told from real time passing by a second clock that never jumps
// and keeps counting while the machine sleeps (CLOCK_BOOTTIME on Linux), so a
// laptop waking up the next morning counts into the new day at once. After a
// jump the time the boot clock vouches for is used, until the system clock
// has agreed with itself for kSettle: then the new time is taken (the clock
// was set right, by NTP or the user). Between runs nothing links the two
// clocks, so a restart trusts the system clock and waits kSettle before
// pruning anything by it (settled()).
#pragma once

#include <cstdint>

namespace tributary::session {

class TrafficDayClock {
 public:
  struct Sample {
    std::int64_t wallUnix = 0;  // the system clock, seconds since 1970
    std::int64_t bootMs = 0;    // the boot clock
  };
  static Sample now();

  // The Unix time to file bytes under at `sample`. Samples come in boot-clock order.
  std::int64_t trustedUnix(Sample sample);
  // The system clock has agreed with the boot clock for at least kSettle up
  // to the last sample: safe to prune old days by it.
  bool settled() const;

  // Drift the system clock may show against the boot clock without counting
  // as a jump (NTP slews, a late sample).
  static constexpr std::int64_t kSlackSeconds = 600;
  static constexpr std::int64_t kSettleMs = 3'600'000;

 private:
  struct Anchor {
    std::int64_t wallUnix = 0;
    std::int64_t bootMs = 0;
    std::int64_t projected(std::int64_t bootMs) const;
  };
  static bool agrees(const Anchor& anchor, Sample sample);

  bool anchored_ = false;
  Anchor trusted_;  // the time believed, carried on by the boot clock
  std::int64_t agreeingSinceMs_ = 0;
  bool jumped_ = false;  // the system clock disagrees with trusted_
  Anchor candidate_;     // after a jump: the system clock's new time
  std::int64_t lastBootMs_ = 0;
};

}  // namespace tributary::session
