// Issue 8, faults: the wall clock jumping a day either way. The engine's
// timers (announces, retries, peer and request timeouts, rate meters) run on
// the loop's monotonic clock; the wall clock only stamps added-at times,
// cookies, snapshot fields and the day the traffic history files bytes under.
//
// Checked: (1) across a jump of +1 day and of -1 day that stays, every byte
// a task reports lands in the history exactly once (total and days agree
// with what was reported), the bytes before and during the first hour after
// the jump on the day real time says, and after that on the new clock's day;
// (2) nothing under engine/ reads the wall clock except the places listed
// below, so no timer can be stalled or hurried by a jump: a new wall-clock
// read fails this test until it is reviewed and listed.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

#include "engine/session/SnapshotHub.h"
#include "engine/session/TrafficDayClock.h"
#include "engine/session/TrafficHistory.h"
#include "unit/session/TrafficTestClock.h"

using namespace tributary;
using namespace tributary::session;
using test::bytesOn;
using test::withTraffic;

namespace {

constexpr std::int64_t kDayS = 86'400;
constexpr std::int64_t kMinuteS = 60;

std::uint64_t sumOf(const TrafficCounters& c) {
  return c.downloaded() + c.shared;
}

std::uint64_t bytesOnAllDays(const EngineStats& stats) {
  std::uint64_t sum = 0;
  for (const TrafficDay& d : stats.trafficDays) {
    sum += sumOf(d.bytes);
  }
  return sum;
}

// Where engine/ may read the wall clock, and why it is harmless there. The
// count is the number of lines in that file that read it.
struct WallClockUse {
  const char* file;
  int lines;
};
constexpr WallClockUse kAllowedWallClock[] = {
    {"engine/util/Log.h", 1},                  // log time stamps
    {"engine/util/Log.cpp", 3},                // log time stamps
    {"engine/bt/TorrentCreator.cpp", 1},       // "creation date" of a new .torrent
    {"engine/bt/TorrentTask.cpp", 1},          // added-at time
    {"engine/bt/MagnetTask.cpp", 1},           // added-at time
    {"engine/bt/TorrentSnapshot.cpp", 1},      // peers' "connected since", for display
    {"engine/bt/MetadataFetcher.cpp", 1},      // the same, before the metadata
    {"engine/http/HttpDownloadTask.cpp", 3},   // added-at time; cookie expiry
    {"engine/http/HttpDownloadProbe.cpp", 1},  // cookie expiry
    {"engine/session/EngineSession.cpp", 1},   // added-at time of a restored task
    {"engine/session/TrafficDayClock.cpp",
     1},  // the day of traffic, checked against the boot clock
};

}  // namespace

