#include <QtTest>

#include <QProcess>

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/util/Log.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary::loop;
using namespace tributary::loop::test;

namespace {

// Re-run in a child process (see main): these must abort with a message.
int runDeathCase(const char* which) {
  EventLoop loop("death");
  loop.start();
  if (std::strcmp(which, "timer-off-thread") == 0) {
    Timer timer(loop);  // constructed on the main thread, not the loop's
  } else if (std::strcmp(which, "hook-off-thread") == 0) {
    loop.addShutdownHook([] {});
  } else if (std::strcmp(which, "stop-on-own-thread") == 0) {
    std::promise<void> never;
    loop.post([&loop] { loop.stop(); });
    never.get_future().wait_for(std::chrono::seconds(20));
  }
  return 0;  // reaching this means no abort: the parent test fails
}

}  // namespace

class TstLoopPost : public QObject {
  Q_OBJECT
 private slots:
  void millionPostsFromFourThreadsRunOnceInOrder() {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 250000;
    struct State {
      std::vector<int> next = std::vector<int>(kThreads, 0);  // loop thread only
      long long outOfOrder = 0;
      long long total = 0;
      std::promise<void> done;
    } state;
    EventLoop loop("million");
    loop.start();
    std::vector<std::thread> producers;
    for (int t = 0; t < kThreads; ++t) {
      producers.emplace_back([&loop, &state, t] {
        for (int i = 0; i < kPerThread; ++i) {
          loop.post([&state, t, i] {
            if (state.next[t] != i) {
              ++state.outOfOrder;
            }
            state.next[t] = i + 1;
            if (++state.total == static_cast<long long>(kThreads) * kPerThread) {
              state.done.set_value();
            }
          });
        }
      });
    }
    for (auto& p : producers) {
      p.join();
    }
    auto done = state.done.get_future();
    QVERIFY2(waitReady(done, std::chrono::seconds(60)), "not every closure ran");
    // Nothing runs twice: a second pass over the queue would have been seen here.
    const long long total = runOn(loop, [&state] { return state.total; });
    QCOMPARE(total, static_cast<long long>(kThreads) * kPerThread);
    QCOMPARE(state.outOfOrder, 0LL);
    for (int t = 0; t < kThreads; ++t) {
      QCOMPARE(state.next[t], kPerThread);
    }
    QCOMPARE(loop.stop(), 0);
  }

  void postsBeforeStartRunAfterStart() {
    EventLoop loop("early");
    std::vector<int> order;
    loop.post([&order] { order.push_back(1); });
    loop.post([&order] { order.push_back(2); });
    loop.start();
    runOn(loop, [&order] { order.push_back(3); });
    QCOMPARE(order, (std::vector<int>{1, 2, 3}));
    QCOMPARE(loop.stop(), 0);
  }

  void currentAndThreadAffinity() {
    EventLoop loop("affinity");
    loop.start();
    QVERIFY(EventLoop::current() == nullptr);
    QVERIFY(!loop.isInLoopThread());
    QVERIFY(
        runOn(loop, [&loop] { return EventLoop::current() == &loop && loop.isInLoopThread(); }));
    const auto now1 = runOn(loop, [&loop] { return loop.nowMs(); });
    QVERIFY(now1 > 0);
    QCOMPARE(loop.name(), std::string("affinity"));
    QCOMPARE(loop.stop(), 0);
  }

  void postFromTheLoopRunsAfterTheCurrentBatch() {
    EventLoop loop("nested");
    loop.start();
    std::vector<int> order;
    std::promise<void> done;
    loop.post([&] {
      loop.post([&] {
        order.push_back(3);
        done.set_value();
      });
      order.push_back(1);
    });
    loop.post([&] { order.push_back(2); });
    auto f = done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(order, (std::vector<int>{1, 2, 3}));
    QCOMPARE(loop.stop(), 0);
  }

  void throwingClosureDoesNotStopTheLoop() {
    tributary::util::Logger::instance().configure(tributary::LogLevel::Off, "", false);
    EventLoop loop("throws");
    loop.start();
    loop.post([] { throw std::runtime_error("boom"); });
    QVERIFY(runOn(loop, [] { return true; }));
    QCOMPARE(loop.stop(), 0);
    tributary::util::Logger::instance().configure(tributary::LogLevel::Warning, "", true);
  }

  void stopIsIdempotentAndConcurrent() {
    EventLoop loop("stops");
    loop.start();
    std::vector<std::future<int>> results;
    for (int i = 0; i < 3; ++i) {
      results.push_back(std::async(std::launch::async, [&loop] { return loop.stop(); }));
    }
    for (auto& r : results) {
      QVERIFY(waitReady(r));
      QCOMPARE(r.get(), 0);
    }
    QCOMPARE(loop.stop(), 0);
    QCOMPARE(loop.closeResult(), 0);
    QVERIFY(loop.isClosed());
  }

  void postAfterStopIsDestroyedNotRun() {
    EventLoop loop("after");
    loop.start();
    QCOMPARE(loop.stop(), 0);
    auto live = makeCounter();
    bool ran = false;
    loop.post([&ran, token = LifeToken(live)] { ran = true; });
    QCOMPARE(live->load(), 0);
    QVERIFY(!ran);
  }

  void offThreadUseAborts_data() {
    QTest::addColumn<QString>("which");
    QTest::newRow("timer") << "timer-off-thread";
    QTest::newRow("hook") << "hook-off-thread";
    QTest::newRow("stop-self") << "stop-on-own-thread";
  }

  void offThreadUseAborts() {
#if !TRIBUTARY_DEBUG_CHECKS
    QSKIP("thread-affinity checks are compiled out of this build");
#endif
    QFETCH(QString, which);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("TRIBUTARY_DEATH_CASE", which);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(30000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    const QByteArray err = child.readAllStandardError();
    QVERIFY2(err.contains("tributary: EventLoop 'death'"), err.constData());
  }
};

int main(int argc, char** argv) {
  if (const char* which = std::getenv("TRIBUTARY_DEATH_CASE")) {
    return runDeathCase(which);
  }
  QCoreApplication app(argc, argv);
  TstLoopPost test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_loop_post.moc"
