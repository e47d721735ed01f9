// Internal: one libuv loop on its own thread ("one loop per thread").
// Other threads talk to a loop only by post()ing closures; everything a loop
// owns (timers, sockets, tasks) is touched on that loop's thread alone, which
// assertInLoopThread() checks in debug builds.
//
// The cross-thread queue is a mutex-guarded vector that the loop swaps out
// under the lock and runs outside it, in front of one uv_async_t
// (uv_async_send coalesces wake-ups).
#pragma once

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "engine/util/ThreadAnnotations.h"
#include "engine/util/UniqueFunction.h"

struct uv_loop_s;

namespace tributary::loop {

using Closure = util::UniqueFunction<void()>;

class EventLoop {
 public:
  explicit EventLoop(std::string name);
  ~EventLoop();  // stops the loop if it runs; must not run on the loop's own thread
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Spawns the thread and returns once the loop runs. Once only: a stopped loop stays stopped.
  void start();

  // From any thread but the loop's own. On the loop thread it runs what was
  // posted before the call, then the shutdown hooks in order, then closes every
  // remaining handle and lets uv_run return; then it joins the thread.
  // Returns uv_loop_close()'s result (0 = every handle was closed). Idempotent:
  // later and concurrent calls wait for the first and return the same value.
  int stop();
  // uv_loop_close()'s result once stop() has finished, else 0.
  int closeResult() const;

  // Any thread. Closures run on the loop thread in the order each thread posted
  // them. Closures posted after stop() began are destroyed without running (on
  // the loop thread while it lives, else on the caller's thread). Posted
  // before start(), they run once the loop starts.
  void post(Closure fn);

  // Loop thread only. Run in order by stop(), before handles are closed: the
  // place to close sockets gracefully and save state.
  void addShutdownHook(Closure fn);

  bool isInLoopThread() const { return current() == this; }
  void assertInLoopThread() const {
#if TRIBUTARY_DEBUG_CHECKS
    if (!isInLoopThread()) {
      abortNotInLoopThread();
    }
#endif
  }

  const std::string& name() const {
    return name_;
  }
  // Unique in the process, never reused (addresses can be).
  std::uint64_t id() const {
    return id_;
  }
  // The loop's cached monotonic time in ms (uv_now). Loop thread only.
  std::uint64_t nowMs() const;

  // How long the loop thread waited in libuv's poll for I/O (idle) out of the
  // time since the loop started, both cumulative in ns. Two readings give the
  // busy fraction between them: 1 - dIdle / dElapsed. Loop thread only; cheap
  // (libuv keeps the idle sum as it polls, so this reads two clocks).
  struct TimeSpent {
    std::uint64_t idleNs = 0;
    std::uint64_t elapsedNs = 0;
  };
  TimeSpent timeSpent() const;
  // The loop whose thread is the calling thread, or nullptr.
  static EventLoop* current();

  // engine/loop internals only.
  uv_loop_s* uvLoop();
  bool isClosed() const;  // uv_loop_close has run (the loop thread is gone)

 private:
  struct UvState;
  enum class Phase : std::uint8_t { Created, Running, Stopping, Finished };

  void threadMain(void* startSignal);
  void finishThread();
  void onWakeUp();
  void runShutdown();
  void closeAllHandles();
  [[noreturn]] void abortNotInLoopThread() const;

  const std::string name_;
  const std::uint64_t id_;
  UvState* uv_ = nullptr;  // allocated and freed in EventLoop.cpp, where <uv.h> is known
  std::thread thread_;

  mutable util::Mutex mutex_;
  std::vector<Closure> pending_ GUARDED_BY(mutex_);
  std::vector<Closure> preStop_ GUARDED_BY(mutex_);  // posted before stop(): still run
  Phase phase_ GUARDED_BY(mutex_) = Phase::Created;
  bool asyncReady_ GUARDED_BY(mutex_) = false;  // uv_async_send may be called
  bool closed_ GUARDED_BY(mutex_) = false;
  int closeResult_ GUARDED_BY(mutex_) = 0;

  util::Mutex lifecycleMutex_;  // serialises start() and stop()

  // Loop thread only.
  std::uint64_t startedNs_ = 0;  // uv_hrtime() when the loop began to run
  std::vector<Closure> running_;
  std::vector<Closure> shutdownHooks_;
  bool shutdownStarted_ = false;
};

// Process-wide and idempotent: a peer closing a socket must not kill us with
// SIGPIPE; writes report EPIPE instead. A no-op on Windows.
void ignoreSigpipe();

}  // namespace tributary::loop
