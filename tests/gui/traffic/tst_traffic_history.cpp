// TrafficHistory: per-task rings of per-source rates built from the
// cumulative counters the bridge delivers. Bounded in count and in time,
// one history per task, and removed tasks leave nothing behind.
#include <QTest>

#include "ui/models/TrafficHistory.h"

using tributary::ui::TaskRow;
using tributary::ui::Traffic;
using tributary::ui::TrafficHistory;
using tributary::ui::TrafficRate;

namespace {

TaskRow row(quint64 id, const Traffic& traffic) {
  TaskRow out;
  out.id = id;
  out.traffic = traffic;
  return out;
}

}  // namespace

class TestTrafficHistory : public QObject {
  Q_OBJECT

 private slots:
  void firstSightOnlySetsTheBaseline();
  void ratesComeFromCounterDeltas();
  void ringIsBoundedAndKeepsTheNewest();
  void eachTaskHasItsOwnHistory();
  void removedTasksAreForgotten();
  void fullUpdateDropsTasksItDoesNotList();
  void quietSpellIsAGapNotASmear();
  void sameTickTwiceLosesNoBytes();
  void counterResetCountsNothing();
  void hugeDeltasSaturate();
  void oldIntervalsLeaveTheWindowAndTheirMemory();
  void currentRateGoesStale();
  void busyTasksAreCapped();
};

void TestTrafficHistory::firstSightOnlySetsTheBaseline() {
  TrafficHistory history;
  history.record(1, Traffic{5000, 0, 0, 0}, 1000);
  QVERIFY(history.contains(1));
  QCOMPARE(history.sampleCount(1), 0);
  QVERIFY(history.rates(1, 1000).isEmpty());
  // Bytes from before the baseline are not a rate: the next interval counts
  // only what came after it.
  history.record(1, Traffic{6000, 0, 0, 0}, 1500);
  const QList<TrafficRate> rates = history.rates(1, 1500);
  QCOMPARE(rates.size(), 1);
  QCOMPARE(rates.first().bt, quint64{2000});
}

void TestTrafficHistory::ratesComeFromCounterDeltas() {
  TrafficHistory history;
  history.record(3, Traffic{}, 0);
  history.record(3, Traffic{1000, 500, 250, 100}, 500);
  history.record(3, Traffic{1000, 1500, 250, 1100}, 1000);
  const QList<TrafficRate> rates = history.rates(3, 1000);
  QCOMPARE(rates.size(), 2);
  QCOMPARE(rates.at(0), (TrafficRate{500, 500, 2000, 1000, 500, 200}));
  QCOMPARE(rates.at(1), (TrafficRate{1000, 500, 0, 2000, 0, 2000}));
  QCOMPARE(rates.at(1).downloaded(), quint64{2000});
  QCOMPARE(history.currentRate(3, 1200), rates.at(1));
}

void TestTrafficHistory::ringIsBoundedAndKeepsTheNewest() {
  constexpr int kCapacity = 10;
  TrafficHistory history(kCapacity);
  QCOMPARE(history.capacity(), kCapacity);
  history.record(1, Traffic{}, 0);
  for (int tick = 1; tick <= 25; ++tick) {
    history.record(1, Traffic{quint64(tick) * 100, 0, 0, 0}, tick * 500);
    QCOMPARE(history.sampleCount(1), std::min(tick, kCapacity));
  }
  const QList<TrafficRate> rates = history.rates(1, 25 * 500);
  QCOMPARE(rates.size(), kCapacity);
  for (int i = 0; i < kCapacity; ++i) {
    QCOMPARE(rates.at(i).endMs, qint64(16 + i) * 500);  // ticks 16..25, oldest first
    QCOMPARE(rates.at(i).bt, quint64{200});
  }
  // The default holds five minutes at the engine's 2 Hz.
  QCOMPARE(TrafficHistory().capacity(), 600);
  QCOMPARE(TrafficHistory().windowMs(), qint64{5 * 60 * 1000});
}

