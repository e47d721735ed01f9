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
  if (!startPaused) {
    entry.task->start();
  }
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
  task->pause();
  publish(id, tasks_.at(id));  // the state change shows within one post, not one tick
  return true;
}

bool TaskHost::resume(TaskId id) {
  loop_.assertInLoopThread();
  core::Task* task = find(id);
  if (task == nullptr) {
    return false;
  }
  task->resume();
  publish(id, tasks_.at(id));
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
      publish(id, entry);
    }
  }
}

void TaskHost::resumeAll() {
  loop_.assertInLoopThread();
  for (auto& [id, entry] : tasks_) {
    if (!entry.removing) {
      entry.task->resume();
      publish(id, entry);
    }
  }
}

void TaskHost::shutdown(util::UniqueFunction<void()> done) {
  loop_.assertInLoopThread();
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
