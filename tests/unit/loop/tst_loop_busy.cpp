// EventLoop::timeSpent(): time waiting in the poll counts as idle, time in
// callbacks does not, and both only grow.
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

namespace {

constexpr std::uint64_t kMs = 1'000'000;

}  // namespace

class TstLoopBusy : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("busy");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void waitingForATimerIsIdle() {
    const auto before = runOn(*loop_, [this] { return loop_->timeSpent(); });
    auto fired = std::make_shared<std::promise<EventLoop::TimeSpent>>();
    auto future = fired->get_future();
    auto timer = runOn(*loop_, [this, fired] {
      auto t = std::make_unique<Timer>(*loop_);
      t->start(200ms, 0ms, [this, fired] { fired->set_value(loop_->timeSpent()); });
      return t;
    });
    QVERIFY(waitReady(future));
    const auto after = future.get();
    runOn(*loop_, [&timer] { timer.reset(); });
    QVERIFY(after.elapsedNs >= before.elapsedNs + 190 * kMs);
    QVERIFY(after.idleNs <= after.elapsedNs);
    // Nearly all of the 200 ms was spent in the poll; allow for a slow machine.
    QVERIFY2(after.idleNs - before.idleNs >= 150 * kMs,
             qPrintable(QString::number((after.idleNs - before.idleNs) / kMs)));
  }

  void runningACallbackIsBusy() {
    const auto before = runOn(*loop_, [this] { return loop_->timeSpent(); });
    runOn(*loop_, [] {
      const auto until = std::chrono::steady_clock::now() + 200ms;
      while (std::chrono::steady_clock::now() < until) {
      }
    });
    const auto after = runOn(*loop_, [this] { return loop_->timeSpent(); });
    const std::uint64_t elapsed = after.elapsedNs - before.elapsedNs;
    const std::uint64_t idle = after.idleNs - before.idleNs;
    QVERIFY(elapsed >= 200 * kMs);
    // The 200 ms spin is never idle; what idle there is came from the polls
    // between the three posts (the test thread's wake-ups).
    QVERIFY2(elapsed - idle >= 200 * kMs, qPrintable(QString::number(idle / kMs)));
  }
};

QTEST_GUILESS_MAIN(TstLoopBusy)
#include "tst_loop_busy.moc"
