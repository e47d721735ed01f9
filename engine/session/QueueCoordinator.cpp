#include "engine/session/QueueCoordinator.h"

#include <utility>

namespace tributary::session {

QueueCoordinator::QueueCoordinator(unsigned maxActive, loop::LoopPool& loops,
                                   const std::vector<std::unique_ptr<TaskHost>>& hosts,
                                   std::function<void()> published)
    : loops_(loops), hosts_(hosts), published_(std::move(published)), queue_(maxActive) {}

void QueueCoordinator::add(TaskId id, bool paused) {
  util::LockGuard lock(mutex_);
  queue_.reserve(id, paused);
  scheduleLocked();
}

void QueueCoordinator::created(TaskId id) {
  util::LockGuard lock(mutex_);
  if (queue_.created(id)) {
    scheduleLocked();
  }
}

void QueueCoordinator::remove(TaskId id) {
  util::LockGuard lock(mutex_);
  if (queue_.remove(id)) {
    scheduleLocked();
  }
}

void QueueCoordinator::pause(TaskId id) {
  util::LockGuard lock(mutex_);
  if (queue_.pause(id)) {
    scheduleLocked();
  }
}

void QueueCoordinator::resume(TaskId id) {
  util::LockGuard lock(mutex_);
  if (queue_.resume(id)) {
    scheduleLocked();
  }
}

void QueueCoordinator::pauseAll() {
  util::LockGuard lock(mutex_);
  queue_.pauseAll();
  scheduleLocked();
}

void QueueCoordinator::resumeAll() {
  util::LockGuard lock(mutex_);
  queue_.resumeAll();
  scheduleLocked();
}

void QueueCoordinator::observe(TaskId id, TaskState state) {
  if (state == TaskState::Paused || state == TaskState::Queued) {
    return;  // DownloadQueue::observe ignores them; spare the lock
  }
  util::LockGuard lock(mutex_);
  queue_.observe(id, state);
  scheduleLocked();
}

void QueueCoordinator::setMaxActive(unsigned maxActive) {
  util::LockGuard lock(mutex_);
  queue_.setMaxActive(maxActive);
  scheduleLocked();
}

void QueueCoordinator::move(TaskId id, QueueMove move) {
  util::LockGuard lock(mutex_);
  if (queue_.move(id, move)) {
    scheduleLocked();
  }
}

void QueueCoordinator::close() {
  util::LockGuard lock(mutex_);
  closed_ = true;
}

void QueueCoordinator::scheduleLocked() {
  if (pending_ || closed_) {
    return;
  }
  pending_ = true;
  // Captures `this`: the engine stops the loops before destroying us, and a
  // closure posted after that is destroyed without running.
  loops_.loop(0).post([this] { reconcile(); });
}

void QueueCoordinator::reconcile() {
  util::LockGuard lock(mutex_);
  pending_ = false;  // first: a change from here on needs a new pass
  if (closed_) {
    return;
  }
  std::vector<DownloadQueue::Change> changes = queue_.reconcile();
  if (changes.empty()) {
    return;
  }
  std::vector<std::vector<DownloadQueue::Change>> byLoop(loops_.size());
  for (const DownloadQueue::Change& change : changes) {
    byLoop[loops_.indexForKey(change.id)].push_back(change);
  }
  for (unsigned i = 0; i < byLoop.size(); ++i) {
    if (byLoop[i].empty()) {
      continue;
    }
    TaskHost* host = hosts_[i].get();
    loops_.loop(i).post([host, batch = std::move(byLoop[i]), published = published_] {
      host->applyQueue(batch);
      published();
    });
  }
}

}  // namespace tributary::session