class TestClockJump : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qputenv("TZ", "UTC"); }

  void trafficIsCountedOnceAcrossAJump_data() {
    QTest::addColumn<std::int64_t>("jump");
    QTest::newRow("a day ahead") << kDayS;
    QTest::newRow("a day back") << -kDayS;
  }

  void trafficIsCountedOnceAcrossAJump() {
    QFETCH(std::int64_t, jump);
    SnapshotHub hub;
    auto clock = test::useFakeClock(hub);
    const std::int32_t today = localDayOf(clock->now.wallUnix);
    // Noon: an hour or two of real time never crosses midnight here.
    QCOMPARE(localDayOf(clock->now.wallUnix - 3 * 3600), today);
    QCOMPARE(localDayOf(clock->now.wallUnix + 3 * 3600), today);

    // Task counters are totals since the task began; the hub files the growth.
    std::uint64_t reported = 0;
    const auto report = [&](std::uint64_t more) {
      reported += more;
      hub.put(withTraffic(1, {reported, 0, 0, 0}));
      hub.put(withTraffic(2, {0, 0, 0, 2 * reported}));
      return hub.take(false).stats;
    };
    EngineStats stats = report(1000);
    QCOMPARE(bytesOn(stats, today), std::uint64_t{3000});

    clock->now.wallUnix += jump;  // the jump itself, with no real time passing
    clock->now.bootMs += 500;
    for (int minute = 0; minute < 50; ++minute) {  // within kSettle: still the real day
      clock->pass(kMinuteS);
      stats = report(10);
      QCOMPARE(stats.trafficToday, today);
    }
    QCOMPARE(bytesOn(stats, today), 3 * reported);

    // The new time held for an hour: believed from then on.
    clock->pass(TrafficDayClock::kSettleMs / 1000);
    stats = report(7);
    const std::int32_t newDay = localDayOf(clock->now.wallUnix);
    QCOMPARE(newDay, today + static_cast<std::int32_t>(jump / kDayS));
    QCOMPARE(stats.trafficToday, newDay);
    QCOMPARE(bytesOn(stats, newDay), std::uint64_t{3 * 7});

    // Not lost, not counted twice: the totals and the stored days agree with
    // what was reported. (After a day back, the day the clock left is
    // "tomorrow" now: it is kept, and shown again once it comes.)
    const std::int32_t later = std::max(today, newDay);
    std::uint64_t stored = 0;
    for (const TrafficDay& d : hub.trafficHistory().window(later)) {
      stored += sumOf(d.bytes);
    }
    QCOMPARE(stored, 3 * reported);
    QCOMPARE(sumOf(stats.totalTraffic), 3 * reported);
    QCOMPARE(sumOf(hub.trafficHistory().total()), 3 * reported);
    QCOMPARE(hub.trafficHistory().dayCount(), std::size_t{2});
    QCOMPARE(bytesOnAllDays(stats), jump > 0 ? 3 * reported : std::uint64_t{3 * 7});

    // A settled clock prunes by the new day: neither day is old enough to go.
    clock->pass(kMinuteS);
    stats = report(0);
    QCOMPARE(hub.trafficHistory().dayCount(), std::size_t{2});
    QCOMPARE(sumOf(hub.trafficHistory().total()), 3 * reported);
  }

  void onlyListedCodeReadsTheWallClock() {
    const QString root = qEnvironmentVariable("TRIBUTARY_SOURCE_DIR");
    if (root.isEmpty()) {
      QSKIP("TRIBUTARY_SOURCE_DIR is not set (run through ctest)");
    }
    static const QRegularExpression wallClock(
        QStringLiteral(R"(system_clock|\btime\(nullptr\)|\btime\(NULL\)|gettimeofday|)"
                       R"(CLOCK_REALTIME|QDateTime|\bnow\(\)\.time_since_epoch)"));
    QMap<QString, int> found;
    QDirIterator it(root + "/engine", {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
      const QString path = it.next();
      QFile file(path);
      QVERIFY(file.open(QIODevice::ReadOnly));
      ++files;
      const QString relative = path.mid(root.size() + 1);
      for (const QByteArray& line : file.readAll().split('\n')) {
        const QString text = QString::fromUtf8(line);
        if (wallClock.match(text).hasMatch() && !text.contains("steady_clock")) {
          ++found[relative];
        }
      }
    }
    QVERIFY2(files > 100, "engine/ sources not found");
    QMap<QString, int> allowed;
    for (const WallClockUse& use : kAllowedWallClock) {
      allowed[QString::fromLatin1(use.file)] = use.lines;
    }
    for (auto f = found.cbegin(); f != found.cend(); ++f) {
      QVERIFY2(f.value() <= allowed.value(f.key()),
               qPrintable(QStringLiteral("%1 reads the wall clock on %2 lines (%3 listed): if it "
                                         "times anything, use the loop's monotonic clock")
                              .arg(f.key())
                              .arg(f.value())
                              .arg(allowed.value(f.key()))));
    }
  }
};

QTEST_GUILESS_MAIN(TestClockJump)
#include "tst_clock_jump.moc"
