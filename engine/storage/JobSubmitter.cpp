#include "engine/storage/JobSubmitter.h"

#include <algorithm>

namespace tributary::storage {

JobSubmitter::JobSubmitter(loop::EventLoop& loop, loop::WorkerPool& pool)
    : loop_(loop), pool_(pool), timer_(loop) {}

void JobSubmitter::defer(Attempt attempt) {
  deferred_.push_back(std::move(attempt));
  if (!timer_.active()) {
    backoff_ = kFirstRetry;
    // The timer is a member, so its callback dies with this object: `this` is safe here.
    timer_.start(backoff_, std::chrono::milliseconds(0), [this] { retry(); });
  }
}

void JobSubmitter::retry() {
  while (!deferred_.empty()) {
    if (!deferred_.front()()) {
      // Still full (or stopping): back off, so a stuck pool costs little CPU.
      backoff_ = std::min(backoff_ * 2, kMaxRetry);
      timer_.start(backoff_, std::chrono::milliseconds(0), [this] { retry(); });
      return;
    }
    deferred_.pop_front();
  }
}

}  // namespace tributary::storage
