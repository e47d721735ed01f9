#include "ui/models/TrafficHistory.h"

#include <QSet>
#include <algorithm>
#include <limits>

namespace tributary::ui {

namespace {

// Counters only grow; one that shrank was reset (a re-added task), and that
// interval brought nothing we can measure.
quint32 delta(quint64 now, quint64 before) {
  if (now <= before) {
    return 0;
  }
  return static_cast<quint32>(std::min<quint64>(now - before, std::numeric_limits<quint32>::max()));
}

quint64 perSecond(quint32 bytes, qint64 spanMs) {
  return spanMs > 0 ? static_cast<quint64>(bytes) * 1000 / static_cast<quint64>(spanMs) : 0;
}

}  // namespace

TrafficHistory::TrafficHistory(int capacity, qint64 windowMs, int maxActiveTasks)
    : capacity_(std::max(1, capacity)),
      windowMs_(std::max<qint64>(1, windowMs)),
      maxActiveTasks_(std::max(1, maxActiveTasks)) {}

void TrafficHistory::apply(const QList<TaskRow>& changed, const QList<quint64>& removed, bool full,
                           qint64 nowMs) {
  if (full) {
    QSet<quint64> present;
    present.reserve(changed.size());
    for (const TaskRow& row : changed) {
      present.insert(row.id);
    }
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (present.contains(it.key())) {
        ++it;
      } else {
        activeTasks_ -= it->intervals.isEmpty() ? 0 : 1;
        it = tasks_.erase(it);
      }
    }
  }
  for (quint64 id : removed) {
    remove(id);
  }
  for (const TaskRow& row : changed) {
    record(row.id, row.traffic, nowMs);
  }
  dropIdleRings(nowMs);
}

void TrafficHistory::record(quint64 task, const Traffic& totals, qint64 nowMs) {
  auto it = tasks_.find(task);
  if (it == tasks_.end()) {
    tasks_.insert(task, Ring{totals, nowMs, {}, 0});
    return;
  }
  Ring& ring = *it;
  const qint64 elapsed = nowMs - ring.baselineMs;
  if (elapsed < kMinSpanMs) {
    return;
  }
  Interval interval;
  interval.endMs = nowMs;
  interval.spanMs = static_cast<quint32>(elapsed > kMaxSpanMs ? kAssumedTickMs : elapsed);
  interval.bt = delta(totals.bt, ring.baseline.bt);
  interval.http = delta(totals.http, ring.baseline.http);
  interval.cdn = delta(totals.cdn, ring.baseline.cdn);
  interval.shared = delta(totals.shared, ring.baseline.shared);
  ring.baseline = totals;
  if (interval.bt == 0 && interval.http == 0 && interval.cdn == 0 && interval.shared == 0) {
    // The baseline time stays: the next bytes are spread over the time since
    // the last ones, and a quiet spell is a gap, which costs no memory.
    return;
  }
  ring.baselineMs = nowMs;
  append(ring, interval);
}

void TrafficHistory::append(Ring& ring, const Interval& interval) {
  if (ring.intervals.isEmpty()) {
    if (activeTasks_ >= maxActiveTasks_) {
      return;
    }
    ++activeTasks_;
  }
  if (ring.intervals.size() < capacity_) {
    ring.intervals.append(interval);
    if (ring.intervals.size() == capacity_) {
      ring.intervals.squeeze();  // growth overshoots; from here on it only wraps
    }
  } else {
    ring.intervals[ring.next] = interval;
    ring.next = (ring.next + 1) % capacity_;
  }
}

void TrafficHistory::remove(quint64 task) {
  const auto it = tasks_.find(task);
  if (it != tasks_.end()) {
    activeTasks_ -= it->intervals.isEmpty() ? 0 : 1;
    tasks_.erase(it);
  }
}

void TrafficHistory::clear() {
  tasks_.clear();
  activeTasks_ = 0;
}

QList<TrafficRate> TrafficHistory::rates(quint64 task, qint64 nowMs) const {
  QList<TrafficRate> out;
  const auto it = tasks_.constFind(task);
  if (it == tasks_.cend()) {
    return out;
  }
  const Ring& ring = *it;
  const qsizetype count = ring.intervals.size();
  out.reserve(count);
  for (qsizetype i = 0; i < count; ++i) {
    // Oldest first: once the ring is full, the oldest is the one `next` points at.
    const Interval& interval = ring.intervals.at((ring.next + i) % count);
    if (interval.endMs > nowMs - windowMs_) {
      out.append(toRate(interval));
    }
  }
  return out;
}

TrafficRate TrafficHistory::currentRate(quint64 task, qint64 nowMs) const {
  const auto it = tasks_.constFind(task);
  if (it == tasks_.cend() || it->intervals.isEmpty()) {
    return {};
  }
  const Interval& latest = newest(*it);
  if (nowMs - latest.endMs > kMaxSpanMs) {
    return {};
  }
  return toRate(latest);
}

int TrafficHistory::sampleCount(quint64 task) const {
  const auto it = tasks_.constFind(task);
  return it == tasks_.cend() ? 0 : static_cast<int>(it->intervals.size());
}

const TrafficHistory::Interval& TrafficHistory::newest(const Ring& ring) const {
  const qsizetype count = ring.intervals.size();
  return ring.intervals.at((ring.next + count - 1) % count);
}

void TrafficHistory::dropIdleRings(qint64 nowMs) {
  // A sweep costs a look at every task, so it runs a few times a window
  // rather than at every tick.
  if (nowMs - lastSweepMs_ < windowMs_ / 4) {
    return;
  }
  lastSweepMs_ = nowMs;
  for (Ring& ring : tasks_) {
    if (!ring.intervals.isEmpty() && newest(ring).endMs <= nowMs - windowMs_) {
      ring.intervals = {};  // frees the storage; the baseline stays
      ring.next = 0;
      --activeTasks_;
    }
  }
}

TrafficRate TrafficHistory::toRate(const Interval& interval) {
  TrafficRate rate;
  rate.endMs = interval.endMs;
  rate.spanMs = interval.spanMs;
  rate.bt = perSecond(interval.bt, interval.spanMs);
  rate.http = perSecond(interval.http, interval.spanMs);
  rate.cdn = perSecond(interval.cdn, interval.spanMs);
  rate.shared = perSecond(interval.shared, interval.spanMs);
  return rate;
}

}  // namespace tributary::ui
