// SIGINT/SIGTERM reach tributary-cli's main thread through SignalWatcher, and a
// second signal ends a process whose shutdown hangs. Runs SignalProbe in a child.
#include <QProcess>
#include <QTest>

#include <csignal>

#ifndef TRIBUTARY_SIGNAL_PROBE
#error "TRIBUTARY_SIGNAL_PROBE is set by tests/unit/cli/CMakeLists.txt"
#endif

namespace {

constexpr int kTimeoutMs = 10000;

bool waitForLine(QProcess& process, const QByteArray& line) {
  while (!process.canReadLine()) {
    if (!process.waitForReadyRead(kTimeoutMs)) {
      return false;
    }
  }
  return process.readLine() == line + "\n";
}

}  // namespace

class TestCliSignal : public QObject {
  Q_OBJECT

 private slots:
  void signalEndsTheWait_data() {
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT") << SIGINT;
    QTest::newRow("SIGTERM") << SIGTERM;
  }
  void signalEndsTheWait() {
    QFETCH(int, signal);
    QProcess probe;
    probe.start(QStringLiteral(TRIBUTARY_SIGNAL_PROBE), {});
    QVERIFY(probe.waitForStarted(kTimeoutMs));
    QVERIFY(waitForLine(probe, "ready"));
    QCOMPARE(::kill(static_cast<pid_t>(probe.processId()), signal), 0);
    QVERIFY(probe.waitForFinished(kTimeoutMs));
    QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
    QCOMPARE(probe.exitCode(), 128 + signal);
  }

  void secondSignalEndsAHungShutdown() {
    QProcess probe;
    probe.start(QStringLiteral(TRIBUTARY_SIGNAL_PROBE), {"hang"});
    QVERIFY(probe.waitForStarted(kTimeoutMs));
    QVERIFY(waitForLine(probe, "ready"));
    const auto pid = static_cast<pid_t>(probe.processId());
    QCOMPARE(::kill(pid, SIGINT), 0);
    QVERIFY(waitForLine(probe, "stopping"));
    QCOMPARE(::kill(pid, SIGINT), 0);
    QVERIFY(probe.waitForFinished(kTimeoutMs));
    QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
    QCOMPARE(probe.exitCode(), 128 + SIGINT);
  }
};

QTEST_GUILESS_MAIN(TestCliSignal)
#include "tst_clisignal.moc"
