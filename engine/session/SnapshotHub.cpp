#include "engine/session/SnapshotHub.h"

#include <algorithm>
#include <utility>

namespace tributary::session {

namespace {

TrafficCounters minus(const TrafficCounters& a, const TrafficCounters& b) {
  const auto sub = [](std::uint64_t x, std::uint64_t y) { return x > y ? x - y : 0; };
  return TrafficCounters{sub(a.bt, b.bt), sub(a.http, b.http), sub(a.cdn, b.cdn),
                         sub(a.shared, b.shared)};
}

}  // namespace

void SnapshotHub::put(TaskSnapshot snapshot) {
  util::LockGuard lock(mutex_);
  const TaskId id = snapshot.id;
  if (auto it = restored_.find(id); it != restored_.end()) {
    snapshot.traffic += it->second.before;
    if (it->second.addedAtUnix != 0) {
      snapshot.addedAtUnix = it->second.addedAtUnix;
    }
  }
  latest_[id] = std::move(snapshot);
  dirty_.insert(id);
  // A task removed and re-added within one tick is reported as present.
  removed_.erase(std::remove(removed_.begin(), removed_.end(), id), removed_.end());
}

void SnapshotHub::erase(TaskId id) {
  util::LockGuard lock(mutex_);
  if (auto it = latest_.find(id); it != latest_.end()) {
    const auto restored = restored_.find(id);
    removedTraffic_ += restored == restored_.end()
                           ? it->second.traffic
                           : minus(it->second.traffic, restored->second.before);
    if (restored != restored_.end()) {
      restored_.erase(restored);
    }
    latest_.erase(it);
    dirty_.erase(id);
    removed_.push_back(id);
  }
}

void SnapshotHub::setStats(const EngineStats& stats) {
  util::LockGuard lock(mutex_);
  stats_ = stats;
}

void SnapshotHub::setLoopBusy(unsigned loopIndex, unsigned loopCount, double busy) {
  util::LockGuard lock(mutex_);
  if (loopBusy_.size() != loopCount) {
    loopBusy_.assign(loopCount, 0.0);
  }
  if (loopIndex < loopCount) {
    loopBusy_[loopIndex] = busy;
  }
}

void SnapshotHub::setRestored(TaskId id, std::int64_t addedAtUnix, const TrafficCounters& before) {
  util::LockGuard lock(mutex_);
  restored_[id] = Restored{addedAtUnix, before};
}

std::map<TaskId, SnapshotHub::Brief> SnapshotHub::briefs() const {
  std::map<TaskId, Brief> out;
  util::LockGuard lock(mutex_);
  for (const auto& [id, s] : latest_) {
    const bool completed = s.state == TaskState::Completed;
    out.emplace_hint(out.end(), id,
                     Brief{s.state, s.queuePosition, s.addedAtUnix, s.traffic,
                           completed ? s.name : std::string(), completed ? s.totalBytes : 0});
  }
  return out;
}

void SnapshotHub::setDhtNodes(unsigned nodes) {
  util::LockGuard lock(mutex_);
  dhtNodes_ = nodes;
}

SnapshotHub::Batch SnapshotHub::take(bool withAll) {
  Batch batch;
  util::LockGuard lock(mutex_);
  batch.changed.reserve(dirty_.size());
  for (TaskId id : dirty_) {
    batch.changed.push_back(latest_.at(id));
  }
  dirty_.clear();
  if (withAll) {
    batch.all.reserve(latest_.size());
    for (const auto& [id, snapshot] : latest_) {
      batch.all.push_back(snapshot);
    }
  }
  batch.removed = std::exchange(removed_, {});
  batch.stats = stats_;
  batch.stats.loopBusy = loopBusy_;
  batch.stats.dhtNodes = dhtNodes_;
  batch.stats.downloadRate = 0;
  batch.stats.uploadRate = 0;
  for (const auto& [id, snapshot] : latest_) {
    batch.stats.downloadRate += snapshot.downloadRate;
    batch.stats.uploadRate += snapshot.uploadRate;
  }
  batch.stats.traffic = sinceStart();
  const std::int32_t today = countTraffic(batch.stats.traffic);
  batch.stats.totalTraffic = history_.total();
  batch.stats.trafficDays = history_.window(today);
  batch.stats.trafficToday = today;
  batch.trafficRevision = trafficRevision_;
  return batch;
}

std::size_t SnapshotHub::size() const {
  util::LockGuard lock(mutex_);
  return latest_.size();
}

TrafficCounters SnapshotHub::sinceStart() const {
  TrafficCounters sum = removedTraffic_;
  for (const auto& [id, snapshot] : latest_) {
    const auto restored = restored_.find(id);
    sum += restored == restored_.end() ? snapshot.traffic
                                       : minus(snapshot.traffic, restored->second.before);
  }
  return sum;
}

std::int32_t SnapshotHub::countTraffic(const TrafficCounters& now) {
  const std::int32_t today = localDayOf(dayClock_.trustedUnix(clock_()));
  // A task's counters can go back (a restored task whose own count is still
  // below what it had); only growth is new traffic.
  const auto grown = [](std::uint64_t& counted, std::uint64_t value) {
    const std::uint64_t more = value > counted ? value - counted : 0;
    counted = value;
    return more;
  };
  const TrafficCounters fresh{grown(counted_.bt, now.bt), grown(counted_.http, now.http),
                              grown(counted_.cdn, now.cdn), grown(counted_.shared, now.shared)};
  history_.add(fresh, today);
  if (fresh.bt != 0 || fresh.http != 0 || fresh.cdn != 0 || fresh.shared != 0 ||
      today != revisedDay_) {
    ++trafficRevision_;
    revisedDay_ = today;
  }
  if (dayClock_.settled()) {
    history_.prune(today);
  }
  return today;
}

void SnapshotHub::restoreTrafficHistory(const TrafficHistory& saved) {
  util::LockGuard lock(mutex_);
  history_.merge(saved);
  ++trafficRevision_;
}

TrafficHistory SnapshotHub::trafficHistory() {
  util::LockGuard lock(mutex_);
  countTraffic(sinceStart());
  return history_;
}

void SnapshotHub::setTrafficClock(std::function<TrafficDayClock::Sample()> clock) {
  util::LockGuard lock(mutex_);
  clock_ = std::move(clock);
}

}  // namespace tributary::session