void TestTrafficHistory::eachTaskHasItsOwnHistory() {
  TrafficHistory history;
  history.apply({row(1, {}), row(2, {})}, {}, true, 0);
  for (int tick = 1; tick <= 4; ++tick) {
    // Task 2 changes only every other tick: it is missing from the others.
    QList<TaskRow> changed = {row(1, Traffic{quint64(tick) * 1000, 0, 0, 0})};
    if (tick % 2 == 0) {
      changed.append(row(2, Traffic{0, quint64(tick) * 4000, 0, 0}));
    }
    history.apply(changed, {}, false, tick * 500);
  }
  QCOMPARE(history.taskCount(), 2);
  QCOMPARE(history.sampleCount(1), 4);
  QCOMPARE(history.sampleCount(2), 2);
  for (const TrafficRate& rate : history.rates(1, 2000)) {
    QCOMPARE(rate.bt, quint64{2000});
    QCOMPARE(rate.http, quint64{0});
  }
  for (const TrafficRate& rate : history.rates(2, 2000)) {
    QCOMPARE(rate.bt, quint64{0});
    QCOMPARE(rate.http, quint64{8000});  // 8000 bytes over the second since the last change
  }
  QVERIFY(history.rates(99, 2000).isEmpty());
  QCOMPARE(history.sampleCount(99), 0);
}

void TestTrafficHistory::removedTasksAreForgotten() {
  TrafficHistory history;
  history.apply({row(1, {}), row(2, {}), row(3, {})}, {}, true, 0);
  history.apply({row(1, {10, 0, 0, 0}), row(2, {10, 0, 0, 0}), row(3, {10, 0, 0, 0})}, {}, false,
                500);
  QCOMPARE(history.taskCount(), 3);
  history.apply({}, {2}, false, 1000);
  QCOMPARE(history.taskCount(), 2);
  QVERIFY(!history.contains(2));
  QVERIFY(history.rates(2, 1000).isEmpty());
  history.remove(3);
  QVERIFY(!history.contains(3));
  QVERIFY(history.contains(1));
  // A removed id that comes back starts from nothing.
  history.apply({row(2, {500, 0, 0, 0})}, {}, false, 1500);
  QCOMPARE(history.sampleCount(2), 0);
  history.clear();
  QCOMPARE(history.taskCount(), 0);
}

void TestTrafficHistory::fullUpdateDropsTasksItDoesNotList() {
  TrafficHistory history;
  history.apply({row(1, {}), row(2, {})}, {}, true, 0);
  history.apply({row(1, {10, 0, 0, 0}), row(2, {10, 0, 0, 0})}, {}, false, 500);
  history.apply({row(2, {20, 0, 0, 0})}, {}, true, 1000);
  QVERIFY(!history.contains(1));
  QVERIFY(history.contains(2));
  QCOMPARE(history.sampleCount(2), 2);
}

void TestTrafficHistory::quietSpellIsAGapNotASmear() {
  TrafficHistory history;
  history.record(1, Traffic{}, 0);
  history.record(1, Traffic{1000, 0, 0, 0}, 500);
  history.record(1, Traffic{1000, 0, 0, 0}, 1000);  // nothing moved: no interval
  QCOMPARE(history.sampleCount(1), 1);
  // A minute later bytes arrive again: they came in the last tick, not over
  // the whole minute.
  history.record(1, Traffic{1500, 0, 0, 0}, 60500);
  const QList<TrafficRate> rates = history.rates(1, 60500);
  QCOMPARE(rates.size(), 2);
  QCOMPARE(rates.at(1).spanMs, TrafficHistory::kAssumedTickMs);
  QCOMPARE(rates.at(1).bt, quint64{1000});
  // Within kMaxSpanMs the real span counts: a 1 Hz engine is not doubled.
  history.record(1, Traffic{2500, 0, 0, 0}, 61500);
  QCOMPARE(history.rates(1, 61500).last().spanMs, qint64{1000});
  QCOMPARE(history.rates(1, 61500).last().bt, quint64{1000});
}

void TestTrafficHistory::sameTickTwiceLosesNoBytes() {
  TrafficHistory history;
  history.record(1, Traffic{}, 0);
  history.record(1, Traffic{1000, 0, 0, 0}, 500);
  history.record(1, Traffic{1200, 0, 0, 0}, 510);  // too close: folded into the next
  QCOMPARE(history.sampleCount(1), 1);
  history.record(1, Traffic{2000, 0, 0, 0}, 1000);
  const QList<TrafficRate> rates = history.rates(1, 1000);
  QCOMPARE(rates.size(), 2);
  QCOMPARE(rates.at(1).bt, quint64{2000});  // 1000 bytes over 500 ms
}

void TestTrafficHistory::counterResetCountsNothing() {
  TrafficHistory history;
  history.record(1, Traffic{}, 0);
  history.record(1, Traffic{5000, 5000, 0, 0}, 500);
  history.record(1, Traffic{100, 6000, 0, 0}, 1000);  // BT counter restarted
  const QList<TrafficRate> rates = history.rates(1, 1000);
  QCOMPARE(rates.size(), 2);
  QCOMPARE(rates.at(1).bt, quint64{0});
  QCOMPARE(rates.at(1).http, quint64{2000});
  history.record(1, Traffic{600, 6000, 0, 0}, 1500);  // counts on from the new value
  QCOMPARE(history.rates(1, 1500).last().bt, quint64{1000});
}

