#include "app/cli/SignalWatcher.h"

#include <pthread.h>

#include <cstdlib>
#include <utility>

namespace tributary::cli {

SignalWatcher::SignalWatcher(std::function<void(int)> onSignal) : onSignal_(std::move(onSignal)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previousMask_);
  thread_ = std::thread([this] { run(); });
}

SignalWatcher::~SignalWatcher() {
  stopping_.store(true);
  // Wakes sigwait(); the signal is blocked everywhere, so it only reaches the watcher.
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previousMask_, nullptr);
}

void SignalWatcher::run() {
  bool handled = false;
  for (;;) {
    int signal = 0;
    if (sigwait(&signals_, &signal) != 0) {
      continue;
    }
    if (stopping_.load()) {
      return;
    }
    if (handled) {
      std::_Exit(128 + signal);
    }
    handled = true;
    onSignal_(signal);
  }
}

}  // namespace tributary::cli
