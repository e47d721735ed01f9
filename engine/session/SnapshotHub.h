// Internal: where tasks on every loop leave their latest snapshot, and where the
// publisher picks up what changed once per tick. Tasks write only when their
// state changed, so an idle engine publishes empty deltas.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "engine/api/Types.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class SnapshotHub {
 public:
  // Any thread.
  void put(TaskSnapshot snapshot);
  void erase(TaskId id);
  void setStats(const EngineStats& stats);
  // One loop's busy fraction (EngineStats::loopBusy), from that loop's sampler.
  void setLoopBusy(unsigned loopIndex, unsigned loopCount, double busy);
  // Nodes in the DHT's routing table (EngineStats::dhtNodes), from the DHT's loop.
  void setDhtNodes(unsigned nodes);
  // A task brought back from the saved session: its snapshots show when it
  // was first added and the traffic it had before this run (the task itself
  // counts from 0). EngineStats::traffic stays "since the engine started".
  void setRestored(TaskId id, std::int64_t addedAtUnix, const TrafficCounters& before);

  // What the session keeper saves of each task.
  struct Brief {
    TaskState state = TaskState::Queued;
    std::uint32_t queuePosition = 0;
    std::int64_t addedAtUnix = 0;
    TrafficCounters traffic;
  };
  std::map<TaskId, Brief> briefs() const;

  // The publisher's side: everything that changed since the last call. The
  // stats' rates and traffic are summed over the tasks' latest snapshots. `full`
  // also includes unchanged tasks (for a new subscriber); the delta is consumed
  // either way, so no change is reported twice.
  struct Batch {
    std::vector<TaskSnapshot> changed;
    std::vector<TaskSnapshot> all;  // filled only when asked for
    std::vector<TaskId> removed;
    EngineStats stats;
  };
  Batch take(bool withAll);

  std::size_t size() const;

 private:
  mutable util::Mutex mutex_;
  std::map<TaskId, TaskSnapshot> latest_ GUARDED_BY(mutex_);
  std::set<TaskId> dirty_ GUARDED_BY(mutex_);
  std::vector<TaskId> removed_ GUARDED_BY(mutex_);
  EngineStats stats_ GUARDED_BY(mutex_);
  std::vector<double> loopBusy_ GUARDED_BY(mutex_);    // apart: setStats() must not reset it
  unsigned dhtNodes_ GUARDED_BY(mutex_) = 0;           // the same
  TrafficCounters removedTraffic_ GUARDED_BY(mutex_);  // of tasks no longer here
  struct Restored {
    std::int64_t addedAtUnix = 0;
    TrafficCounters before;
  };
  std::map<TaskId, Restored> restored_ GUARDED_BY(mutex_);
};

}  // namespace tributary::session
