// Internal to ui/bridge: the latest snapshot of every task, kept on the GUI
// thread. The details panel reads a task from here the moment it is selected,
// instead of asking the engine and waiting; the engine only pushes tasks that
// changed, so without this copy a quiet task would show nothing until it moved.
#pragma once

#include <unordered_map>
#include <vector>

#include "engine/api/Types.h"

namespace tributary::ui {

class SnapshotCache {
 public:
  // Takes the tasks of one drained batch. A full batch replaces everything:
  // a task it does not mention is gone.
  void apply(bool full, std::vector<TaskSnapshot>&& tasks, const std::vector<TaskId>& removed);

  // nullptr for a task never seen or already removed. Valid until the next apply().
  const TaskSnapshot* find(TaskId id) const;
  std::size_t size() const { return tasks_.size(); }

 private:
  std::unordered_map<TaskId, TaskSnapshot> tasks_;
};

}  // namespace tributary::ui
