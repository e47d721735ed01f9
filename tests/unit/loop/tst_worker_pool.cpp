#include <QtTest>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "engine/loop/LoopPool.h"
#include "engine/loop/WorkerPool.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary::loop;
using namespace tributary::loop::test;

namespace {

// A gate that a job waits on, bounded in time so a broken test cannot hang.
struct Gate {
  std::promise<void> opened;
  std::shared_future<void> wait = opened.get_future().share();
  void open() { opened.set_value(); }
  void block() const { wait.wait_for(std::chrono::seconds(20)); }
};

}  // namespace

class TstWorkerPool : public QObject {
  Q_OBJECT
 private slots:
  void resultsReturnToTheSubmittingLoop() {
    LoopPool loops(3);
    loops.start();
    WorkerPool workers(2, 10000);
    constexpr int kPerLoop = 200;
    struct Tally {
      std::atomic<int> done{0};
      std::atomic<int> wrongLoop{0};
      std::atomic<int> workOnLoopThread{0};
      std::atomic<int> wrongResult{0};
      std::promise<void> all;
    };
    auto tally = std::make_shared<Tally>();
    const int expected = static_cast<int>(loops.size()) * kPerLoop;
    for (unsigned l = 0; l < loops.size(); ++l) {
      EventLoop& loop = loops.loop(l);
      runOn(loop, [&workers, &loop, tally, expected] {
        for (int i = 0; i < kPerLoop; ++i) {
          const bool accepted = workers.submit(
              loop,
              [tally, i] {
                if (EventLoop::current() != nullptr) {
                  ++tally->workOnLoopThread;
                }
                return i * 2;
              },
              [tally, &loop, i, expected](int result) {
                if (EventLoop::current() != &loop) {
                  ++tally->wrongLoop;
                }
                if (result != i * 2) {
                  ++tally->wrongResult;
                }
                if (++tally->done == expected) {
                  tally->all.set_value();
                }
              });
          if (!accepted) {
            ++tally->wrongResult;
          }
        }
      });
    }
    auto all = tally->all.get_future();
    QVERIFY(waitReady(all));
    QCOMPARE(tally->wrongLoop.load(), 0);
    QCOMPARE(tally->workOnLoopThread.load(), 0);
    QCOMPARE(tally->wrongResult.load(), 0);
    workers.stop();
    QCOMPARE(loops.stop(), 0);
  }

  void voidWorkAndMoveOnlyResults() {
    EventLoop loop("reply");
    loop.start();
    WorkerPool workers(1, 16);
    std::promise<int> got;
    std::promise<void> voidDone;
    auto payload = std::make_unique<int>(5);
    QVERIFY(workers.submit(
        loop, [payload = std::move(payload)]() mutable { return std::move(payload); },
        [&got](std::unique_ptr<int> p) { got.set_value(*p); }));
    bool sideEffect = false;
    QVERIFY(workers.submit(
        loop, [&sideEffect] { sideEffect = true; }, [&voidDone] { voidDone.set_value(); }));
    auto g = got.get_future();
    auto v = voidDone.get_future();
    QVERIFY(waitReady(g));
    QVERIFY(waitReady(v));
    QCOMPARE(g.get(), 5);
    QVERIFY(sideEffect);
    workers.stop();
    QCOMPARE(loop.stop(), 0);
  }

  void boundedQueueRefusesWithoutTakingTheJob() {
    EventLoop loop("bounded");
    loop.start();
    WorkerPool workers(1, 2);
    Gate gate;
    std::promise<void> started;
    std::atomic<int> dones{0};
    std::promise<void> firstThree;
    auto countDone = [&dones, &firstThree] {
      if (++dones == 3) {
        firstThree.set_value();
      }
    };
    QVERIFY(workers.submit(
        loop,
        [&gate, &started] {
          started.set_value();
          gate.block();
        },
        countDone));
    auto s = started.get_future();
    QVERIFY(waitReady(s));  // the only worker is busy: further jobs wait in the queue
    QVERIFY(workers.submit(
        loop, [] {}, countDone));
    QVERIFY(workers.submit(
        loop, [] {}, countDone));
    QCOMPARE(workers.queued(), std::size_t{2});

    auto refused = [token = std::make_unique<int>(7)] { return *token; };
    QVERIFY(!workers.submit(loop, std::move(refused), [](int) {}));
    QCOMPARE(workers.queued(), std::size_t{2});
    // Refused means untouched: the caller can retry with the same job.
    QCOMPARE(refused(), 7);  // NOLINT(bugprone-use-after-move)

    gate.open();
    auto three = firstThree.get_future();
    QVERIFY(waitReady(three));
    QCOMPARE(workers.queued(), std::size_t{0});
    std::promise<int> retried;
    QVERIFY(workers.submit(loop, std::move(refused), [&retried](int v) { retried.set_value(v); }));
    auto r = retried.get_future();
    QVERIFY(waitReady(r));
    QCOMPARE(r.get(), 7);
    workers.stop();
    QCOMPARE(loop.stop(), 0);
  }

  void stopDropsQueuedJobsAndWaitsForRunningOnes() {
    EventLoop loop("dropping");
    loop.start();
    auto workers = std::make_unique<WorkerPool>(1, 100);
    Gate gate;
    std::promise<void> started;
    std::atomic<bool> runningFinished{false};
    std::promise<void> runningDone;
    QVERIFY(workers->submit(
        loop,
        [&] {
          started.set_value();
          gate.block();
          runningFinished = true;
        },
        [&runningDone] { runningDone.set_value(); }));
    auto s = started.get_future();
    QVERIFY(waitReady(s));
    auto live = makeCounter();
    std::atomic<int> droppedRan{0};
    for (int i = 0; i < 5; ++i) {
      QVERIFY(workers->submit(
          loop, [&droppedRan, token = LifeToken(live)] { ++droppedRan; },
          [&droppedRan, token = LifeToken(live)] { ++droppedRan; }));
    }
    QCOMPARE(live->load(), 10);
    auto stopped = std::async(std::launch::async, [&workers] { workers->stop(); });
    // stop() drops the queue first, then waits for the running job.
    for (int i = 0; i < 100000 && workers->queued() != 0; ++i) {
      std::this_thread::yield();
    }
    QCOMPARE(workers->queued(), std::size_t{0});
    QVERIFY(stopped.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
    gate.open();
    QVERIFY(waitReady(stopped));
    QVERIFY(runningFinished.load());
    auto rd = runningDone.get_future();
    QVERIFY(waitReady(rd));  // the running job's done still came back
    QCOMPARE(droppedRan.load(), 0);
    QCOMPARE(live->load(), 0);
    QVERIFY(!workers->submit(
        loop, [] {}, [] {}));  // refused after stop
    workers.reset();
    QCOMPARE(loop.stop(), 0);
  }

  void completionsForAStoppedLoopAreDestroyed() {
    auto live = makeCounter();
    WorkerPool workers(1, 16);
    {
      EventLoop loop("gone");
      loop.start();
      QCOMPARE(loop.stop(), 0);
      std::promise<void> worked;
      QVERIFY(workers.submit(
          loop, [&worked] { worked.set_value(); }, [token = LifeToken(live)] {}));
      auto w = worked.get_future();
      QVERIFY(waitReady(w));
      workers.stop();  // the job has fully finished once its thread is joined
    }
    QCOMPARE(live->load(), 0);
  }
};

QTEST_GUILESS_MAIN(TstWorkerPool)
#include "tst_worker_pool.moc"
