#include <QtTest>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/LoopPool.h"
#include "engine/loop/Timer.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

// Reposts itself forever: stop() must still finish.
void repostForever(EventLoop* loop, const std::shared_ptr<std::atomic<long>>& runs,
                   LifeToken token) {
  ++*runs;
  loop->post([loop, runs, token = std::move(token)]() mutable {
    repostForever(loop, runs, std::move(token));
  });
}

}  // namespace

class TstLoopShutdown : public QObject {
  Q_OBJECT
 private slots:
  void stopWithWorkPendingNeitherHangsNorLeaks() {
    auto live = makeCounter();
    auto runs = std::make_shared<std::atomic<long>>(0);
    EventLoop loop("pending");
    loop.start();
    loop.post([&loop, runs, token = LifeToken(live)]() mutable {
      repostForever(&loop, runs, std::move(token));
    });
    // Timers and more queued work that will never get to run.
    runOn(loop, [&loop, live] {
      for (int i = 0; i < 20; ++i) {
        auto* timer = new Timer(loop);
        timer->start(1ms, 1ms, [token = LifeToken(live)] {});
        // The loop closes the handle at stop; the hook frees the object.
        loop.addShutdownHook([timer] { delete timer; });
      }
    });
    std::vector<std::thread> producers;
    for (int t = 0; t < 2; ++t) {
      producers.emplace_back([&loop, live] {
        for (int i = 0; i < 20000; ++i) {
          loop.post([token = LifeToken(live)] {});
        }
      });
    }
    const auto started = std::chrono::steady_clock::now();
    const int rc = loop.stop();
    const auto took = std::chrono::steady_clock::now() - started;
    for (auto& p : producers) {
      p.join();
    }
    QCOMPARE(rc, 0);
    QVERIFY(std::chrono::duration_cast<std::chrono::seconds>(took).count() < 10);
    QVERIFY(runs->load() > 0);
    QCOMPARE(live->load(), 0);  // every queued closure and callback was destroyed
  }

  void closuresBeforeStopRunThenHooksInOrder() {
    EventLoop loop("order");
    loop.start();
    std::vector<std::string> order;  // touched on the loop thread only until stop() returns
    runOn(loop, [&loop, &order] {
      loop.addShutdownHook([&order] { order.push_back("hook1"); });
      loop.addShutdownHook([&loop, &order] {
        order.push_back("hook2");
        loop.addShutdownHook([&order] { order.push_back("hook3"); });  // added late, still runs
        loop.post([&order] { order.push_back("posted-in-hook"); });    // after stop: never runs
      });
    });
    loop.post([&order] { order.push_back("a"); });
    loop.post([&order] { order.push_back("b"); });
    QCOMPARE(loop.stop(), 0);
    QCOMPARE(order, (std::vector<std::string>{"a", "b", "hook1", "hook2", "hook3"}));
  }

  void closuresPostedDuringShutdownDieOnTheLoopThread() {
    EventLoop loop("leftovers");
    loop.start();
    struct Probe {
      EventLoop* expected;
      std::shared_ptr<std::atomic<int>> onLoopThread;
      bool armed = true;
      explicit Probe(EventLoop* l, std::shared_ptr<std::atomic<int>> c)
          : expected(l), onLoopThread(std::move(c)) {}
      Probe(Probe&& o) noexcept : expected(o.expected), onLoopThread(std::move(o.onLoopThread)) {
        o.armed = false;
      }
      ~Probe() {
        if (armed && EventLoop::current() == expected) {
          ++*onLoopThread;
        }
      }
    };
    auto count = std::make_shared<std::atomic<int>>(0);
    runOn(loop, [&loop, count] {
      loop.addShutdownHook([&loop, count] {
        for (int i = 0; i < 3; ++i) {
          loop.post([probe = Probe(&loop, count)] {});
        }
      });
    });
    QCOMPARE(loop.stop(), 0);
    QCOMPARE(count->load(), 3);
  }

  void neverStartedLoopDropsItsQueue() {
    auto live = makeCounter();
    bool ran = false;
    {
      EventLoop loop("never");
      loop.post([&ran, token = LifeToken(live)] { ran = true; });
      QCOMPARE(live->load(), 1);
      QCOMPARE(loop.stop(), 0);
      QCOMPARE(live->load(), 0);
    }
    QVERIFY(!ran);
    EventLoop unused("unused");  // destroyed without start() or stop()
  }

  void destructorStopsARunningLoop() {
    auto live = makeCounter();
    auto loop = std::make_unique<EventLoop>("dtor");
    loop->start();
    runOn(*loop, [&loop, live] {
      auto* timer = new Timer(*loop);
      timer->start(5ms, 5ms, [token = LifeToken(live)] {});
      loop->addShutdownHook([timer] { delete timer; });
    });
    loop.reset();
    QCOMPARE(live->load(), 0);
  }

  void poolStopsEveryLoopCleanly() {
    LoopPool pool(3);
    pool.start();
    auto live = makeCounter();
    std::vector<std::unique_ptr<Timer>> timers(pool.size());
    for (unsigned i = 0; i < pool.size(); ++i) {
      runOn(pool.loop(i), [&pool, &timers, i, live] {
        timers[i] = std::make_unique<Timer>(pool.loop(i));
        timers[i]->start(2ms, 2ms, [token = LifeToken(live)] {});
      });
      pool.loop(i).post([live, token = LifeToken(live)] {});
    }
    QCOMPARE(pool.stop(), 0);
    QCOMPARE(live->load(), 0);
    timers.clear();  // after their loops closed them: harmless
    QCOMPARE(pool.stop(), 0);
  }

  void repeatedStartStopCyclesLeakNothing() {
    auto live = makeCounter();
    for (int cycle = 0; cycle < 50; ++cycle) {
      EventLoop loop("cycle");
      loop.start();
      runOn(loop, [&loop, live] {
        auto* timer = new Timer(loop);
        timer->start(1ms, 1ms, [token = LifeToken(live)] {});
        loop.addShutdownHook([timer] { delete timer; });
      });
      loop.post([token = LifeToken(live)] {});
      QCOMPARE(loop.stop(), 0);
    }
    QCOMPARE(live->load(), 0);
  }
};

QTEST_GUILESS_MAIN(TstLoopShutdown)
#include "tst_loop_shutdown.moc"
