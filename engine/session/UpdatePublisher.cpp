#include "engine/session/UpdatePublisher.h"

#include <utility>

namespace tributary::session {

UpdatePublisher::UpdatePublisher(loop::EventLoop& loop, std::chrono::milliseconds tick,
                                 SnapshotHub& hub, SubscriberList& subscribers,
                                 std::chrono::milliseconds daysInterval)
    : loop_(loop), tick_(tick), hub_(hub), subscribers_(subscribers), daysInterval_(daysInterval) {}

void UpdatePublisher::start() {
  loop_.assertInLoopThread();
  timer_ = std::make_unique<loop::Timer>(loop_);
  timer_->start(tick_, tick_, [this] { publishNow(); });
}

void UpdatePublisher::stop() {
  loop_.assertInLoopThread();
  timer_.reset();
}

void UpdatePublisher::publishNow() {
  loop_.assertInLoopThread();
  const bool needFull = subscribers_.anyNeedsFull();
  SnapshotHub::Batch batch = hub_.take(needFull);
  ++sequence_;

  Update delta;
  delta.sequence = sequence_;
  delta.tasks = std::move(batch.changed);
  delta.removed = batch.removed;
  delta.stats = batch.stats;
  if (!sendDays(batch)) {
    delta.stats.trafficDays.clear();
    delta.stats.trafficDaysOmitted = true;
  }

  if (!needFull) {
    subscribers_.deliver(delta, nullptr);
    return;
  }
  Update full;
  full.sequence = sequence_;
  full.full = true;
  full.tasks = std::move(batch.all);
  full.removed = std::move(batch.removed);
  full.stats = std::move(batch.stats);  // with the days: a new subscriber has none yet
  subscribers_.deliver(delta, &full);
}

bool UpdatePublisher::sendDays(const SnapshotHub::Batch& batch) {
  const std::uint64_t now = loop_.nowMs();
  const bool newDay = batch.stats.trafficToday != daysToday_;
  const bool moved = batch.trafficRevision != daysRevision_;
  // A busy engine changes today's bytes every tick: those wait out the
  // interval. A new day is sent at once, or the chart would show yesterday
  // as today for up to the interval.
  const bool due =
      !daysSent_ || newDay ||
      (moved && now - daysSentAtMs_ >= static_cast<std::uint64_t>(daysInterval_.count()));
  if (!due) {
    return false;
  }
  daysSent_ = true;
  daysRevision_ = batch.trafficRevision;
  daysToday_ = batch.stats.trafficToday;
  daysSentAtMs_ = now;
  return true;
}

}  // namespace tributary::session
