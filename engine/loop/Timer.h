// Internal: a libuv timer owned by one EventLoop. Construct, use and destroy
// it on the loop's thread. Its callback may stop, restart or destroy the Timer.
// If the loop shuts down first, the loop closes the timer; later calls are
// no-ops and destroying it is harmless on any thread.
#pragma once

#include <chrono>

#include "engine/loop/EventLoop.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::loop {

struct TimerBox;

class Timer {
 public:
  explicit Timer(EventLoop& loop);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Fires cb after `timeout`, then every `repeat` (0 = once). Replaces any
  // earlier schedule and callback. Times are measured from now, not from the
  // loop's cached time.
  void start(std::chrono::milliseconds timeout, std::chrono::milliseconds repeat,
             util::UniqueFunction<void()> cb);
  // Cancels; the callback is destroyed (at once, or when it returns if it is running).
  void stop();
  bool active() const;

  EventLoop& loop() const { return loop_; }

 private:
  EventLoop& loop_;
  TimerBox* box_;  // freed by whoever finishes last: this Timer or the handle's close
};

}  // namespace tributary::loop
