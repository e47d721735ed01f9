// The download queue's order and admission alone (engine/session/DownloadQueue):
// who holds a slot, who waits, where each task stands, and which verdicts a
// reconcile hands out.
#include <QtTest>

#include <map>
#include <vector>

#include "engine/session/DownloadQueue.h"

using namespace tributary;
using session::DownloadQueue;

namespace {

using Mark = DownloadQueue::Mark;

// The verdicts of one reconcile, by task.
std::map<TaskId, DownloadQueue::Change> byId(const std::vector<DownloadQueue::Change>& changes) {
  std::map<TaskId, DownloadQueue::Change> out;
  for (const auto& change : changes) {
    out[change.id] = change;
  }
  return out;
}

Mark running(std::uint32_t position) {
  return Mark{position, true, false};
}
Mark queued(std::uint32_t position) {
  return Mark{position, false, true};
}
Mark paused(std::uint32_t position) {
  return Mark{position, false, false};
}

// A queue of `count` tasks, ids 1..count, reconciled once.
DownloadQueue queueOf(unsigned maxActive, TaskId count) {
  DownloadQueue queue(maxActive);
  for (TaskId id = 1; id <= count; ++id) {
    queue.add(id, false);
  }
  queue.reconcile();
  return queue;
}

// The ids in queue order (by position), finished ones left out.
std::vector<TaskId> order(const DownloadQueue& queue, TaskId maxId) {
  std::map<std::uint32_t, TaskId> byPosition;
  for (TaskId id = 1; id <= maxId; ++id) {
    if (auto mark = queue.mark(id); mark && mark->position != 0) {
      byPosition[mark->position] = id;
    }
  }
  std::vector<TaskId> out;
  for (const auto& [position, id] : byPosition) {
    out.push_back(id);
  }
  return out;
}

}  // namespace

class TestDownloadQueue : public QObject {
  Q_OBJECT

