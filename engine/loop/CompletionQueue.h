// Internal: results from other threads (disk and hash workers) to one loop,
// with at most one drain message in flight (libtorrent's
// disk_completed_queue idea): a burst of 1,000 completions costs the loop one
// post and one wake-up, not 1,000.
#pragma once

#include <memory>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::loop {

class CompletionQueue : public std::enable_shared_from_this<CompletionQueue> {
 public:
  // Held by shared_ptr: the drain message keeps the queue alive, never a raw this.
  static std::shared_ptr<CompletionQueue> create(EventLoop& loop);

  // Any thread. Runs fn on the loop thread, in push order. If the loop has
  // stopped, fn is destroyed without running (with everything queued).
  void push(Closure fn);

  EventLoop& loop() const { return loop_; }

 private:
  class DrainMessage;

  explicit CompletionQueue(EventLoop& loop) : loop_(loop) {}
  void drain();
  void discard();  // the drain message died unrun: the loop has stopped

  EventLoop& loop_;
  util::Mutex mutex_;
  std::vector<Closure> items_ GUARDED_BY(mutex_);
  bool drainPosted_ GUARDED_BY(mutex_) = false;
};

}  // namespace tributary::loop
