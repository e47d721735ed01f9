// Internal: once a second, on its own loop, turns the loop's idle/elapsed
// counters into the busy fraction of that second and leaves it in the
// SnapshotHub (EngineStats::loopBusy), so a UI or the CLI can see a loop
// thread that is close to saturated. One per loop; made before the loops
// start, started and stopped on its loop.
#pragma once

#include <chrono>
#include <memory>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/session/SnapshotHub.h"

namespace tributary::session {

class LoopBusySampler {
 public:
  static constexpr std::chrono::milliseconds kPeriod{1000};

  LoopBusySampler(loop::EventLoop& loop, unsigned index, unsigned loopCount, SnapshotHub& hub);

  // Loop thread only.
  void start();
  void stop();

  // 1 - dIdle/dElapsed, clamped to 0..1; 0 when no time passed. Pure, for tests.
  static double busyBetween(const loop::EventLoop::TimeSpent& before,
                            const loop::EventLoop::TimeSpent& after);

 private:
  void sample();

  loop::EventLoop& loop_;
  const unsigned index_;
  const unsigned loopCount_;
  SnapshotHub& hub_;
  std::unique_ptr<loop::Timer> timer_;
  loop::EventLoop::TimeSpent last_;
};

}  // namespace tributary::session
