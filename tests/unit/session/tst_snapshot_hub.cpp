// SnapshotHub: deltas carry each change once, removals win over stale updates,
// a full batch has every task.
#include <QtTest>

#include <thread>

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
};

QTEST_GUILESS_MAIN(TestSnapshotHub)
#include "tst_snapshot_hub.moc"
