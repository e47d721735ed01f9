// bt::ConnectionBudget: caps hold under contention from several threads,
// slots give their place back when destroyed or moved over, and a slot may
// outlive the budget.
#include <QtTest>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "engine/bt/ConnectionBudget.h"

using tributary::bt::ConnectionBudget;

class ConnectionBudgetTest : public QObject {
  Q_OBJECT

 private slots:
  void capsAndRelease() {
    ConnectionBudget budget;
    budget.setLimits(2, 1);
    ConnectionBudget::Slot a = budget.takeConnection();
    ConnectionBudget::Slot b = budget.takeConnection();
    QVERIFY(a && b);
    QVERIFY(!budget.takeConnection());
    QCOMPARE(budget.connections(), 2u);
    a.release();
    QCOMPARE(budget.connections(), 1u);
    QVERIFY(budget.takeConnection());  // a temporary: back at once
    QCOMPARE(budget.connections(), 1u);

    ConnectionBudget::Slot h = budget.takeHalfOpen();
    QVERIFY(h);
    QVERIFY(!budget.takeHalfOpen());
    QCOMPARE(budget.connections(), 1u);  // separate counters
  }

  void moveKeepsOneSlot() {
    ConnectionBudget budget;
    budget.setLimits(3, 3);
    ConnectionBudget::Slot a = budget.takeConnection();
    ConnectionBudget::Slot b = std::move(a);
    QVERIFY(!a);  // NOLINT(bugprone-use-after-move): the point of the test
    QVERIFY(b);
    QCOMPARE(budget.connections(), 1u);
    ConnectionBudget::Slot c = budget.takeConnection();
    c = std::move(b);  // c's own slot goes back
    QCOMPARE(budget.connections(), 1u);
  }

  void loweringTheCapClosesNothing() {
    ConnectionBudget budget;
    budget.setLimits(3, 3);
    std::vector<ConnectionBudget::Slot> held;
    for (int i = 0; i < 3; ++i) {
      held.push_back(budget.takeConnection());
    }
    budget.setLimits(1, 1);
    QCOMPARE(budget.connections(), 3u);
    QVERIFY(!budget.takeConnection());
    held.clear();
    QVERIFY(budget.takeConnection());
  }

  void slotOutlivesBudget() {
    ConnectionBudget::Slot slot;
    {
      ConnectionBudget budget;
      slot = budget.takeConnection();
    }
    slot.release();  // must not touch freed memory (ASan checks)
    QVERIFY(!slot);
  }

  // Four threads each hold a slot while trying for a second one, against a
  // cap of three: without the compare-and-swap the count would pass it.
  void capHoldsAcrossThreads() {
    ConnectionBudget budget;
    budget.setLimits(3, 3);
    std::atomic<bool> overCap{false};
    std::atomic<int> granted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 20'000; ++i) {
          ConnectionBudget::Slot first = budget.takeConnection();
          ConnectionBudget::Slot second = budget.takeConnection();
          granted += (first ? 1 : 0) + (second ? 1 : 0);
          if (budget.connections() > 3) {
            overCap = true;
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    QVERIFY(!overCap);
    QCOMPARE(budget.connections(), 0u);
    QVERIFY(granted > 20'000);  // slots were really taken, not all refused
  }
};

QTEST_GUILESS_MAIN(ConnectionBudgetTest)
#include "tst_connection_budget.moc"
