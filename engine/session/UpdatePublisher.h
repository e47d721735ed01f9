// Internal: the tick. Lives on one loop; every `tick` it takes what changed from
// the SnapshotHub and hands it to the subscribers as one Update, so the UI gets
// coalesced deltas at a fixed rate however busy the tasks are. The traffic
// history's days (about 3 KB) go only into a subscriber's first update and
// into the deltas after they changed, at most every `daysInterval` unless a
// new day began (EngineStats::trafficDaysOmitted).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/SubscriberList.h"

namespace tributary::session {

class UpdatePublisher {
 public:
  UpdatePublisher(loop::EventLoop& loop, std::chrono::milliseconds tick, SnapshotHub& hub,
                  SubscriberList& subscribers,
                  std::chrono::milliseconds daysInterval = kTrafficDaysInterval);

  // Loop thread only.
  void start();
  void stop();
  // Publishes at once instead of waiting for the tick (a new subscriber, shutdown).
  void publishNow();

 private:
  loop::EventLoop& loop_;
  std::chrono::milliseconds tick_;
  SnapshotHub& hub_;
  SubscriberList& subscribers_;
  std::unique_ptr<loop::Timer> timer_;
  std::uint64_t sequence_ = 0;

  // Whether the deltas should carry `batch`'s days; notes them as sent if so.
  bool sendDays(const SnapshotHub::Batch& batch);
  std::chrono::milliseconds daysInterval_;
  bool daysSent_ = false;
  std::uint64_t daysRevision_ = 0;  // of the days the deltas last carried
  std::int32_t daysToday_ = 0;
  std::uint64_t daysSentAtMs_ = 0;
};

}  // namespace tributary::session
