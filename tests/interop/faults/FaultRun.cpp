#include "FaultRun.h"

#include <QRandomGenerator>
#include <QtTest>

namespace tributary::test {

int secondsFromEnv(const char* name, int fallback) {
  bool ok = false;
  const int seconds = qEnvironmentVariableIntValue(name, &ok);
  return ok && seconds > 0 && seconds <= 600 ? seconds : fallback;
}

void FaultRun::start(const QString& cli, double fraction, int boundMs, const QString& fault) {
  FaultSourcesOptions options;
  options.seed = QRandomGenerator::global()->generate();
  qInfo("%s; payload seed %u", qPrintable(fault), options.seed);
  QCOMPARE(sources_.start(options), QString());
  QCOMPARE(cli_.start(cli, sources_.cliArgs(work_.filePath("out")), work_.filePath("cli.log")),
           QString());
  const bool started = cli_.pumpUntil(
      [&] { return cli_.tasks().size() == 2 && cli_.leastFraction() >= fraction; }, boundMs);
  QVERIFY2(started, qPrintable(cli_.describe() + sources_.describe()));
  QVERIFY2(!cli_.allVerified(), "finished before the fault: the sources are too fast");
}

Recovery FaultRun::waitUntilMoving(qint64 fromMs, int waitMs, const char* event) {
  cli_.pumpUntil([&] { return cli_.allMovingAfter(fromMs) >= 0; }, waitMs);
  Recovery recovery;
  recovery.state = cli_.describe();
  qInfo("moving again after: %s", qPrintable(cli_.gainsAfter(fromMs)));
  recovery.ms = cli_.allMovingAfter(fromMs);
  qInfo("both tasks moving again %lld ms after %s (-1: not within %d ms)", recovery.ms, event,
        waitMs);
  return recovery;
}

void FaultRun::finish(int boundMs) {
  cli_.pumpUntil([&] { return !cli_.running(); }, boundMs);
  QVERIFY2(cli_.exitCode() == 0, qPrintable(cli_.describe() + sources_.describe()));
  QVERIFY2(cli_.failures().isEmpty(), qPrintable(cli_.failures().join('\n')));
  QCOMPARE(sources_.verify(work_.filePath("out")), QString());
}

}  // namespace tributary::test
