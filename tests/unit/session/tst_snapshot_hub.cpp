// SnapshotHub: deltas carry each change once, removals win over stale updates,
// a full batch has every task; the loop-busy figures and how they are computed.
#include <QtTest>

#include <thread>

#include "engine/session/LoopBusySampler.h"
#include "engine/session/SnapshotHub.h"

using namespace tributary;
using namespace tributary::session;

namespace {
TaskSnapshot task(TaskId id, std::uint64_t verified) {
  TaskSnapshot s;
  s.id = id;
  s.verifiedBytes = verified;
  return s;
}
}  // namespace

class TestSnapshotHub : public QObject {
  Q_OBJECT

 private slots:
  void deltaHoldsEachChangeOnce() {
    SnapshotHub hub;
    hub.put(task(1, 10));
    hub.put(task(2, 20));
    hub.put(task(1, 11));  // coalesced with the first
    auto batch = hub.take(false);
    QCOMPARE(batch.changed.size(), std::size_t{2});
    QCOMPARE(batch.changed[0].verifiedBytes, std::uint64_t{11});
    QVERIFY(batch.all.empty());
    QVERIFY(hub.take(false).changed.empty());
  }

  // A task restored from the saved session shows its old added time and
  // traffic on top of what it counted since; the engine's totals stay "since
  // the engine started", also once it is removed.
  void restoredTaskCarriesItsPast() {
    SnapshotHub hub;
    hub.setRestored(1, 1'700'000'000, TrafficCounters{100, 200, 300, 400});
    TaskSnapshot now = task(1, 0);
    now.addedAtUnix = 1'800'000'000;
    now.traffic = TrafficCounters{1, 2, 3, 4};
    hub.put(now);
    hub.put(task(2, 0));
    auto batch = hub.take(false);
    QCOMPARE(batch.changed[0].addedAtUnix, std::int64_t{1'700'000'000});
    QVERIFY(batch.changed[0].traffic == (TrafficCounters{101, 202, 303, 404}));
    QVERIFY(batch.stats.traffic == (TrafficCounters{1, 2, 3, 4}));
    QCOMPARE(hub.briefs().at(1).traffic.bt, std::uint64_t{101});
    hub.erase(1);
    QVERIFY(hub.take(false).stats.traffic == (TrafficCounters{1, 2, 3, 4}));
  }

  void fullHasUnchangedTasksToo() {
    SnapshotHub hub;
    hub.put(task(1, 10));
    hub.put(task(2, 20));
    (void)hub.take(false);
    hub.put(task(2, 21));
    auto batch = hub.take(true);
    QCOMPARE(batch.changed.size(), std::size_t{1});
    QCOMPARE(batch.all.size(), std::size_t{2});
  }

  void removalDropsPendingChange() {
    SnapshotHub hub;
    hub.put(task(1, 10));
    hub.erase(1);
    auto batch = hub.take(true);
    QVERIFY(batch.changed.empty());
    QVERIFY(batch.all.empty());
    QCOMPARE(batch.removed, std::vector<TaskId>{1});
    QVERIFY(hub.take(false).removed.empty());
    hub.erase(7);  // never existed: nothing to report
    QVERIFY(hub.take(false).removed.empty());
  }

  void concurrentWritersLoseNothing() {
    SnapshotHub hub;
    std::vector<std::thread> writers;
    for (TaskId t = 1; t <= 4; ++t) {
      writers.emplace_back([&hub, t] {
        for (std::uint64_t v = 0; v < 10000; ++v) {
          hub.put(task(t, v));
        }
      });
    }
    for (auto& w : writers) {
      w.join();
    }
    auto batch = hub.take(true);
    QCOMPARE(batch.all.size(), std::size_t{4});
    for (const auto& s : batch.all) {
      QCOMPARE(s.verifiedBytes, std::uint64_t{9999});
    }
  }

  void loopBusyIsPerLoopAndSurvivesSetStats() {
    SnapshotHub hub;
    QVERIFY(hub.take(false).stats.loopBusy.empty());  // nothing measured yet
    hub.setLoopBusy(1, 2, 0.75);
    EngineStats stats;
    stats.loopThreads = 2;
    hub.setStats(stats);  // the engine's own figures must not wipe the samplers'
    hub.setLoopBusy(0, 2, 0.25);
    hub.setLoopBusy(5, 2, 1.0);  // out of range: ignored
    const auto batch = hub.take(false);
    QCOMPARE(batch.stats.loopBusy, (std::vector<double>{0.25, 0.75}));
    QCOMPARE(batch.stats.loopThreads, 2u);
  }

  void busyFractionFromTwoReadings() {
    using T = loop::EventLoop::TimeSpent;
    QCOMPARE(LoopBusySampler::busyBetween(T{100, 1000}, T{600, 2000}), 0.5);
    QCOMPARE(LoopBusySampler::busyBetween(T{0, 0}, T{0, 1000}), 1.0);
    QCOMPARE(LoopBusySampler::busyBetween(T{0, 0}, T{1000, 1000}), 0.0);
    QCOMPARE(LoopBusySampler::busyBetween(T{0, 1000}, T{0, 1000}), 0.0);  // no time passed
    QCOMPARE(LoopBusySampler::busyBetween(T{0, 0}, T{2000, 1000}), 0.0);  // clamped
  }
};

QTEST_GUILESS_MAIN(TestSnapshotHub)
#include "tst_snapshot_hub.moc"
