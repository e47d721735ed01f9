// Runs `tributary-cli get ... --json` as our child and follows what it prints:
// each task's verified bytes and state, when they last grew (on the test's
// clock), and any failed task or dropped source. The fault tests read it
// between the faults they inject; pump() is what waits, always bounded.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace tributary::test {

struct CliTaskProgress {
  QString kind;  // "http", "torrent", ...
  QString state;
  qint64 total = -1;  // -1 until known
  qint64 verified = 0;
  qint64 lastGainMs = -1;  // watch time when `verified` last grew
  QList<qint64> gainsMs;   // every time it grew (a progress line per 500 ms at most)
};

class CliWatch {
 public:
  CliWatch() = default;
  ~CliWatch();
  CliWatch(const CliWatch&) = delete;
  CliWatch& operator=(const CliWatch&) = delete;

  // `args` without --json (added here); the CLI's stderr (its log) goes to
  // `logFile`. Empty on success; else why not.
  QString start(const QString& program, const QStringList& args, const QString& logFile);
  // Reads its output for up to `ms` (less once it exits).
  void pump(int ms);
  // pump()s until `done()` holds or `ms` pass; returns done().
  template <class Done>
  bool pumpUntil(Done done, int ms) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < ms && running()) {
      pump(100);
    }
    return done();
  }

  bool running() const;
  int exitCode() const;  // -1 while running, after a crash or a kill
  qint64 pid() const;
  qint64 nowMs() const { return clock_.elapsed(); }

  const QMap<qint64, CliTaskProgress>& tasks() const { return tasks_; }
  // The smallest verified/total over the tasks (0 until every size is known).
  double leastFraction() const;
  // Every task has a known size and all of it verified.
  bool allVerified() const;
  // How long after `fromMs` the last of the tasks not finished by then
  // first grew: when all of them were moving again; -1 while one has not.
  qint64 allMovingAfter(qint64 fromMs) const;
  // "http 520 ms, torrent 6010 ms": when each task first grew after `fromMs`
  // (-1: not since), or "done" when it had finished by then.
  QString gainsAfter(qint64 fromMs) const;
  // "error" lines, failed tasks and dropped sources, as printed.
  const QStringList& failures() const { return failures_; }
  QString logTail(int chars = 3000) const;
  // One line a task: kind, state, verified/total, when it last moved; then the log's tail.
  QString describe() const;

 private:
  void parse(const QByteArray& line);

  std::unique_ptr<QProcess> process_;
  QString logFile_;
  QByteArray pending_;
  QElapsedTimer clock_;
  QMap<qint64, CliTaskProgress> tasks_;
  QStringList failures_;
};

}  // namespace tributary::test
