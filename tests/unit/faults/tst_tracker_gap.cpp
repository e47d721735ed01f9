// Issue 8, faults: a suspend as the engine's loop sees it, a long gap in its
// monotonic clock with nothing run in between (here: a closure that holds
// the loop thread for a second). An announce or a retry that fell due during
// the gap goes out at once after it, and once: not one per period missed in
// a burst, and the spacing after it is the interval again. A rate meter
// after the gap shows what came since, not bytes divided by the gap. And a
// network that is back (a peer answered again) has failed trackers asked now.
#include <QtTest>

#include <chrono>
#include <memory>
#include <thread>

#include "engine/bt/TrackerList.h"
#include "engine/core/RateMeter.h"
#include "engine/loop/EventLoop.h"
#include "unit/loop/LoopTestUtil.h"
#include "unit/tracker/FakeHttpGetter.h"
#include "unit/tracker/TrackerTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::bt::test;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kInterval = 300ms;  // what the list is told to keep between announces
constexpr auto kGap = 2000ms;      // six intervals missed

std::string answer() {
  // "interval 0": the list spaces announces by its minimumInterval, kInterval.
  return "d8:intervali0e5:peers0:e";
}

struct Env {
  std::unique_ptr<FakeHttpGetter> http;
  std::unique_ptr<TrackerList> list;
};

}  // namespace

class TestTrackerGap : public QObject {
  Q_OBJECT

  std::unique_ptr<loop::EventLoop> loop_;
  std::shared_ptr<Env> env_;

