// Internal: the engine's N loop threads. A task and all its connections live
// on one loop (forKey(taskId)), so task state needs no locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/loop/EventLoop.h"

namespace tributary::loop {

class LoopPool {
 public:
  // count 0 = hardware threads, at least 2. Loops are named "<prefix>-<i>".
  explicit LoopPool(unsigned count, const std::string& namePrefix = "loop");
  ~LoopPool();  // stops the loops if they run
  LoopPool(const LoopPool&) = delete;
  LoopPool& operator=(const LoopPool&) = delete;

  void start();
  // Stops the loops one after another, in index order.
  // Returns 0 if every loop closed cleanly, else the first non-zero uv_loop_close result.
  int stop();

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  EventLoop& loop(unsigned i) { return *loops_.at(i); }
  // Stable pinning: the same key always gets the same loop (keys are mixed
  // first, so ids that share a stride still spread evenly).
  EventLoop& forKey(std::uint64_t key) { return *loops_[indexForKey(key)]; }
  unsigned indexForKey(std::uint64_t key) const;
  // Round robin, from any thread.
  EventLoop& next();

  static unsigned defaultCount();

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::atomic<unsigned> next_{0};
};

}  // namespace tributary::loop
