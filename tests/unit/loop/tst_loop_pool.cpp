#include <QtTest>

#include <set>
#include <thread>
#include <vector>

#include "engine/loop/LoopPool.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary::loop;
using namespace tributary::loop::test;

class TstLoopPool : public QObject {
  Q_OBJECT
 private slots:
  void defaultSizeIsHardwareThreadsAtLeastTwo() {
    LoopPool pool(0);
    QVERIFY(pool.size() >= 2);
    QCOMPARE(pool.size(), std::max(2U, std::thread::hardware_concurrency()));
    QCOMPARE(LoopPool(5).size(), 5U);
  }

  void loopsAreDistinctThreadsWithNames() {
    LoopPool pool(3, "net");
    pool.start();
    std::set<std::thread::id> ids;
    for (unsigned i = 0; i < pool.size(); ++i) {
      ids.insert(runOn(pool.loop(i), [] { return std::this_thread::get_id(); }));
      QCOMPARE(pool.loop(i).name(), "net-" + std::to_string(i));
    }
    QCOMPARE(ids.size(), std::size_t{3});
    QCOMPARE(pool.stop(), 0);
  }

  void forKeyIsStableAndSpreads() {
    LoopPool pool(4);
    std::vector<int> perLoop(pool.size(), 0);
    for (std::uint64_t key = 0; key < 4000; ++key) {
      EventLoop* first = &pool.forKey(key);
      QCOMPARE(&pool.forKey(key), first);
      QCOMPARE(&pool.loop(pool.indexForKey(key)), first);
      ++perLoop[pool.indexForKey(key)];
    }
    for (int n : perLoop) {
      QVERIFY2(n > 700 && n < 1300, qPrintable(QString::number(n)));  // roughly even
    }
    // Keys sharing a stride with the pool size still spread.
    std::set<unsigned> strided;
    for (std::uint64_t key = 0; key < 64; key += 4) {
      strided.insert(pool.indexForKey(key));
    }
    QVERIFY(strided.size() > 1);
  }

  void pinnedTaskAlwaysRunsOnItsLoop() {
    LoopPool pool(3);
    pool.start();
    const std::uint64_t taskId = 42;
    std::set<EventLoop*> seen;
    for (int i = 0; i < 20; ++i) {
      seen.insert(runOn(pool.forKey(taskId), [] { return EventLoop::current(); }));
    }
    QCOMPARE(seen.size(), std::size_t{1});
    QCOMPARE(*seen.begin(), &pool.forKey(taskId));
    QCOMPARE(pool.stop(), 0);
  }

  void nextIsRoundRobin() {
    LoopPool pool(3);
    std::vector<EventLoop*> picks;
    for (int i = 0; i < 6; ++i) {
      picks.push_back(&pool.next());
    }
    std::set<EventLoop*> distinct(picks.begin(), picks.begin() + 3);
    QCOMPARE(distinct.size(), std::size_t{3});
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(picks[i + 3], picks[i]);
    }
  }
};

QTEST_GUILESS_MAIN(TstLoopPool)
#include "tst_loop_pool.moc"
