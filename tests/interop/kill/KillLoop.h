// Runs `tributary-cli` again and again with the same arguments, SIGKILLing each
// run (by its PID) after a random lifetime from a seeded PRNG, then lets one
// last run finish: what a crash-prone machine does to a download.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace tributary::test {

struct KillPlan {
  int kills = 20;
  int minLifeMs = 200;  // each run lives a uniform random time in [min, max]
  int maxLifeMs = 1200;
  unsigned seed = 1;
  int finishTimeoutMs = 120000;  // for the last, uninterrupted run
};

struct KillReport {
  int kills = 0;          // runs SIGKILLed while they were still running
  int earlyExits = 0;     // runs that ended on their own before their kill
  QString earlyFailures;  // exit codes of early runs that did not end with 0
  QList<int> lifetimesMs;
  int finalExitCode = -1;  // -1: it crashed or timed out
  qint64 wallMs = 0;
  QString logTail;  // the end of every run's merged stdout and stderr
};

// The runs' output is appended to `logFile`.
KillReport runWithKills(const QStringList& args, const KillPlan& plan, const QString& logFile);

}  // namespace tributary::test
