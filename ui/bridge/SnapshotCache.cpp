#include "ui/bridge/SnapshotCache.h"

#include <utility>

namespace tributary::ui {

void SnapshotCache::apply(bool full, std::vector<TaskSnapshot>&& tasks,
                          const std::vector<TaskId>& removed) {
  if (full) {
    tasks_.clear();
  }
  for (TaskId id : removed) {
    tasks_.erase(id);
  }
  for (TaskSnapshot& task : tasks) {
    const TaskId id = task.id;
    tasks_.insert_or_assign(id, std::move(task));
  }
}

const TaskSnapshot* SnapshotCache::find(TaskId id) const {
  const auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

}  // namespace tributary::ui