  std::size_t announces() {
    return runOn(*loop_, [env = env_] { return env->http->seen().size(); });
  }
  template <class Pred>
  bool waitFor(Pred pred, std::chrono::milliseconds limit = 10s) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (pred()) {
        return true;
      }
      std::this_thread::sleep_for(5ms);  // polling another thread's state
    }
    return false;
  }
  // Holds the loop thread for kGap; returns when the gap ended.
  Clock::time_point stallTheLoop() {
    return runOn(*loop_, [] {
      std::this_thread::sleep_for(kGap);  // the fault itself: the loop runs nothing meanwhile
      return Clock::now();
    });
  }
  void startList(int failFirst, std::chrono::milliseconds retryBase = 500ms) {
    runOn(*loop_, [this, env = env_, failFirst, retryBase]() mutable {
      env->http = std::make_unique<FakeHttpGetter>(*loop_);
      auto failures = std::make_shared<int>(failFirst);
      env->http->script = [failures](const std::string&) {
        if (*failures > 0) {
          --*failures;
          // No answer at all, as when our own link is down.
          return std::optional<Result<core::HttpGetResponse>>(
              Error{ErrorCode::ConnectionRefused, "network is unreachable"});
        }
        return std::optional<Result<core::HttpGetResponse>>(FakeHttpGetter::ok(answer()));
      };
      TrackerListOptions options;
      options.shuffleTiers = false;
      options.minimumInterval = kInterval;
      options.defaultInterval = kInterval;
      options.retryBase = retryBase;
      TrackerClients clients;
      clients.http = env->http.get();
      TrackerIdentity id;
      id.infoHash = hashFrom(0x41);
      id.peerId = peerIdOf("-TY0100-gaptestpeer0");
      id.port = 6881;
      env->list = std::make_unique<TrackerList>(
          *loop_, std::vector<std::vector<std::string>>{{"http://tracker.test/announce"}}, id,
          clients, options);
      env->list->start();
    });
  }
  // Announce times after `from`, read on the loop.
  std::vector<long long> msAfter(Clock::time_point from) {
    return runOn(*loop_, [env = env_, from] {
      std::vector<long long> out;
      for (const SeenGet& get : env->http->seen()) {
        if (get.at >= from) {
          out.push_back(
              std::chrono::duration_cast<std::chrono::milliseconds>(get.at - from).count());
        }
      }
      return out;
    });
  }

 private slots:
  void init() {
    loop_ = std::make_unique<loop::EventLoop>("tracker-gap");
    loop_->start();
    env_ = std::make_shared<Env>();
  }
  void cleanup() {
    runOn(*loop_, [env = env_] {
      env->list.reset();
      env->http.reset();
    });
    env_.reset();
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void dueAnnounceGoesOutOnceAfterTheGap() {
    startList(0);
    QVERIFY(waitFor([&] { return announces() >= 3; }));  // running at its interval
    const Clock::time_point gapEnd = stallTheLoop();
    // Three intervals after the gap: the overdue announce and about two more.
    QVERIFY(waitFor([&] { return msAfter(gapEnd).size() >= 3; }));
    const std::vector<long long> after = msAfter(gapEnd);
    qInfo("announces after the gap at %lld, %lld, %lld ms", after[0], after[1], after[2]);
    // "At once": well before the interval it would be late by if the timer
    // counted from the gap's end (slack for a loaded machine).
    QVERIFY2(after[0] < 150, "the announce due in the gap did not go out at once");
    // Once, not one per missed interval: the next keeps the interval.
    const auto spacing = std::chrono::milliseconds(kInterval).count();
    QVERIFY(after[1] - after[0] >= spacing - 5);
    QVERIFY(after[2] - after[1] >= spacing - 5);
  }

  void dueRetryGoesOutOnceAfterTheGap() {
    startList(1);  // the first announce fails: a retry 500 ms later
    QVERIFY(waitFor([&] {
      return runOn(*loop_, [env = env_] {
        const auto stats = env->list->stats();
        return !stats.empty() && stats[0].status == TrackerStatus::Failed;
      });
    }));
    const Clock::time_point gapEnd = stallTheLoop();
    QVERIFY(waitFor([&] { return !msAfter(gapEnd).empty(); }, 2s));
    const std::vector<long long> after = msAfter(gapEnd);
    QVERIFY2(after[0] < 150,
             qPrintable(QStringLiteral("the retry came %1 ms after").arg(after[0])));
    QVERIFY(waitFor([&] {
      return runOn(*loop_,
                   [env = env_] { return env->list->stats()[0].status == TrackerStatus::Working; });
    }));
  }

  // A peer got through again after failures: a tracker on back-off is asked
  // at once instead of when its back-off ends, but not more than once a minute.
  void networkRecoveredAsksAFailedTrackerNow() {
    startList(2, 5s);  // fails twice; back-off 5 s, then 10 s
    const auto failedAfter = [this](std::size_t announcesSoFar) {
      return waitFor([&] {
        return runOn(*loop_, [env = env_, announcesSoFar] {
          return env->http->seen().size() == announcesSoFar &&
                 env->list->stats()[0].status == TrackerStatus::Failed;
        });
      });
    };
    QVERIFY(failedAfter(1));
    const Clock::time_point nudged = runOn(*loop_, [env = env_] {
      env->list->networkRecovered();
      return Clock::now();
    });
    QVERIFY(waitFor([&] { return !msAfter(nudged).empty(); }, 2s));
    QVERIFY2(msAfter(nudged)[0] < 1000, "not asked at once (its back-off was 5 s)");
    QVERIFY(failedAfter(2));
    const Clock::time_point again = runOn(*loop_, [env = env_] {
      env->list->networkRecovered();  // within the minute: ignored
      return Clock::now();
    });
    QVERIFY(!waitFor([&] { return !msAfter(again).empty(); }, 1500ms));
  }

  void rateMeterAfterAGap() {
    core::RateMeter meter;
    std::uint64_t now = 1'000'000;
    for (int i = 0; i < 12; ++i, now += 250) {
      meter.add(250'000, now);  // 1 MB/s
    }
    QVERIFY(meter.rate(now) > 900'000 && meter.rate(now) < 1'100'000);
    now += 60'000;  // the gap
    QCOMPARE(meter.rate(now), std::uint64_t{0});
    meter.add(100'000, now);  // what the socket buffered, read at once
    const std::uint64_t rate = meter.rate(now + 100);
    // Over the window, not over the gap nor over the 100 ms since.
    QVERIFY2(rate <= 100'000 * 1000 / (core::RateMeter::kWindowMs - core::RateMeter::kSlotMs),
             qPrintable(QString::number(rate)));
    QVERIFY(rate > 0);
    QCOMPARE(meter.total(), std::uint64_t{12 * 250'000 + 100'000});
  }
};

QTEST_GUILESS_MAIN(TestTrackerGap)
#include "tst_tracker_gap.moc"
