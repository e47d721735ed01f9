// Issue 8, faults: a suspend, as the engine sees it: a long gap in its
// monotonic clock with nothing run in between. tributary-cli is stopped
// (SIGSTOP) for TRIBUTARY_SUSPEND_SECONDS (default 20) in the middle of an
// HTTP download from nginx and a torrent from a seeder found through
// opentracker, while the sources keep running, then continued (SIGCONT).
//
// Checked: no task fails and no source is dropped; both downloads move again
// within kRecoveryBoundMs of the continue, and finish sha256-exact. (That an
// announce or a retry due during the gap goes out at once after it, and only
// once, is tst_tracker_gap's: opentracker's 30-minute interval is too long
// to watch here.)
#include <QtTest>

#include <signal.h>

#include "FaultRun.h"

using namespace tributary;

namespace {

constexpr int kDefaultSuspendSeconds = 20;
// The connections survive a 20 s gap (TCP keeps them; our read timeout is 30 s
// and a silent peer is given 30 s), so the bytes buffered meanwhile are
// read at once: two 2 Hz progress ticks, and slack for a loaded machine.
constexpr int kRecoveryBoundMs = 5000;
constexpr double kStopAt = 0.2;

}  // namespace

class TestSuspend : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (const QString missing = test::FaultSources::missingPrograms(); !missing.isEmpty()) {
      QSKIP(qPrintable(missing));
    }
  }

  void downloadsGoOnAfterALongStop() {
    const int gap = test::secondsFromEnv("TRIBUTARY_SUSPEND_SECONDS", kDefaultSuspendSeconds);
    test::FaultRun run;
    run.start(QStringLiteral(TRIBUTARY_CLI), kStopAt, 60000,
              QStringLiteral("stopped for %1 s").arg(gap));
    if (QTest::currentTestFailed()) {
      return;
    }
    test::CliWatch& cli = run.cli();

    const auto pid = static_cast<pid_t>(cli.pid());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    cli.pumpUntil([] { return false; }, gap * 1000);
    QCOMPARE(::kill(pid, SIGCONT), 0);
    const qint64 continuedAt = cli.nowMs();

    const test::Recovery back =
        run.waitUntilMoving(continuedAt, 10 * kRecoveryBoundMs, "the continue");
    QVERIFY2(back.ms >= 0 && back.ms <= kRecoveryBoundMs,
             qPrintable("a task did not move again in time after the stop, " + back.state));

    run.finish(90000);
  }
};

QTEST_GUILESS_MAIN(TestSuspend)
#include "tst_suspend.moc"
