#include <QtTest>

#include <chrono>
#include <future>
#include <memory>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

long long msSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// Generous upper bound: the machine is shared and ASan is slow. A timer that
// never fires or fires early still fails.
constexpr long long kLateToleranceMs = 1500;

}  // namespace

class TstLoopTimer : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("timers");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void oneShotFiresOnceWithinTolerance() {
    struct State {
      std::unique_ptr<Timer> timer, check;
      Clock::time_point started;
      long long firedAfterMs = -1;
      int fires = 0;
      bool activeAfterStart = false;
      std::promise<int> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [s, this] {
      s->timer = std::make_unique<Timer>(*loop_);
      s->check = std::make_unique<Timer>(*loop_);
      s->started = Clock::now();
      s->timer->start(50ms, 0ms, [s] {
        ++s->fires;
        s->firedAfterMs = msSince(s->started);
      });
      s->activeAfterStart = s->timer->active();
      // A later timer checks that the one-shot did not fire again.
      s->check->start(250ms, 0ms, [s] { s->done.set_value(s->fires); });
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(f.get(), 1);
    QVERIFY(s->activeAfterStart);
    QVERIFY2(s->firedAfterMs >= 49, qPrintable(QString::number(s->firedAfterMs)));
    QVERIFY2(s->firedAfterMs < 50 + kLateToleranceMs, qPrintable(QString::number(s->firedAfterMs)));
    QVERIFY(!runOn(*loop_, [s] { return s->timer->active(); }));
    runOn(*loop_, [s] {
      s->timer.reset();
      s->check.reset();
    });
  }

  void repeatingTimerCancelsItselfFromItsCallback() {
    struct State {
      std::unique_ptr<Timer> timer, check;
      Clock::time_point started;
      long long fifthAfterMs = -1;
      int fires = 0;
      std::promise<int> done;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    runOn(*loop_, [s, live, this] {
      s->timer = std::make_unique<Timer>(*loop_);
      s->check = std::make_unique<Timer>(*loop_);
      s->started = Clock::now();
      s->timer->start(20ms, 20ms, [s, token = LifeToken(live)] {
        if (++s->fires == 5) {
          s->fifthAfterMs = msSince(s->started);
          s->timer->stop();  // cancel from inside: the running callback must survive
          s->check->start(150ms, 0ms, [s] { s->done.set_value(s->fires); });
        }
      });
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(f.get(), 5);
    QVERIFY2(s->fifthAfterMs >= 99, qPrintable(QString::number(s->fifthAfterMs)));
    QVERIFY(!runOn(*loop_, [s] { return s->timer->active(); }));
    QCOMPARE(live->load(), 0);  // stop() released the callback once it returned
    runOn(*loop_, [s] {
      s->timer.reset();
      s->check.reset();
    });
  }

  void stopBeforeFiringCancelsAndReleases() {
    struct State {
      std::unique_ptr<Timer> timer, check;
      int fires = 0;
      std::promise<int> done;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    runOn(*loop_, [s, live, this] {
      s->timer = std::make_unique<Timer>(*loop_);
      s->check = std::make_unique<Timer>(*loop_);
      s->timer->start(30ms, 10ms, [s, token = LifeToken(live)] { ++s->fires; });
      s->timer->stop();
      s->check->start(120ms, 0ms, [s] { s->done.set_value(s->fires); });
    });
    QCOMPARE(live->load(), 0);
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(f.get(), 0);
    runOn(*loop_, [s] {
      s->timer.reset();
      s->check.reset();
    });
  }

  void destroyingTheTimerInsideItsCallbackIsSafe() {
    struct State {
      std::unique_ptr<Timer> timer;
      int fires = 0;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    runOn(*loop_, [s, live, this] {
      s->timer = std::make_unique<Timer>(*loop_);
      s->timer->start(5ms, 5ms, [s, token = LifeToken(live)] {
        ++s->fires;
        s->timer.reset();  // destroys the Timer whose callback this is
        s->done.set_value();
      });
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    // One more round trip: the close callback has had a loop iteration to run.
    QCOMPARE(runOn(*loop_, [s] { return s->fires; }), 1);
    QCOMPARE(live->load(), 0);
  }

  void restartInsideCallbackReplacesIt() {
    struct State {
      std::unique_ptr<Timer> timer;
      std::vector<int> order;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [s, this] {
      s->timer = std::make_unique<Timer>(*loop_);
      s->timer->start(5ms, 5ms, [s] {
        s->order.push_back(1);
        s->timer->start(5ms, 0ms, [s] {
          s->order.push_back(2);
          s->done.set_value();
        });
      });
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(runOn(*loop_, [s] { return s->order; }), (std::vector<int>{1, 2}));
    QVERIFY(!runOn(*loop_, [s] { return s->timer->active(); }));
    runOn(*loop_, [s] { s->timer.reset(); });
  }

  void manyTimersFireInDeadlineOrder() {
    struct State {
      std::vector<std::unique_ptr<Timer>> timers;
      std::vector<int> order;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [s, this] {
      for (int i = 5; i >= 1; --i) {
        auto t = std::make_unique<Timer>(*loop_);
        t->start(std::chrono::milliseconds(i * 15), 0ms, [s, i] {
          s->order.push_back(i);
          if (s->order.size() == 5) {
            s->done.set_value();
          }
        });
        s->timers.push_back(std::move(t));
      }
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(runOn(*loop_, [s] { return s->order; }), (std::vector<int>{1, 2, 3, 4, 5}));
    runOn(*loop_, [s] { s->timers.clear(); });
  }

  void timerStillAliveAtStopIsClosedByTheLoop() {
    auto live = makeCounter();
    std::unique_ptr<Timer> timer;
    bool activeInHook = false;
    runOn(*loop_, [&timer, &activeInHook, live, this] {
      timer = std::make_unique<Timer>(*loop_);
      timer->start(10ms, 10ms, [token = LifeToken(live)] {});
      // Hooks run before handles are closed: the timer is still live there.
      loop_->addShutdownHook([&timer, &activeInHook] { activeInHook = timer->active(); });
    });
    QCOMPARE(loop_->stop(), 0);  // uv_loop_close succeeded with the Timer object alive
    QVERIFY(activeInHook);
    QCOMPARE(live->load(), 0);  // the loop released the callback when it closed the handle
    QVERIFY(!timer->active());  // harmless now, from any thread
    timer->start(1ms, 0ms, [] {});
    timer->stop();
    timer.reset();
    QCOMPARE(live->load(), 0);
  }
};

QTEST_GUILESS_MAIN(TstLoopTimer)
#include "tst_loop_timer.moc"
