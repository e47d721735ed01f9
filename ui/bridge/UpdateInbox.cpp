#include "ui/bridge/UpdateInbox.h"

#include <utility>

namespace tributary::ui {

bool UpdateInbox::push(const Update& update) {
  std::lock_guard lock(mutex_);
  if (update.full) {
    // A full update describes every task, so whatever was pending is stale:
    // the GUI will be told to drop any row not in it.
    full_ = true;
    tasks_.clear();
    removed_.clear();
  }
  for (const TaskSnapshot& task : update.tasks) {
    tasks_.insert_or_assign(task.id, task);
    removed_.erase(task.id);
  }
  for (TaskId id : update.removed) {
    tasks_.erase(id);
    removed_.insert(id);
  }
  // Days left out (EngineStats::trafficDaysOmitted) are as last sent, and
  // the last sent may be in the stats this update replaces: keep those.
  if (update.stats.trafficDaysOmitted && stats_ && !stats_->trafficDaysOmitted) {
    std::vector<TrafficDay> days = std::move(stats_->trafficDays);
    stats_ = update.stats;
    stats_->trafficDays = std::move(days);
    stats_->trafficDaysOmitted = false;
  } else {
    stats_ = update.stats;
  }
  return markPendingLocked();
}

bool UpdateInbox::push(const Event& event) {
  std::lock_guard lock(mutex_);
  events_.push_back(event);
  return markPendingLocked();
}

UpdateInbox::Batch UpdateInbox::take() {
  Batch batch;
  std::map<TaskId, TaskSnapshot> tasks;
  std::set<TaskId> removed;
  {
    std::lock_guard lock(mutex_);
    drainPending_ = false;
    batch.full = std::exchange(full_, false);
    tasks.swap(tasks_);
    removed.swap(removed_);
    batch.stats = std::exchange(stats_, std::nullopt);
    batch.events.swap(events_);
  }
  // Flattening happens outside the lock so engine threads never wait on it.
  batch.tasks.reserve(tasks.size());
  for (auto& [id, task] : tasks) {
    batch.tasks.push_back(std::move(task));
  }
  batch.removed.assign(removed.begin(), removed.end());
  return batch;
}

bool UpdateInbox::markPendingLocked() {
  return !std::exchange(drainPending_, true);
}

}  // namespace tributary::ui
