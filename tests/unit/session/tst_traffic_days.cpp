// The engine's traffic across runs (EngineStats::totalTraffic, trafficDays):
// bytes land in the right local day, a new day starts at midnight, old days
// are pruned, the history survives a restart (removed tasks included), a
// damaged file starts an empty history, and clock jumps neither wipe the
// history nor put bytes into a far day.
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <mutex>

#include "engine/api/Engine.h"

#include "engine/session/SessionKeeper.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/TrafficDayClock.h"
#include "engine/session/TrafficHistory.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/SealedFile.h"
#include "unit/session/TrafficTestClock.h"

using namespace tributary;
using namespace tributary::session;
using test::bytesOn;
using test::useFakeClock;
using test::withTraffic;

namespace {

constexpr std::int64_t kDayS = 86'400;
constexpr std::int64_t kHourMs = 3'600'000;

// A file with this body, sealed as the engine seals it.
std::string sealed(const std::string& body) {
  return storage::seal("tributary-traffic", kTrafficHistoryVersion, body);
}

}  // namespace

class TestTrafficHistory : public QObject {
  Q_OBJECT

 private slots:
  // Days in the tests are UTC days; the engine's are local ones.
  void initTestCase() {
    qputenv("TZ", "UTC");
    tzset();
  }

  void localDayCountsFromTheEpoch() {
    QCOMPARE(localDayOf(0), 0);
    QCOMPARE(localDayOf(kDayS - 1), 0);
    QCOMPARE(localDayOf(kDayS), 1);
    QCOMPARE(localDayOf(1'750'000'000), 20'254);  // 2025-06-15
    QCOMPARE(localDayOf(-1), -1);
  }

  // Bytes by kind go into today; past midnight a new day starts, and the
  // totals hold both. Each kind is counted apart.
  void dayRollover() {
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    clock->now.wallUnix = 1'750'000'000 - (1'750'000'000 % kDayS) + kDayS - 60;  // 23:59 UTC
    const std::int32_t day0 = localDayOf(clock->now.wallUnix);
    hub.put(withTraffic(1, {100, 10, 1, 5}));
    EngineStats stats = hub.take(false).stats;
    QCOMPARE(stats.trafficToday, day0);
    QCOMPARE(stats.trafficDays.size(), std::size_t{1});
    QVERIFY(stats.trafficDays[0].bytes == (TrafficCounters{100, 10, 1, 5}));

    clock->pass(120);  // past midnight
    hub.put(withTraffic(1, {150, 30, 4, 5}));
    stats = hub.take(false).stats;
    QCOMPARE(stats.trafficToday, day0 + 1);
    QCOMPARE(stats.trafficDays.size(), std::size_t{2});
    QVERIFY(stats.trafficDays[0].bytes == (TrafficCounters{100, 10, 1, 5}));
    QVERIFY(stats.trafficDays[1].bytes == (TrafficCounters{50, 20, 3, 0}));
    QVERIFY(stats.totalTraffic == (TrafficCounters{150, 30, 4, 5}));
    // Nothing moved: nothing added, however often it is asked.
    stats = hub.take(false).stats;
    QVERIFY(stats.totalTraffic == (TrafficCounters{150, 30, 4, 5}));
  }

  // A removed task's bytes stay in the totals and its days.
  void removedTaskKeepsItsTraffic() {
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    hub.put(withTraffic(1, {100, 0, 0, 0}));
    hub.put(withTraffic(2, {0, 0, 7, 0}));
    hub.take(false);
    hub.erase(1);
    const EngineStats stats = hub.take(false).stats;
    QVERIFY(stats.totalTraffic == (TrafficCounters{100, 0, 7, 0}));
    QCOMPARE(bytesOn(stats, stats.trafficToday), std::uint64_t{107});
  }

  void pruneKeepsTheLast90Days() {
    TrafficHistory history;
    history.add({1, 0, 0, 0}, 1000);
    history.add({2, 0, 0, 0}, 1050);
    history.add({4, 0, 0, 0}, 1089);
    history.add({8, 0, 0, 0}, 1200);  // "future" to the prune below
    history.prune(1089);              // days 1000..1089 are the last 90
    QCOMPARE(history.window(1089).size(), std::size_t{3});
    QCOMPARE(history.dayCount(), std::size_t{4});
    history.prune(1090);  // day 1000 is 90 days back now
    QCOMPARE(history.dayCount(), std::size_t{3});
    const std::vector<TrafficDay> left = history.window(1089);
    QCOMPARE(left.size(), std::size_t{2});
    QCOMPARE(left.front().day, 1050);
    QCOMPARE(history.window(1200).back().day, 1200);             // a later day is never pruned
    QVERIFY(history.total() == (TrafficCounters{15, 0, 0, 0}));  // totals never shrink
    // The window shows 90 days only, whatever is kept.
    QCOMPARE(history.window(1050 + kTrafficHistoryDays).size(), std::size_t{1});
  }

