// Internal: the engine-wide download queue between the threads that give
// commands and the loops that run the tasks. Commands and the states tasks
// report change the DownloadQueue under a mutex (cheap, any thread); a
// reconcile on loop 0, at most one in flight, works out who holds a slot and
// posts each verdict to the TaskHost that owns the task. A burst of 10,000
// commands therefore costs one or two passes over the queue, not 10,000.
//
// Verdicts are posted while the mutex is held, so the posts reaching one loop
// are in the order the queue changed, and a command posted to a task's loop
// after its queue change (the engine's direct pause) comes after every
// verdict computed before that change.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "engine/loop/LoopPool.h"
#include "engine/session/DownloadQueue.h"
#include "engine/session/TaskHost.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class QueueCoordinator {
 public:
  // `hosts` holds one TaskHost per loop of `loops`, in loop order; both
  // outlive this object's last reconcile (the loops are stopped first).
  // `published` runs on a task's loop after its host applied verdicts.
  QueueCoordinator(unsigned maxActive, loop::LoopPool& loops,
                   const std::vector<std::unique_ptr<TaskHost>>& hosts,
                   std::function<void()> published);

  // Any thread. Each schedules a reconcile when it changed something.
  // add() takes the task's place when the engine answers the add; created()
  // (on the task's loop, after TaskHost::add) lets its verdicts go out, so
  // none reaches the loop before the task. A task that could not be made is
  // remove()d.
  void add(TaskId id, bool paused);
  void created(TaskId id);
  void remove(TaskId id);
  void pause(TaskId id);
  void resume(TaskId id);
  void pauseAll();
  void resumeAll();
  void observe(TaskId id, TaskState state);
  void setMaxActive(unsigned maxActive);
  void move(TaskId id, QueueMove move);
  // No reconcile runs after this (engine shutdown: tasks are saving).
  void close();

 private:
  void scheduleLocked() REQUIRES(mutex_);
  void reconcile();  // loop 0

  loop::LoopPool& loops_;
  const std::vector<std::unique_ptr<TaskHost>>& hosts_;
  std::function<void()> published_;

  util::Mutex mutex_;
  DownloadQueue queue_ GUARDED_BY(mutex_);
  bool pending_ GUARDED_BY(mutex_) = false;
  bool closed_ GUARDED_BY(mutex_) = false;
};

}  // namespace tributary::session