 private slots:
  void theFirstTasksGetTheSlots() {
    DownloadQueue queue(2);
    for (TaskId id = 1; id <= 4; ++id) {
      queue.add(id, false);
    }
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.size(), std::size_t{4});
    QCOMPARE(verdicts.at(1).mark, running(1));
    QCOMPARE(verdicts.at(2).mark, running(2));
    QCOMPARE(verdicts.at(3).mark, queued(3));
    QCOMPARE(verdicts.at(4).mark, queued(4));
    QVERIFY(!verdicts.at(1).kick);
    // Nothing changed since: nothing to hand out.
    QVERIFY(queue.reconcile().empty());
  }

  void zeroMeansNoLimit() {
    DownloadQueue queue = queueOf(0, 7);
    for (TaskId id = 1; id <= 7; ++id) {
      QCOMPARE(*queue.mark(id), running(static_cast<std::uint32_t>(id)));
    }
  }

  void aFinishedTaskFreesItsSlotAndItsPlace() {
    DownloadQueue queue = queueOf(2, 4);
    queue.observe(1, TaskState::Seeding);
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, (Mark{0, true, false}));  // keeps seeding, no place
    QCOMPARE(verdicts.at(2).mark, running(1));
    QCOMPARE(verdicts.at(3).mark, running(2));  // the first queued one starts
    QCOMPARE(verdicts.at(4).mark, queued(3));
    // Completed counts the same way.
    queue.observe(2, TaskState::Completed);
    queue.reconcile();
    QCOMPARE(*queue.mark(4), running(2));
  }

  void seedingTasksDoNotCount() {
    DownloadQueue queue(1);
    queue.add(1, false);
    queue.add(2, false);
    queue.observe(1, TaskState::Seeding);  // e.g. data already complete on add
    queue.reconcile();
    QCOMPARE(*queue.mark(1), (Mark{0, true, false}));
    QCOMPARE(*queue.mark(2), running(1));
  }

  void aFailureFreesItsSlotAndAResumeRetriesWhenThereIsRoom() {
    DownloadQueue queue = queueOf(1, 2);
    queue.observe(1, TaskState::Failed);
    queue.reconcile();
    QCOMPARE(*queue.mark(1), running(1));  // left as it is: not paused, not held
    QCOMPARE(*queue.mark(2), running(2));
    // Resumed while 2 downloads: it waits, but the kick is handed on.
    QVERIFY(queue.resume(1));
    auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, queued(1));
    QVERIFY(verdicts.at(1).kick);
    QVERIFY(!verdicts.contains(2));
    queue.observe(2, TaskState::Completed);
    verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, running(1));
    QVERIFY(!verdicts.at(1).kick);
  }

  void pausingAQueuedTaskMakesItPaused() {
    DownloadQueue queue = queueOf(1, 3);
    QVERIFY(queue.pause(2));
    queue.reconcile();
    QCOMPARE(*queue.mark(2), paused(2));  // keeps its place
    QCOMPARE(*queue.mark(3), queued(3));
    QVERIFY(!queue.pause(99));
  }

  void pausingAnActiveTaskStartsTheFirstQueued() {
    DownloadQueue queue = queueOf(1, 3);
    queue.pause(1);
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, paused(1));
    QCOMPARE(verdicts.at(2).mark, running(2));
    QVERIFY(!verdicts.contains(3));
  }

  void aResumedTaskStartsOnlyIfASlotIsFree() {
    DownloadQueue queue = queueOf(1, 2);
    queue.pause(1);
    queue.reconcile();
    QCOMPARE(*queue.mark(2), running(2));
    // Back at its place, first in line, but the slot is taken.
    queue.resume(1);
    queue.reconcile();
    QCOMPARE(*queue.mark(1), queued(1));
    QCOMPARE(*queue.mark(2), running(2));
    queue.observe(2, TaskState::Completed);
    queue.reconcile();
    QCOMPARE(*queue.mark(1), running(1));
  }

  void removingFreesTheSlotAndClosesTheGap() {
    DownloadQueue queue = queueOf(1, 3);
    QVERIFY(queue.remove(1));
    QVERIFY(!queue.remove(1));
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(2).mark, running(1));
    QCOMPARE(verdicts.at(3).mark, queued(2));
    QCOMPARE(queue.size(), std::size_t{2});
    QVERIFY(!queue.mark(1));
  }

  void raisingTheLimitStartsQueuedTasksAtOnce() {
    DownloadQueue queue = queueOf(1, 4);
    queue.setMaxActive(3);
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.size(), std::size_t{2});
    QCOMPARE(verdicts.at(2).mark, running(2));
    QCOMPARE(verdicts.at(3).mark, running(3));
    QCOMPARE(*queue.mark(4), queued(4));
  }

  void loweringTheLimitQueuesTheLastActiveOnes() {
    DownloadQueue queue = queueOf(3, 4);
    queue.pause(1);  // 2, 3 and 4 hold the slots now
    queue.reconcile();
    QCOMPARE(*queue.mark(4), running(4));
    queue.setMaxActive(1);
    queue.reconcile();
    QCOMPARE(*queue.mark(2), running(2));
    QCOMPARE(*queue.mark(3), queued(3));
    QCOMPARE(*queue.mark(4), queued(4));
    QCOMPARE(queue.maxActive(), 1u);
  }

  void newTasksGoToTheBottom() {
    DownloadQueue queue = queueOf(1, 2);
    queue.move(2, QueueMove::Top);
    queue.add(3, false);
    queue.reconcile();
    QCOMPARE(order(queue, 3), (std::vector<TaskId>{2, 1, 3}));
    QCOMPARE(*queue.mark(3), queued(3));
  }

  void movesReorderTheQueue() {
    DownloadQueue queue = queueOf(0, 4);
    QVERIFY(queue.move(3, QueueMove::Up));
    queue.reconcile();
    QCOMPARE(order(queue, 4), (std::vector<TaskId>{1, 3, 2, 4}));
    QVERIFY(queue.move(1, QueueMove::Down));
    queue.reconcile();
    QCOMPARE(order(queue, 4), (std::vector<TaskId>{3, 1, 2, 4}));
    QVERIFY(queue.move(4, QueueMove::Top));
    queue.reconcile();
    QCOMPARE(order(queue, 4), (std::vector<TaskId>{4, 3, 1, 2}));
    QVERIFY(queue.move(3, QueueMove::Bottom));
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(order(queue, 4), (std::vector<TaskId>{4, 1, 2, 3}));
    QVERIFY(!verdicts.contains(4));  // its place did not change
    QCOMPARE(verdicts.size(), std::size_t{3});
    // Already at the end, or unknown: nothing moves.
    QVERIFY(!queue.move(4, QueueMove::Up));
    QVERIFY(!queue.move(4, QueueMove::Top));
    QVERIFY(!queue.move(3, QueueMove::Down));
    QVERIFY(!queue.move(3, QueueMove::Bottom));
    QVERIFY(!queue.move(42, QueueMove::Up));
    QVERIFY(queue.reconcile().empty());
  }

  void movesStepOverFinishedTasks() {
    DownloadQueue queue = queueOf(0, 3);
    queue.observe(2, TaskState::Seeding);
    queue.reconcile();
    QCOMPARE(order(queue, 3), (std::vector<TaskId>{1, 3}));
    QVERIFY(!queue.move(2, QueueMove::Top));  // a finished task has no place
    QVERIFY(queue.move(3, QueueMove::Up));
    queue.reconcile();
    QCOMPARE(order(queue, 3), (std::vector<TaskId>{3, 1}));
    QVERIFY(queue.move(3, QueueMove::Down));
    queue.reconcile();
    QCOMPARE(order(queue, 3), (std::vector<TaskId>{1, 3}));
  }

  void aMovedQueuedTaskIsNextInLine() {
    DownloadQueue queue = queueOf(1, 3);
    queue.move(3, QueueMove::Top);
    auto verdicts = byId(queue.reconcile());
    // Moving starts and stops nothing: 1 keeps its slot.
    QCOMPARE(verdicts.at(3).mark, queued(1));
    QCOMPARE(verdicts.at(1).mark, running(2));
    QCOMPARE(verdicts.at(2).mark, queued(3));
    queue.pause(1);
    verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(3).mark, running(1));
    QVERIFY(!verdicts.contains(2));
  }

  void aFinishedTaskThatWantsDataAgainGoesToTheBottom() {
    DownloadQueue queue = queueOf(1, 3);
    queue.observe(1, TaskState::Completed);
    queue.reconcile();
    QCOMPARE(*queue.mark(2), running(1));
    // A recheck found pieces missing: it wants a slot again, behind the others.
    queue.observe(1, TaskState::Checking);
    queue.reconcile();
    QCOMPARE(order(queue, 3), (std::vector<TaskId>{2, 3, 1}));
    QCOMPARE(*queue.mark(1), queued(3));  // and is held: the slot is taken
    // Paused and Queued say nothing about the data.
    queue.observe(1, TaskState::Paused);
    queue.observe(1, TaskState::Queued);
    QVERIFY(queue.reconcile().empty());
  }

  void addedPausedWaitsForAResume() {
    DownloadQueue queue(2);
    queue.add(1, true);
    queue.add(2, false);
    queue.reconcile();
    QCOMPARE(*queue.mark(1), paused(1));
    QCOMPARE(*queue.mark(2), running(2));
    queue.resume(1);
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, running(1));
    QVERIFY(verdicts.at(1).kick);
  }

  void pauseAllAndResumeAll() {
    DownloadQueue queue = queueOf(2, 3);
    queue.observe(3, TaskState::Seeding);
    queue.pauseAll();
    queue.reconcile();
    for (TaskId id = 1; id <= 3; ++id) {
      QVERIFY(!queue.mark(id)->run);
      QVERIFY(!queue.mark(id)->queued);
    }
    queue.add(4, false);
    queue.add(5, false);
    queue.resumeAll();
    const auto verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.size(), std::size_t{5});
    QVERIFY(verdicts.at(1).kick && verdicts.at(5).kick);
    QCOMPARE(verdicts.at(1).mark, running(1));
    QCOMPARE(verdicts.at(2).mark, running(2));
    QCOMPARE(verdicts.at(3).mark, (Mark{0, true, false}));
    QCOMPARE(verdicts.at(4).mark, queued(3));
    QCOMPARE(verdicts.at(5).mark, queued(4));
  }

  void aReservedTaskHoldsItsPlaceButGetsNoVerdictUntilCreated() {
    DownloadQueue queue(1);
    queue.reserve(1, false);
    queue.add(2, false);
    auto verdicts = byId(queue.reconcile());
    QVERIFY(!verdicts.contains(1));
    QCOMPARE(verdicts.at(2).mark, queued(2));  // 1 took the slot already
    QVERIFY(queue.created(1));
    QVERIFY(!queue.created(7));
    verdicts = byId(queue.reconcile());
    QCOMPARE(verdicts.at(1).mark, running(1));
    QVERIFY(!verdicts.contains(2));
  }

  void tenThousandTasksReconcileOnce() {
    DownloadQueue queue(5);
    for (TaskId id = 1; id <= 10'000; ++id) {
      queue.add(id, false);
    }
    for (TaskId id = 1; id <= 10'000; id += 2) {
      queue.pause(id);
    }
    const auto verdicts = queue.reconcile();
    QCOMPARE(verdicts.size(), std::size_t{10'000});
    std::size_t runningCount = 0;
    for (const auto& verdict : verdicts) {
      runningCount += verdict.mark.run ? 1 : 0;
    }
    QCOMPARE(runningCount, std::size_t{5});
    QCOMPARE(*queue.mark(10), running(10));
    QCOMPARE(*queue.mark(12), queued(12));
  }
};

QTEST_GUILESS_MAIN(TestDownloadQueue)
#include "tst_download_queue.moc"