  // Through the hub: a day older than 90 days leaves once the clock has been
  // steady for an hour, and does not show meanwhile.
  void hubPrunesOnASettledClock() {
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    const std::int32_t today = localDayOf(clock->now.wallUnix);
    TrafficHistory old;
    old.add({5, 0, 0, 0}, today - kTrafficHistoryDays);  // one day too old
    old.add({6, 0, 0, 0}, today - kTrafficHistoryDays + 1);
    hub.restoreTrafficHistory(old);
    EngineStats stats = hub.take(false).stats;
    QCOMPARE(stats.trafficDays.size(), std::size_t{1});
    QVERIFY(stats.totalTraffic == (TrafficCounters{11, 0, 0, 0}));
    QCOMPARE(hub.trafficHistory().dayCount(), std::size_t{2});
    clock->now.bootMs += kHourMs + 1000;
    clock->now.wallUnix += 3601;
    hub.take(false);
    if (localDayOf(clock->now.wallUnix) == today) {
      QCOMPARE(hub.trafficHistory().dayCount(), std::size_t{1});
    }
  }

  // The history goes to stateDir/traffic.state at exit and comes back with
  // the next start, added to what the new run counts.
  void restart() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string stateDir = dir.path().toStdString();
    TrafficCounters before;
    {
      SnapshotHub hub;
      auto clock = useFakeClock(hub);
      SessionKeeper keeper(stateDir, storage::systemFileIo(), hub);
      keeper.load();
      hub.put(withTraffic(1, {1000, 200, 30, 4}));
      hub.take(false);
      hub.erase(1);
      clock->pass(kDayS);
      hub.put(withTraffic(2, {1, 1, 1, 1}));
      before = hub.take(false).stats.totalTraffic;
      keeper.saveNow();
    }
    QVERIFY(before == (TrafficCounters{1001, 201, 31, 5}));
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    clock->pass(kDayS + 30);
    SessionKeeper keeper(stateDir, storage::systemFileIo(), hub);
    keeper.load();
    hub.put(withTraffic(7, {10, 0, 0, 0}));
    const EngineStats stats = hub.take(false).stats;
    QVERIFY(stats.totalTraffic == (TrafficCounters{1011, 201, 31, 5}));
    const std::int32_t day0 = localDayOf(1'750'000'000);
    QCOMPARE(stats.trafficDays.size(), std::size_t{2});
    QCOMPARE(stats.trafficDays[0].day, day0);
    QVERIFY(stats.trafficDays[0].bytes == (TrafficCounters{1000, 200, 30, 4}));
    QVERIFY(stats.trafficDays[1].bytes == (TrafficCounters{11, 1, 1, 1}));
  }

