// Internal to ui/bridge: where engine threads leave updates and events for the
// GUI thread. Consecutive updates are merged (latest snapshot per task wins), so
// a slow GUI thread gets the newest state of each task and never a growing
// backlog (traffic days an update left out are kept from the one it replaced);
// and at most one drain is ever asked for until the GUI thread takes
// the batch (libtorrent's disk_completed_queue does the same for disk jobs).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "engine/api/Types.h"

namespace tributary::ui {

class UpdateInbox {
 public:
  struct Batch {
    bool full = false;
    std::vector<TaskSnapshot> tasks;  // in task id order
    std::vector<TaskId> removed;
    std::optional<EngineStats> stats;
    std::vector<Event> events;  // in arrival order, never merged

    bool empty() const {
      return !full && tasks.empty() && removed.empty() && !stats && events.empty();
    }
  };

  // Any thread. Return true when the caller must schedule a drain: no drain is
  // pending, so nobody would otherwise take what was just left here.
  [[nodiscard]] bool push(const Update& update);
  [[nodiscard]] bool push(const Event& event);

  // The draining thread: takes everything left so far. The next push after
  // this asks for a new drain.
  Batch take();

 private:
  bool markPendingLocked();

  std::mutex mutex_;
  bool drainPending_ = false;
  bool full_ = false;
  std::map<TaskId, TaskSnapshot> tasks_;
  std::set<TaskId> removed_;
  std::optional<EngineStats> stats_;
  std::vector<Event> events_;
};

}  // namespace tributary::ui
