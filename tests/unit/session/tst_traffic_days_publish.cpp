// The traffic history's days (EngineStats::trafficDays, ~3 KB) are published
// per change, not per tick (UpdatePublisher): a subscriber's first update
// carries them, later deltas leave them out (trafficDaysOmitted) until they
// changed, changes of today's bytes wait out the interval, a new day goes at
// once, and a subscriber joining later still gets the whole history first.
#include <QElapsedTimer>
#include <QtTest>

#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/SubscriberList.h"
#include "engine/session/UpdatePublisher.h"
#include "unit/session/TrafficTestClock.h"

using namespace tributary;
using namespace tributary::session;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kDayS = 86'400;
constexpr auto kInterval = 1000ms;

TaskSnapshot withTraffic(TaskId id, std::uint64_t bt) {
  TaskSnapshot s;
  s.id = id;
  s.traffic.bt = bt;
  return s;
}

// What one subscriber was given, in order.
struct Inbox {
  std::mutex mutex;
  std::vector<Update> updates;

  UpdateCallback callback() {
    return [this](const Update& update) {
      std::lock_guard lock(mutex);
      updates.push_back(update);
    };
  }
  std::vector<Update> take() {
    std::lock_guard lock(mutex);
    return std::exchange(updates, {});
  }
};

std::uint64_t btOn(const EngineStats& stats, std::int32_t day) {
  for (const TrafficDay& d : stats.trafficDays) {
    if (d.day == day) {
      return d.bytes.bt;
    }
  }
  return 0;
}

}  // namespace

class TestTrafficDaysPublish : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<loop::EventLoop> loop_;
  SnapshotHub hub_;
  SubscriberList subscribers_;
  std::unique_ptr<UpdatePublisher> publisher_;
  std::shared_ptr<test::FakeTrafficClock> clock_ = std::make_shared<test::FakeTrafficClock>();

  // One publish on the loop thread; returns once it is done.
  bool publish() {
    std::promise<void> done;
    auto future = done.get_future();
    loop_->post([this, &done] {
      publisher_->publishNow();
      done.set_value();
    });
    return future.wait_for(5s) == std::future_status::ready;
  }

 private slots:
  void initTestCase() {
    qputenv("TZ", "UTC");
    tzset();
    hub_.setTrafficClock([clock = clock_] { return clock->now; });
    loop_ = std::make_unique<loop::EventLoop>("publish");
    loop_->start();
    // The tick is never started: the test publishes by hand.
    publisher_ = std::make_unique<UpdatePublisher>(*loop_, 1h, hub_, subscribers_, kInterval);
  }

  void cleanupTestCase() {
    std::promise<void> done;
    loop_->post([this, &done] {
      publisher_.reset();
      done.set_value();
    });
    QVERIFY(done.get_future().wait_for(5s) == std::future_status::ready);
    QCOMPARE(loop_->stop(), 0);
  }

  void daysGoOutPerChange() {
    const std::int32_t today = localDayOf(clock_->now.wallUnix);
    Inbox first;
    subscribers_.add(first.callback(), {});
    hub_.put(withTraffic(1, 1000));

    // The first update is the whole history.
    QElapsedTimer sentAt;  // real time runs no slower than the loop's
    sentAt.start();
    QVERIFY(publish());
    auto got = first.take();
    QCOMPARE(got.size(), std::size_t{1});
    QVERIFY(got[0].full);
    QVERIFY(!got[0].stats.trafficDaysOmitted);
    QCOMPARE(btOn(got[0].stats, today), std::uint64_t{1000});

    // Nothing moved: the days stay home, the rest of the stats still come.
    QVERIFY(publish());
    got = first.take();
    QCOMPARE(got.size(), std::size_t{1});
    QVERIFY(got[0].stats.trafficDaysOmitted);
    QVERIFY(got[0].stats.trafficDays.empty());
    QCOMPARE(got[0].stats.trafficToday, today);
    QCOMPARE(got[0].stats.traffic.bt, std::uint64_t{1000});

    // Today's bytes moved: they wait out the interval, then go once.
    hub_.put(withTraffic(1, 5000));
    std::optional<Update> carrying;
    for (int i = 0; i < 250 && !carrying; ++i) {
      QVERIFY(publish());
      for (Update& update : first.take()) {
        if (update.stats.trafficDaysOmitted) {
          QCOMPARE(update.stats.traffic.bt, std::uint64_t{5000});  // the totals are live
        } else {
          carrying = std::move(update);
        }
      }
      QTest::qWait(20);
    }
    QVERIFY(carrying);
    QVERIFY2(sentAt.elapsed() >= kInterval.count(), "a change went out within the interval");
    sentAt.restart();
    QCOMPARE(btOn(carrying->stats, today), std::uint64_t{5000});
    QVERIFY(publish());
    QVERIFY(first.take().at(0).stats.trafficDaysOmitted);

    // A new day goes at once, interval or not.
    hub_.put(withTraffic(1, 5100));
    QVERIFY(publish());
    got = first.take();
    if (sentAt.elapsed() < kInterval.count()) {  // else this machine stalled for the interval
      QVERIFY(got.at(0).stats.trafficDaysOmitted);
    }
    clock_->pass(kDayS);
    QVERIFY(publish());
    got = first.take();
    QVERIFY(!got.at(0).stats.trafficDaysOmitted);
    QCOMPARE(got[0].stats.trafficToday, today + 1);
    QCOMPARE(btOn(got[0].stats, today), std::uint64_t{5100});

    // A late subscriber gets the whole history in its first update, while
    // the one that has it gets none.
    Inbox late;
    subscribers_.add(late.callback(), {});
    QVERIFY(publish());
    got = late.take();
    QCOMPARE(got.size(), std::size_t{1});
    QVERIFY(got[0].full);
    QVERIFY(!got[0].stats.trafficDaysOmitted);
    QCOMPARE(btOn(got[0].stats, today), std::uint64_t{5100});
    got = first.take();
    QCOMPARE(got.size(), std::size_t{1});
    QVERIFY(got[0].stats.trafficDaysOmitted);
  }
};

QTEST_GUILESS_MAIN(TestTrafficDaysPublish)
#include "tst_traffic_days_publish.moc"
