#include "engine/loop/CompletionQueue.h"

#include <utility>

namespace tributary::loop {

// Runs the drain; if the loop destroys it unrun (it has stopped), drops what
// is queued, so nothing waits forever for a drain that never comes.
class CompletionQueue::DrainMessage {
 public:
  explicit DrainMessage(std::shared_ptr<CompletionQueue> queue) : queue_(std::move(queue)) {}
  DrainMessage(DrainMessage&& other) noexcept : queue_(std::move(other.queue_)) {}
  DrainMessage(const DrainMessage&) = delete;
  DrainMessage& operator=(const DrainMessage&) = delete;
  DrainMessage& operator=(DrainMessage&&) = delete;
  ~DrainMessage() {
    if (queue_ != nullptr) {
      queue_->discard();
    }
  }
  void operator()() { std::exchange(queue_, nullptr)->drain(); }

 private:
  std::shared_ptr<CompletionQueue> queue_;
};

std::shared_ptr<CompletionQueue> CompletionQueue::create(EventLoop& loop) {
  return std::shared_ptr<CompletionQueue>(new CompletionQueue(loop));
}

void CompletionQueue::push(Closure fn) {
  bool postDrain = false;
  {
    util::LockGuard lock(mutex_);
    items_.push_back(std::move(fn));
    postDrain = !drainPosted_;
    drainPosted_ = true;
  }
  if (postDrain) {
    loop_.post(DrainMessage(shared_from_this()));
  }
}

void CompletionQueue::drain() {
  loop_.assertInLoopThread();
  std::vector<Closure> batch;
  {
    util::LockGuard lock(mutex_);
    batch.swap(items_);
    // Cleared before running, so a push made while we run posts a new drain.
    drainPosted_ = false;
  }
  for (Closure& fn : batch) {
    fn();
    fn = nullptr;  // release what it captured now, in run order
  }
}

void CompletionQueue::discard() {
  std::vector<Closure> dropped;
  {
    util::LockGuard lock(mutex_);
    dropped.swap(items_);
    drainPosted_ = false;
  }
}

}  // namespace tributary::loop