void TestTrafficHistory::hugeDeltasSaturate() {
  TrafficHistory history;
  history.record(1, Traffic{}, 0);
  const quint64 huge = std::numeric_limits<quint64>::max();
  history.record(1, Traffic{huge, huge, huge, huge}, 1000);
  const TrafficRate rate = history.rates(1, 1000).first();
  const quint64 saturated = std::numeric_limits<quint32>::max();
  QCOMPARE(rate.bt, saturated);  // per second over one second: no wrap to a small number
  QCOMPARE(rate.shared, saturated);
}

void TestTrafficHistory::oldIntervalsLeaveTheWindowAndTheirMemory() {
  constexpr qint64 kWindow = 10'000;
  TrafficHistory history(600, kWindow);
  history.apply({row(1, {})}, {}, true, 0);
  for (int tick = 1; tick <= 10; ++tick) {
    history.apply({row(1, Traffic{quint64(tick) * 10, 0, 0, 0})}, {}, false, tick * 500);
  }
  QCOMPARE(history.rates(1, 5000).size(), 10);
  // At 9.0 s the window starts after -1.0 s: all ten are in; at 12.0 s it
  // starts at 2.0 s: only the intervals ending after it are.
  QCOMPARE(history.rates(1, 9000).size(), 10);
  QCOMPARE(history.rates(1, 12000).size(), 6);
  QCOMPARE(history.rates(1, 12000).first().endMs, qint64{2500});
  // Long after, an update from anyone sweeps the idle ring's storage away;
  // the task itself stays known (its baseline), so its next bytes count.
  history.apply({row(2, {})}, {}, false, 40'000);
  QCOMPARE(history.sampleCount(1), 0);
  QVERIFY(history.contains(1));
  history.apply({row(1, Traffic{200, 0, 0, 0})}, {}, false, 40'500);
  QCOMPARE(history.sampleCount(1), 1);
  QCOMPARE(history.rates(1, 40'500).first().bt, quint64{200});  // 100 bytes in the assumed tick
}

void TestTrafficHistory::currentRateGoesStale() {
  TrafficHistory history;
  history.record(1, Traffic{}, 0);
  history.record(1, Traffic{500, 0, 0, 0}, 500);
  QCOMPARE(history.currentRate(1, 500).bt, quint64{1000});
  QCOMPARE(history.currentRate(1, 500 + TrafficHistory::kMaxSpanMs).bt, quint64{1000});
  QCOMPARE(history.currentRate(1, 501 + TrafficHistory::kMaxSpanMs), TrafficRate{});
  QCOMPARE(history.currentRate(42, 500), TrafficRate{});
}

void TestTrafficHistory::busyTasksAreCapped() {
  constexpr qint64 kWindow = 10'000;
  TrafficHistory history(600, kWindow, 2);
  history.apply({row(1, {}), row(2, {}), row(3, {})}, {}, true, 0);
  for (int tick = 1; tick <= 4; ++tick) {
    const Traffic moving{quint64(tick) * 100, 0, 0, 0};
    history.apply({row(1, moving), row(2, moving), row(3, moving)}, {}, false, tick * 500);
  }
  QCOMPARE(history.activeTaskCount(), 2);
  QCOMPARE(history.sampleCount(1), 4);
  QCOMPARE(history.sampleCount(2), 4);
  QCOMPARE(history.sampleCount(3), 0);  // no room: counted, not kept
  // Task 1 goes away: its slot is free for task 3.
  history.apply({row(3, Traffic{500, 0, 0, 0})}, {1}, false, 2500);
  QCOMPARE(history.activeTaskCount(), 2);
  QCOMPARE(history.sampleCount(3), 1);
  QCOMPARE(history.rates(3, 2500).first().bt, quint64{200});
  // Task 2 idles past the window and is swept: its slot frees too.
  history.apply({row(3, Traffic{600, 0, 0, 0})}, {}, false, 30'000);
  QCOMPARE(history.sampleCount(2), 0);
  QCOMPARE(history.activeTaskCount(), 1);
  history.remove(3);
  QCOMPARE(history.activeTaskCount(), 0);
}

QTEST_GUILESS_MAIN(TestTrafficHistory)
#include "tst_traffic_history.moc"
