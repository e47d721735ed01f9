// What every fault test of tributary-cli does around the fault it injects:
// the sources up (payload seed random, and printed so a run can be told
// apart), tributary-cli fetching both downloads into a folder of its own
// until each has a fraction verified; after the fault, how soon both move
// again; at the end, exit status 0, nothing failed or dropped, both files
// exact. A step that fails fails the calling test (QTest::currentTestFailed).
#pragma once

#include <QString>
#include <QTemporaryDir>

#include "CliWatch.h"
#include "FaultSources.h"

namespace tributary::test {

// The whole number of seconds in environment variable `name` (1 to 600), or `fallback`.
int secondsFromEnv(const char* name, int fallback);

struct Recovery {
  qint64 ms = -1;  // after the fault ended, when both tasks had moved again; -1: not yet
  QString state;   // CliWatch::describe() at that moment, for a failure message
};

class FaultRun {
 public:
  // Starts the sources and `cli` (tributary-cli) on them, and pumps until
  // both tasks have `fraction` verified and neither is done yet, for at most
  // `boundMs`. `fault` says what will happen, for the log.
  void start(const QString& cli, double fraction, int boundMs, const QString& fault);
  // Pumps until every task not finished by `fromMs` has moved since, or
  // `waitMs` pass, and logs when each did; `event` names `fromMs` in the log
  // ("the link came back").
  Recovery waitUntilMoving(qint64 fromMs, int waitMs, const char* event);
  // Pumps until tributary-cli exits (at most `boundMs`) and checks the end.
  void finish(int boundMs);

  CliWatch& cli() { return cli_; }

 private:
  FaultSources sources_;
  QTemporaryDir work_;
  CliWatch cli_;
};

}  // namespace tributary::test
