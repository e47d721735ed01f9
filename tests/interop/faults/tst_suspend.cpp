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
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

#include "CliWatch.h"
#include "FaultSources.h"

using namespace tributary;

namespace {

constexpr int kDefaultSuspendSeconds = 20;
// The connections survive a 20 s gap (TCP keeps them; our read timeout is 30 s
// and a silent peer is given 30 s), so the bytes buffered meanwhile are
// read at once: two 2 Hz progress ticks, and slack for a loaded machine.
constexpr int kRecoveryBoundMs = 5000;
constexpr double kStopAt = 0.2;

int suspendSeconds() {
  bool ok = false;
  const int seconds = qEnvironmentVariableIntValue("TRIBUTARY_SUSPEND_SECONDS", &ok);
  return ok && seconds > 0 && seconds <= 600 ? seconds : kDefaultSuspendSeconds;
}

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
    const int gap = suspendSeconds();
    test::FaultSourcesOptions options;
    options.seed = QRandomGenerator::global()->generate();
    qInfo("stopped for %d s; payload seed %u", gap, options.seed);
    test::FaultSources sources;
    QCOMPARE(sources.start(options), QString());

    QTemporaryDir work;
    const QString out = work.filePath("out");
    test::CliWatch cli;
    QCOMPARE(
        cli.start(QStringLiteral(TRIBUTARY_CLI), sources.cliArgs(out), work.filePath("cli.log")),
        QString());
    const bool started = cli.pumpUntil(
        [&] { return cli.tasks().size() == 2 && cli.leastFraction() >= kStopAt; }, 60000);
    QVERIFY2(started, qPrintable(cli.describe() + sources.describe()));
    QVERIFY2(!cli.allVerified(), "finished before the stop: the sources are too fast");

    const auto pid = static_cast<pid_t>(cli.pid());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    cli.pumpUntil([] { return false; }, gap * 1000);
    QCOMPARE(::kill(pid, SIGCONT), 0);
    const qint64 continuedAt = cli.nowMs();

    const auto moving = [&] { return cli.allMovingAfter(continuedAt) >= 0; };
    cli.pumpUntil(moving, 10 * kRecoveryBoundMs);
    const QString state = cli.describe();
    qInfo("moving again after: %s", qPrintable(cli.gainsAfter(continuedAt)));
    const qint64 recoveredMs = cli.allMovingAfter(continuedAt);
    qInfo("both tasks moving again %lld ms after the continue (-1: not within %d ms)", recoveredMs,
          10 * kRecoveryBoundMs);
    QVERIFY2(recoveredMs >= 0 && recoveredMs <= kRecoveryBoundMs,
             qPrintable("a task did not move again in time after the stop, " + state));

    cli.pumpUntil([&] { return !cli.running(); }, 90000);
    QVERIFY2(cli.exitCode() == 0, qPrintable(cli.describe() + sources.describe()));
    QVERIFY2(cli.failures().isEmpty(), qPrintable(cli.failures().join('\n')));
    QCOMPARE(sources.verify(out), QString());
  }
};

QTEST_GUILESS_MAIN(TestSuspend)
#include "tst_suspend.moc"