  // A damaged, truncated or foreign file is refused whole: the history
  // starts empty and the next save replaces it. Nothing crashes on garbage.
  void damagedFileStartsEmpty() {
    TrafficHistory good;
    good.add({1, 2, 3, 4}, 20'000);
    good.add({5, 6, 7, 8}, 20'001);
    const std::string bytes = good.encode();
    QVERIFY(TrafficHistory::decode(bytes).value() == good);
    // Every cut but the last newline's, which SealedFile does not require.
    for (std::size_t cut = 0; cut + 1 < bytes.size(); ++cut) {
      QVERIFY(!TrafficHistory::decode(bytes.substr(0, cut)));
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
      QVERIFY(!TrafficHistory::decode(flipped));
    }
    QVERIFY(!TrafficHistory::decode(std::string(kMaxTrafficHistoryBytes + 1, 'x')));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string stateDir = dir.path().toStdString();
    {
      std::ofstream out(stateDir + "/traffic.state", std::ios::binary);
      out << bytes.substr(0, bytes.size() / 2) << "garbage";
    }
    SnapshotHub hub;
    useFakeClock(hub);
    SessionKeeper keeper(stateDir, storage::systemFileIo(), hub);
    keeper.load();
    QVERIFY(hub.take(false).stats.totalTraffic == TrafficCounters{});
    hub.put(withTraffic(1, {9, 0, 0, 0}));
    hub.take(false);
    keeper.saveNow();
    SnapshotHub again;
    useFakeClock(again);
    SessionKeeper(stateDir, storage::systemFileIo(), again).load();
    QVERIFY(again.take(false).stats.totalTraffic == (TrafficCounters{9, 0, 0, 0}));
  }

  // A file with senseless day records keeps the sensible ones.
  void senselessRecordsAreSkipped() {
    const std::string body =
        "d4:daysl"
        "li20000ei1ei2ei3ei4ee"       // good
        "li9999999999ei1ei1ei1ei1ee"  // day out of range
        "li20001ei1ee"                // too short
        "3:abc"                       // not a list
        "li20002ei-5ei1ei0ei0ee"      // a negative count reads as 0
        "e5:totald2:bti7eee";
    Result<TrafficHistory> decoded = TrafficHistory::decode(sealed(body));
    QVERIFY(decoded);
    const std::vector<TrafficDay> days = decoded.value().window(20'002);
    QCOMPARE(days.size(), std::size_t{2});
    QVERIFY(days[0].bytes == (TrafficCounters{1, 2, 3, 4}));
    QVERIFY(days[1].bytes == (TrafficCounters{0, 1, 0, 0}));
    QCOMPARE(decoded.value().total().bt, std::uint64_t{7});
  }

  // The system clock jumping a day ahead (or back) for a moment, with
  // little real time passed: the bytes stay on the day real time says.
  void clockJumpKeepsBytesOnTheRealDay() {
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    const std::int32_t today = localDayOf(clock->now.wallUnix);
    hub.put(withTraffic(1, {10, 0, 0, 0}));
    hub.take(false);
    for (const std::int64_t jump : {kDayS, -kDayS, 365 * kDayS}) {
      clock->now.wallUnix += jump;
      clock->now.bootMs += 500;
      const EngineStats stats = hub.take(false).stats;
      QCOMPARE(stats.trafficToday, today);
      clock->now.wallUnix -= jump;
    }
    clock->now.wallUnix += 365 * kDayS;  // a year ahead, and it stays
    clock->now.bootMs += 500;
    hub.put(withTraffic(1, {20, 0, 0, 0}));
    EngineStats stats = hub.take(false).stats;
    QCOMPARE(stats.trafficToday, today);
    QCOMPARE(bytesOn(stats, today), std::uint64_t{20});
    // Nothing was wiped, in the window or kept.
    QCOMPARE(hub.trafficHistory().dayCount(), std::size_t{1});
  }

  // Through the real engine: the saved history comes back in the first
  // update's stats and is written back at exit.
  void engineKeepsTheHistory() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string stateDir = dir.path().toStdString();
    const std::int32_t today = localDayOf(static_cast<std::int64_t>(std::time(nullptr)));
    TrafficHistory saved;
    saved.add({7000, 600, 50, 4}, today - 3);
    saved.add({1, 2, 3, 4}, today - 200);  // outside the window: not shown
    {
      std::ofstream out(stateDir + "/traffic.state", std::ios::binary);
      out << saved.encode();
    }
    EngineConfig config;
    config.loopThreads = 1;
    config.workerThreads = 1;
    config.tick = std::chrono::milliseconds(20);
    config.enableDht = false;
    config.enableLsd = false;
    config.logLevel = LogLevel::Warning;
    config.stateDir = stateDir;
    std::mutex mutex;
    std::condition_variable arrived;
    std::optional<EngineStats> stats;
    {
      auto engine = Engine::create(config);
      engine->subscribe(
          [&](const Update& update) {
            std::lock_guard lock(mutex);
            // The first update: the later ones leave the unchanged days out.
            if (!stats) {
              stats = update.stats;
            }
            arrived.notify_all();
          },
          {});
      std::unique_lock lock(mutex);
      QVERIFY(arrived.wait_for(lock, std::chrono::seconds(10), [&] { return stats.has_value(); }));
    }
    QVERIFY(stats->totalTraffic == (TrafficCounters{7001, 602, 53, 8}));
    QCOMPARE(stats->trafficToday, today);
    QCOMPARE(stats->trafficDays.size(), std::size_t{1});
    QCOMPARE(stats->trafficDays[0].day, today - 3);
    std::ifstream in(stateDir + "/traffic.state", std::ios::binary);
    const std::string written{std::istreambuf_iterator<char>(in), {}};
    Result<TrafficHistory> back = TrafficHistory::decode(written);
    QVERIFY(back);
    QVERIFY(back.value().total() == saved.total());
  }

  // A sleeping laptop: both clocks move together, so the new day is believed at once.
  void wakeUpNextDayIsNotAJump() {
    SnapshotHub hub;
    auto clock = useFakeClock(hub);
    const std::int32_t today = localDayOf(clock->now.wallUnix);
    hub.take(false);
    clock->pass(kDayS);
    QCOMPARE(hub.take(false).stats.trafficToday, today + 1);
  }

  // A clock set right (NTP after a boot with a wrong time): once the new time
  // has held for an hour it is followed, and the old days are still there.
  void correctedClockIsFollowedAfterAnHour() {
    TrafficDayClock dayClock;
    TrafficDayClock::Sample s{1'750'000'000, 1000};
    QCOMPARE(dayClock.trustedUnix(s), s.wallUnix);
    QVERIFY(!dayClock.settled());
    s.wallUnix += 30 * kDayS;  // jump
    s.bootMs += 1000;
    QCOMPARE(dayClock.trustedUnix(s), 1'750'000'001);
    for (int i = 1; i <= 61; ++i) {  // an hour, a minute at a time
      s.wallUnix += 60;
      s.bootMs += 60'000;
      const std::int64_t trusted = dayClock.trustedUnix(s);
      if (i < 60) {
        QCOMPARE(trusted, 1'750'000'001 + i * 60);
        QVERIFY(!dayClock.settled());
      } else {
        QCOMPARE(trusted, s.wallUnix);
        QVERIFY(dayClock.settled());
      }
    }
    // Small drift is no jump.
    s.wallUnix += 300;
    s.bootMs += 1000;
    QCOMPARE(dayClock.trustedUnix(s), s.wallUnix);
  }
};

QTEST_GUILESS_MAIN(TestTrafficHistory)
#include "tst_traffic_days.moc"
