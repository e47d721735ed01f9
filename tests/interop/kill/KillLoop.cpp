#include "KillLoop.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <csignal>
#include <random>

#include <sys/prctl.h>

#ifndef TRIBUTARY_CLI
#error "TRIBUTARY_CLI is set by tests/interop/kill/CMakeLists.txt"
#endif

namespace tributary::test {
namespace {

constexpr int kStartTimeoutMs = 10000;
constexpr int kReapTimeoutMs = 10000;

void prepare(QProcess& process, const QString& logFile) {
  process.setProcessChannelMode(QProcess::MergedChannels);
  // A file, not a pipe: nobody drains a pipe while the test waits.
  process.setStandardOutputFile(logFile, QIODevice::Append);
  process.setStandardInputFile(QProcess::nullDevice());
  // If the test dies, so does the download it started.
  process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

QString tailOf(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  if (file.size() > 4000) {
    file.seek(file.size() - 4000);
  }
  return QString::fromUtf8(file.readAll());
}

}  // namespace

KillReport runWithKills(const QStringList& args, const KillPlan& plan, const QString& logFile) {
  KillReport report;
  std::mt19937 rng(plan.seed);
  std::uniform_int_distribution<int> life(plan.minLifeMs, plan.maxLifeMs);
  QElapsedTimer clock;
  clock.start();
  for (int run = 0; run < plan.kills; ++run) {
    QProcess process;
    prepare(process, logFile);
    process.start(QStringLiteral(TRIBUTARY_CLI), args);
    if (!process.waitForStarted(kStartTimeoutMs)) {
      report.earlyFailures += QStringLiteral(" run %1 did not start;").arg(run);
      break;
    }
    const int lifetime = life(rng);
    report.lifetimesMs.push_back(lifetime);
    if (process.waitForFinished(lifetime)) {
      ++report.earlyExits;
      if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        report.earlyFailures +=
            QStringLiteral(" run %1 exited with %2;")
                .arg(run)
                .arg(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1);
      }
      continue;
    }
    ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
    if (!process.waitForFinished(kReapTimeoutMs)) {
      report.earlyFailures += QStringLiteral(" run %1 outlived SIGKILL;").arg(run);
      break;
    }
    ++report.kills;
  }
  QProcess last;
  prepare(last, logFile);
  last.start(QStringLiteral(TRIBUTARY_CLI), args);
  if (last.waitForStarted(kStartTimeoutMs)) {
    if (!last.waitForFinished(plan.finishTimeoutMs)) {
      last.kill();  // SIGKILL to its PID: a hung run must not outlive the test
      last.waitForFinished(kReapTimeoutMs);
    } else if (last.exitStatus() == QProcess::NormalExit) {
      report.finalExitCode = last.exitCode();
    }
  }
  report.wallMs = clock.elapsed();
  report.logTail = tailOf(logFile);
  return report;
}

}  // namespace tributary::test
