#include "engine/session/UpdatePublisher.h"

#include <utility>

namespace tributary::session {

UpdatePublisher::UpdatePublisher(loop::EventLoop& loop, std::chrono::milliseconds tick,
                                 SnapshotHub& hub, SubscriberList& subscribers)
    : loop_(loop), tick_(tick), hub_(hub), subscribers_(subscribers) {}

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

  if (!needFull) {
    subscribers_.deliver(delta, nullptr);
    return;
  }
  Update full;
  full.sequence = sequence_;
  full.full = true;
  full.tasks = std::move(batch.all);
  full.removed = std::move(batch.removed);
  full.stats = batch.stats;
  subscribers_.deliver(delta, &full);
}

}  // namespace tributary::session
