// Turns SIGINT/SIGTERM into a call on an ordinary thread, so the handler may
// lock a mutex and notify a condition variable (a signal handler may not).
// Construct it before any other thread exists: the signals are blocked in the
// constructing thread and every thread started later inherits that mask, so
// only the watcher's sigwait() ever receives them.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace tributary::cli {

class SignalWatcher {
 public:
  // `onSignal` runs on the watcher thread for the first signal. A second one
  // ends the process at once with 128 + signal: the way out if saving hangs.
  explicit SignalWatcher(std::function<void(int)> onSignal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void run();

  sigset_t signals_{};
  sigset_t previousMask_{};
  std::function<void(int)> onSignal_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tributary::cli
