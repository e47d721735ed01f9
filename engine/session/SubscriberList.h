// Internal: the engine's subscribers. Callbacks run on engine threads; each
// subscriber has its own mutex so unsubscribe() can wait for a callback that is
// already running (and only for that one), and never calls it afterwards.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class SubscriberList {
 public:
  SubscriptionId add(UpdateCallback onUpdate, EventCallback onEvent);
  void remove(SubscriptionId id);

  // Whether some subscriber has not had its first (full) update yet.
  bool anyNeedsFull() const;

  // Delivers `delta` to subscribers that had their full update and `full` to
  // those that did not (then marks them served). `full` may be null when no
  // subscriber needs it.
  void deliver(const Update& delta, const Update* full);
  void deliver(const Event& event);

 private:
  struct Subscriber {
    SubscriptionId id = 0;
    UpdateCallback onUpdate;
    EventCallback onEvent;
    bool hadFull = false;  // touched only by the publishing thread, under callMutex
    std::mutex callMutex;  // held while a callback runs
    std::atomic<std::thread::id> callingThread{};
    std::atomic<bool> removed{false};
  };
  std::vector<std::shared_ptr<Subscriber>> snapshot() const;

  mutable util::Mutex mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_ GUARDED_BY(mutex_);
  SubscriptionId nextId_ GUARDED_BY(mutex_) = 1;
  std::atomic<std::size_t> waitingForFull_{0};
};

}  // namespace tributary::session
