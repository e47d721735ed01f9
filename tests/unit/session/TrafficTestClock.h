// What the traffic-history tests share (tst_traffic_days, tst_traffic_days_publish,
// and tst_clock_jump in tests/unit/faults): a clock the test moves, its
// system clock and boot clock apart, behind a SnapshotHub; a snapshot that
// carries only traffic; and the bytes one day of the history holds.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/api/Types.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/TrafficDayClock.h"

namespace tributary::test {

struct FakeTrafficClock {
  session::TrafficDayClock::Sample now{1'750'000'000, 5'000'000};
  // Real time passing: both clocks move together.
  void pass(std::int64_t seconds) {
    now.wallUnix += seconds;
    now.bootMs += seconds * 1000;
  }
};

// A FakeTrafficClock that `hub` files traffic by from now on.
inline std::shared_ptr<FakeTrafficClock> useFakeClock(session::SnapshotHub& hub) {
  auto clock = std::make_shared<FakeTrafficClock>();
  hub.setTrafficClock([clock] { return clock->now; });
  return clock;
}

inline TaskSnapshot withTraffic(TaskId id, TrafficCounters traffic) {
  TaskSnapshot s;
  s.id = id;
  s.traffic = traffic;
  return s;
}

// Every byte of `day`, down and up; 0 when the history has no such day.
inline std::uint64_t bytesOn(const EngineStats& stats, std::int32_t day) {
  for (const TrafficDay& d : stats.trafficDays) {
    if (d.day == day) {
      return d.bytes.downloaded() + d.bytes.shared;
    }
  }
  return 0;
}

}  // namespace tributary::test
