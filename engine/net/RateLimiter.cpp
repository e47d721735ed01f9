#include "engine/net/RateLimiter.h"

#include <algorithm>
#include <utility>

namespace tributary::net {

RateLimiter::RateLimiter(std::shared_ptr<SharedTokenBucket> global, std::uint64_t rate,
                         std::uint64_t burst)
    : task_(rate, burst), global_(std::move(global)) {
  if (global_) {
    client_ = global_->addClient();
  }
}

RateLimiter::~RateLimiter() {
  if (global_) {
    global_->removeClient(client_);
  }
}

void RateLimiter::setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst) {
  task_.setRate(now, rate, burst);
}

std::uint64_t RateLimiter::quota(TimePoint now, std::uint64_t wanted) {
  // The task's bucket first: when it says no, the global lock is not taken at all.
  std::uint64_t allowed = task_.quota(now, wanted);
  if (allowed > 0 && global_) {
    allowed = global_->quota(client_, now, allowed);
  }
  return allowed;
}

void RateLimiter::consume(std::uint64_t bytes) {
  task_.consume(bytes);
  if (global_) {
    global_->consume(client_, bytes);
  }
}

std::chrono::nanoseconds RateLimiter::delayUntilAvailable(TimePoint now, std::uint64_t wanted) {
  std::chrono::nanoseconds delay = task_.delayUntilAvailable(now, wanted);
  if (global_) {
    delay = std::max(delay, global_->delayUntilAvailable(client_, now, wanted));
  }
  return delay;
}

}  // namespace tributary::net
