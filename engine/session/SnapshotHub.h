// Internal: where tasks on every loop leave their latest snapshot, and where the
// publisher picks up what changed once per tick. Tasks write only when their
// state changed, so an idle engine publishes empty deltas.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "engine/api/Types.h"
#include "engine/session/TrafficDayClock.h"
#include "engine/session/TrafficHistory.h"
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
    // Of a Completed task only (names are not copied every tick for nothing).
    std::string name;
    std::uint64_t totalBytes = 0;
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
    // Moves whenever stats.trafficDays (or the day they end at) may differ
    // from an earlier batch's, so the publisher sends them only then.
    std::uint64_t trafficRevision = 0;
  };
  Batch take(bool withAll);

  std::size_t size() const;

  // The traffic across runs (EngineStats::totalTraffic, trafficDays): each
  // take() counts what moved since the last one into the day the clock says.
  // Any thread. An earlier run's history, added to this one's:
  void restoreTrafficHistory(const TrafficHistory& saved);
  // Counts what moved since the last count, and returns the whole history
  // (what the session keeper saves).
  TrafficHistory trafficHistory();
  // Tests: the clock the history reads (TrafficDayClock::now by default).
  void setTrafficClock(std::function<TrafficDayClock::Sample()> clock);

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

  // Adds the traffic since the engine started (`sinceStart`, as take() sums
  // it) beyond what was counted already to today's entry; returns today.
  std::int32_t countTraffic(const TrafficCounters& sinceStart) REQUIRES(mutex_);
  TrafficCounters sinceStart() const REQUIRES(mutex_);
  TrafficHistory history_ GUARDED_BY(mutex_);
  TrafficCounters counted_ GUARDED_BY(mutex_);  // of the traffic since start
  TrafficDayClock dayClock_ GUARDED_BY(mutex_);
  std::uint64_t trafficRevision_ GUARDED_BY(mutex_) = 1;
  std::int32_t revisedDay_ GUARDED_BY(mutex_) = 0;  // the day trafficRevision_ last saw
  std::function<TrafficDayClock::Sample()> clock_ GUARDED_BY(mutex_) = &TrafficDayClock::now;
};

}  // namespace tributary::session
