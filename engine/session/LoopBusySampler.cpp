#include "engine/session/LoopBusySampler.h"

#include <algorithm>

namespace tributary::session {

LoopBusySampler::LoopBusySampler(loop::EventLoop& loop, unsigned index, unsigned loopCount,
                                 SnapshotHub& hub)
    : loop_(loop), index_(index), loopCount_(loopCount), hub_(hub) {}

void LoopBusySampler::start() {
  loop_.assertInLoopThread();
  last_ = loop_.timeSpent();
  timer_ = std::make_unique<loop::Timer>(loop_);
  timer_->start(kPeriod, kPeriod, [this] { sample(); });
}

void LoopBusySampler::stop() {
  loop_.assertInLoopThread();
  timer_.reset();
}

double LoopBusySampler::busyBetween(const loop::EventLoop::TimeSpent& before,
                                    const loop::EventLoop::TimeSpent& after) {
  if (after.elapsedNs <= before.elapsedNs) {
    return 0.0;
  }
  const auto elapsed = static_cast<double>(after.elapsedNs - before.elapsedNs);
  const auto idle =
      static_cast<double>(after.idleNs >= before.idleNs ? after.idleNs - before.idleNs : 0);
  return std::clamp(1.0 - idle / elapsed, 0.0, 1.0);
}

void LoopBusySampler::sample() {
  const loop::EventLoop::TimeSpent now = loop_.timeSpent();
  hub_.setLoopBusy(index_, loopCount_, busyBetween(last_, now));
  last_ = now;
}

}  // namespace tributary::session
