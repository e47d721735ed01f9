#include "engine/session/SubscriberList.h"

#include <algorithm>
#include <utility>

namespace tributary::session {

SubscriptionId SubscriberList::add(UpdateCallback onUpdate, EventCallback onEvent) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->onUpdate = std::move(onUpdate);
  subscriber->onEvent = std::move(onEvent);
  util::LockGuard lock(mutex_);
  subscriber->id = nextId_++;
  subscribers_.push_back(subscriber);
  waitingForFull_.fetch_add(1);
  return subscriber->id;
}

void SubscriberList::remove(SubscriptionId id) {
  std::shared_ptr<Subscriber> gone;
  {
    util::LockGuard lock(mutex_);
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [id](const auto& s) { return s->id == id; });
    if (it == subscribers_.end()) {
      return;
    }
    gone = *it;
    subscribers_.erase(it);
  }
  gone->removed.store(true);
  // Wait for a callback in progress on another thread; from inside the
  // callback itself, waiting would deadlock, and the flag already stops the next one.
  std::unique_lock wait(gone->callMutex, std::defer_lock);
  if (gone->callingThread.load() != std::this_thread::get_id()) {
    wait.lock();
  }
  if (!gone->hadFull) {
    waitingForFull_.fetch_sub(1);
  }
}

bool SubscriberList::anyNeedsFull() const {
  return waitingForFull_.load() > 0;
}

std::vector<std::shared_ptr<SubscriberList::Subscriber>> SubscriberList::snapshot() const {
  util::LockGuard lock(mutex_);
  return subscribers_;
}

void SubscriberList::deliver(const Update& delta, const Update* full) {
  for (const auto& subscriber : snapshot()) {
    std::lock_guard call(subscriber->callMutex);
    if (subscriber->removed.load()) {
      continue;
    }
    const bool wantsFull = !subscriber->hadFull;
    if (wantsFull && full == nullptr) {
      continue;  // it gets its full update at the next tick
    }
    if (wantsFull) {
      subscriber->hadFull = true;
      waitingForFull_.fetch_sub(1);
    }
    if (subscriber->onUpdate) {
      subscriber->callingThread.store(std::this_thread::get_id());
      subscriber->onUpdate(wantsFull ? *full : delta);
      subscriber->callingThread.store(std::thread::id{});
    }
  }
}

void SubscriberList::deliver(const Event& event) {
  for (const auto& subscriber : snapshot()) {
    std::lock_guard call(subscriber->callMutex);
    if (subscriber->removed.load() || !subscriber->onEvent) {
      continue;
    }
    subscriber->callingThread.store(std::this_thread::get_id());
    subscriber->onEvent(event);
    subscriber->callingThread.store(std::thread::id{});
  }
}

}  // namespace tributary::session
