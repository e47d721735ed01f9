#include "engine/session/TaskHost.h"

#include <vector>

#include "engine/util/Log.h"

namespace tributary::session {

TaskHost::TaskHost(loop::EventLoop& loop, SnapshotHub& hub, std::chrono::milliseconds tick)
    : loop_(loop), hub_(hub), tick_(tick) {}

TaskHost::~TaskHost() = default;

void TaskHost::start() {
  loop_.assertInLoopThread();
  timer_ = std::make_unique<loop::Timer>(loop_);
  resolver_ = std::make_unique<loop::Resolver>(loop_);
  httpGetter_ = std::make_unique<http::HttpGetterImpl>(loop_, *resolver_, nullptr);
  timer_->start(tick_, tick_, [this] { publishChanged(); });
}

void TaskHost::setTlsContext(std::shared_ptr<net::TlsContext> tls) {
  loop_.assertInLoopThread();
  if (httpGetter_) {
    httpGetter_->setTlsContext(std::move(tls));
  }
}

void TaskHost::add(TaskId id, std::unique_ptr<core::Task> task, bool startPaused) {
  loop_.assertInLoopThread();
  Entry& entry = tasks_[id];
  entry.task = std::move(task);
  entry.queued = !startPaused;  // until the queue's first verdict, a moment later
  // Published at once, so the task shows up before the next tick.
  publish(id, entry);
}

core::Task* TaskHost::find(TaskId id) {
  auto it = tasks_.find(id);
  if (it == tasks_.end() || it->second.removing) {
    return nullptr;
  }
  return it->second.task.get();
}

bool TaskHost::pause(TaskId id) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  // At once, not after the queue's verdict: pause must feel instant. The
  // queue was told first, so no later verdict undoes it.
  Entry& entry = tasks_.at(id);
  task->pause();
  entry.running = false;
  entry.queued = false;
  publish(id, entry);  // the state change shows within one post, not one tick
  return true;
}

bool TaskHost::recheck(TaskId id) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->recheck();
  publish(id, tasks_.at(id));
  return true;
}

bool TaskHost::setLocation(TaskId id, const std::string& saveDir) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->setLocation(saveDir);
  publish(id, tasks_.at(id));
  return true;
}

bool TaskHost::setFilePriorities(TaskId id, const std::vector<std::uint8_t>& priorities) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->setFilePriorities(priorities);
  publish(id, tasks_.at(id));
  return true;
}

bool TaskHost::setLimits(TaskId id, std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->setLimits(maxDownloadRate, maxUploadRate);
  return true;
}

bool TaskHost::setSourcePolicy(TaskId id, const SourcePolicy& policy) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->setSourcePolicy(policy);
  return true;
}

bool TaskHost::remove(TaskId id, bool deleteFiles) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  tasks_.at(id).removing = true;
  hub_.erase(id);
  task->remove(deleteFiles, [this, id] {
    // Destroyed from a fresh post: the task may be inside its own call stack.
    loop_.post([this, id] { tasks_.erase(id); });
  });
  return true;
}

void TaskHost::publishNow(TaskId id) {
  loop_.assertInLoopThread();
  auto it = tasks_.find(id);
  if (it != tasks_.end() && !it->second.removing) {
    publish(id, it->second);
  }
}

void TaskHost::pauseAll() {
  loop_.assertInLoopThread();
  for (auto& [id, entry] : tasks_) {
    if (!entry.removing) {
      entry.task->pause();
      entry.running = false;
      entry.queued = false;
      publish(id, entry);
    }
  }
}

void TaskHost::applyQueue(const std::vector<DownloadQueue::Change>& changes) {
  loop_.assertInLoopThread();
  for (const DownloadQueue::Change& change : changes) {
    auto it = tasks_.find(change.id);
    if (it == tasks_.end() || it->second.removing) {
      continue;
    }
    Entry& entry = it->second;
    entry.queuePosition = change.mark.position;
    entry.queued = change.mark.queued;
    if (stopping_) {
      // Saving for shutdown: nothing starts now.
    } else if (change.mark.run) {
      // A resumed task that failed retries although it never stopped running;
      // one that paused itself (a magnet stopping after its metadata) goes on.
      // Its state as of now, not as last published: a resume right after the
      // magnet's MetadataReceived event may come before the tick that shows
      // it paused (so the snapshot is taken, but only for a user's resume).
      const auto stoppedItself = [&] {
        const TaskState state = entry.task->snapshot().state;
        return state == TaskState::Failed || state == TaskState::Paused;
      };
      if (!entry.started) {
        entry.started = entry.running = true;
        entry.task->start();
      } else if (!entry.running || (change.kick && stoppedItself())) {
        entry.running = true;
        entry.task->resume();
      }
    } else if (entry.running) {
      entry.running = false;
      entry.task->pause();  // held back by the limit: no connection, no request
    }
    publish(change.id, entry);
  }
}

void TaskHost::shutdown(util::UniqueFunction<void()> done) {
  loop_.assertInLoopThread();
  stopping_ = true;
  timer_.reset();
  std::vector<core::Task*> live;
  for (auto& [id, entry] : tasks_) {
    if (!entry.removing) {
      live.push_back(entry.task.get());
    }
  }
  if (live.empty()) {
    done();
    return;
  }
  // Shared countdown: the last task to finish saving calls done.
  struct Countdown {
    std::size_t left;
    util::UniqueFunction<void()> done;
  };
  auto countdown = std::make_shared<Countdown>(Countdown{live.size(), std::move(done)});
  for (core::Task* task : live) {
    task->shutdown([countdown] {
      if (--countdown->left == 0) {
        countdown->done();
      }
    });
  }
}

void TaskHost::stop() {
  loop_.assertInLoopThread();
  timer_.reset();
  tasks_.clear();
}

void TaskHost::publish(TaskId id, Entry& entry) {
  TaskSnapshot snapshot = entry.task->snapshot();
  snapshot.id = id;
  if (snapshot.state != entry.reportedState) {
    entry.reportedState = snapshot.state;
    if (stateListener_) {
      stateListener_(id, snapshot.state);
    }
  }
  snapshot.queuePosition = entry.queuePosition;
  // A held task is paused (or not started) inside; the user sees why. A
  // recheck it was asked for still shows as Checking.
  if (entry.queued && snapshot.state != TaskState::Checking) {
    snapshot.state = TaskState::Queued;
  }
  if (entry.lastPublished && *entry.lastPublished == snapshot) {
    return;
  }
  entry.lastPublished = snapshot;
  hub_.put(std::move(snapshot));
}

void TaskHost::publishChanged() {
  for (auto& [id, entry] : tasks_) {
    if (!entry.removing) {
      publish(id, entry);
    }
  }
}

}  // namespace tributary::session
