// Public to ui/: the recent per-source traffic of every task, for the Traffic
// tab's chart. The engine sends cumulative counters (BT, HTTP, CDN, shared)
// with each task that changed at a tick; this keeps, per task, a bounded ring
// of the bytes each interval between two ticks brought, so switching tasks
// shows a history that was gathered while the task was not on screen.
#pragma once

#include <QHash>
#include <QList>
#include <QtGlobal>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

// Average rates (bytes/s) over one interval that ended at `endMs`.
struct TrafficRate {
  qint64 endMs = 0;  // on the clock the history was fed with
  qint64 spanMs = 0;
  quint64 bt = 0;
  quint64 http = 0;
  quint64 cdn = 0;
  quint64 shared = 0;

  quint64 downloaded() const { return bt + http + cdn; }
  bool operator==(const TrafficRate&) const = default;
};

class TrafficHistory {
 public:
  static constexpr qint64 kDefaultWindowMs = 5 * 60 * 1000;
  // Five minutes at the engine's default tick (2 Hz).
  static constexpr int kDefaultCapacity = 600;
  // The engine's default tick. Bytes that arrive after a long quiet spell
  // came in the last tick, not evenly over the whole spell.
  static constexpr qint64 kAssumedTickMs = 500;
  // A longer gap between two samples of a task means it was idle meanwhile.
  static constexpr qint64 kMaxSpanMs = 2000;
  // Two updates closer than this are one tick seen twice: the second only
  // moves the baseline forward at the next real tick.
  static constexpr qint64 kMinSpanMs = 50;
  // Tasks that keep a ring at once: far more than ever transfer together, and
  // it holds a list of 10,000 busy tasks to about 10 MiB. A task beyond it
  // gets a ring when an idle one is swept away.
  static constexpr int kDefaultMaxActiveTasks = 512;

  explicit TrafficHistory(int capacity = kDefaultCapacity, qint64 windowMs = kDefaultWindowMs,
                          int maxActiveTasks = kDefaultMaxActiveTasks);

  // One emission of EngineBridge::tasksUpdated, at `nowMs` on a monotonic
  // clock: records the counters of the changed tasks and forgets removed
  // ones (with `full`, every task not in `changed` is gone).
  void apply(const QList<TaskRow>& changed, const QList<quint64>& removed, bool full, qint64 nowMs);
  // Task `task` had the cumulative counters `totals` at `nowMs`. The first
  // call for a task only sets its baseline.
  void record(quint64 task, const Traffic& totals, qint64 nowMs);
  void remove(quint64 task);
  void clear();

  // The intervals of `task` that end inside the window before `nowMs`,
  // oldest first. Intervals without traffic are not stored, so a gap means
  // nothing moved.
  QList<TrafficRate> rates(quint64 task, qint64 nowMs) const;
  // The rates of the latest interval if it is recent, else all zero.
  TrafficRate currentRate(quint64 task, qint64 nowMs) const;

  bool contains(quint64 task) const { return tasks_.contains(task); }
  int taskCount() const { return static_cast<int>(tasks_.size()); }
  // Tasks whose ring holds intervals.
  int activeTaskCount() const { return activeTasks_; }
  int sampleCount(quint64 task) const;
  int capacity() const { return capacity_; }
  qint64 windowMs() const { return windowMs_; }

 private:
  // Bytes of one interval; 32 bits keep 600 of them at 19 KiB a task, and
  // 4 GiB in half a second is beyond any link (they saturate, not wrap).
  struct Interval {
    qint64 endMs = 0;
    quint32 spanMs = 0;
    quint32 bt = 0;
    quint32 http = 0;
    quint32 cdn = 0;
    quint32 shared = 0;
  };
  struct Ring {
    Traffic baseline;
    qint64 baselineMs = 0;
    QList<Interval> intervals;  // grows up to capacity_, then wraps at next
    int next = 0;
  };

  const Interval& newest(const Ring& ring) const;
  void append(Ring& ring, const Interval& interval);
  void dropIdleRings(qint64 nowMs);
  static TrafficRate toRate(const Interval& interval);

  int capacity_;
  qint64 windowMs_;
  int maxActiveTasks_;
  QHash<quint64, Ring> tasks_;
  int activeTasks_ = 0;
  qint64 lastSweepMs_ = 0;
};

}  // namespace tributary::ui
