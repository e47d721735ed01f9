// Where engine callbacks (engine threads) and signals (the signal thread) leave
// their news for the main thread, which sleeps on a condition variable until
// something arrives. The main thread is not a loop thread, so waiting is fine.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "engine/api/Types.h"

namespace tributary::cli {

class EngineInbox {
 public:
  struct Batch {
    std::vector<Update> updates;
    std::vector<Event> events;
    int signal = 0;  // the first SIGINT/SIGTERM received, 0 = none
  };

  void pushUpdate(const Update& update);
  void pushEvent(const Event& event);
  void pushSignal(int signal);

  // Takes everything that arrived; waits for something first, at most until `deadline`.
  Batch take(std::chrono::steady_clock::time_point deadline);

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  Batch pending_;  // guarded by mutex_
};

}  // namespace tributary::cli
