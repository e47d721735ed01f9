#include "CliWatch.h"

#include <algorithm>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <signal.h>
#include <sys/prctl.h>

namespace tributary::test {

CliWatch::~CliWatch() {
  if (process_ && process_->state() != QProcess::NotRunning) {
    process_->kill();
    process_->waitForFinished(5000);
  }
}

QString CliWatch::start(const QString& program, const QStringList& args, const QString& logFile) {
  logFile_ = logFile;
  process_ = std::make_unique<QProcess>();
  process_->setStandardErrorFile(logFile);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_->start(program, QStringList(args) << QStringLiteral("--json"));
  clock_.start();
  if (!process_->waitForStarted(10000)) {
    return QStringLiteral("cannot start %1: %2").arg(program, process_->errorString());
  }
  return {};
}

void CliWatch::pump(int ms) {
  if (!process_) {
    return;
  }
  if (process_->state() != QProcess::NotRunning && process_->bytesAvailable() == 0) {
    process_->waitForReadyRead(ms);
  }
  pending_ += process_->readAllStandardOutput();
  for (qsizetype end = pending_.indexOf('\n'); end >= 0; end = pending_.indexOf('\n')) {
    parse(pending_.left(end));
    pending_.remove(0, end + 1);
  }
}

void CliWatch::parse(const QByteArray& line) {
  const QJsonObject json = QJsonDocument::fromJson(line).object();
  const QString type = json.value("type").toString();
  if (type == QLatin1String("error")) {
    failures_ << QString::fromUtf8(line);
    return;
  }
  if (type != QLatin1String("progress") && type != QLatin1String("done")) {
    return;
  }
  CliTaskProgress& task = tasks_[json.value("id").toInteger()];
  if (type == QLatin1String("done")) {
    task.verified = std::max(task.verified, json.value("total").toInteger());
    task.total = task.verified;
    task.state = QStringLiteral("completed");
    task.lastGainMs = nowMs();
    return;
  }
  task.kind = json.value("kind").toString();
  task.state = json.value("state").toString();
  if (json.value("total").isDouble()) {
    task.total = json.value("total").toInteger();
  }
  const qint64 verified = json.value("verified").toInteger();
  if (verified > task.verified || task.lastGainMs < 0) {
    task.lastGainMs = nowMs();
    task.gainsMs << task.lastGainMs;
  }
  task.verified = std::max(task.verified, verified);
  if (task.state == QLatin1String("failed")) {
    failures_ << QString::fromUtf8(line);
  }
  for (const QJsonValue& source : json.value("sources").toArray()) {
    if (source.toObject().value("state").toString() == QLatin1String("dropped")) {
      failures_ << QString::fromUtf8(
          QJsonDocument(source.toObject()).toJson(QJsonDocument::Compact));
    }
  }
}

bool CliWatch::running() const {
  return process_ && process_->state() != QProcess::NotRunning;
}

int CliWatch::exitCode() const {
  if (!process_ || running() || process_->exitStatus() != QProcess::NormalExit) {
    return -1;
  }
  return process_->exitCode();
}

qint64 CliWatch::pid() const {
  return process_ ? process_->processId() : 0;
}

double CliWatch::leastFraction() const {
  if (tasks_.isEmpty()) {
    return 0;
  }
  double least = 1;
  for (const CliTaskProgress& task : tasks_) {
    if (task.total <= 0) {
      return 0;
    }
    least = std::min(least, double(task.verified) / double(task.total));
  }
  return least;
}

bool CliWatch::allVerified() const {
  return !tasks_.isEmpty() && leastFraction() >= 1.0;
}

qint64 CliWatch::allMovingAfter(qint64 fromMs) const {
  qint64 last = 0;
  for (const CliTaskProgress& task : tasks_) {
    const auto first = std::find_if(task.gainsMs.cbegin(), task.gainsMs.cend(),
                                    [fromMs](qint64 at) { return at > fromMs; });
    if (first != task.gainsMs.cend()) {
      last = std::max(last, *first - fromMs);
    } else if (task.total < 0 || task.verified < task.total) {
      return -1;
    }
  }
  return last;
}

QString CliWatch::gainsAfter(qint64 fromMs) const {
  QStringList parts;
  for (const CliTaskProgress& task : tasks_) {
    qint64 first = -1;
    for (qint64 at : task.gainsMs) {
      if (at > fromMs) {
        first = at - fromMs;
        break;
      }
    }
    const bool doneBefore = task.total >= 0 && task.verified >= task.total && first < 0;
    parts << QStringLiteral("%1 %2").arg(
        task.kind, doneBefore ? QStringLiteral("done") : QStringLiteral("%1 ms").arg(first));
  }
  return parts.join(QStringLiteral(", "));
}

QString CliWatch::logTail(int chars) const {
  QFile file(logFile_);
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  return QString::fromUtf8(file.readAll().right(chars));
}

QString CliWatch::describe() const {
  QString text = QStringLiteral("at %1 ms:\n").arg(nowMs());
  for (auto it = tasks_.cbegin(); it != tasks_.cend(); ++it) {
    text += QStringLiteral("task %1 (%2) %3: %4 of %5 bytes, last moved at %6 ms\n")
                .arg(it.key())
                .arg(it->kind, it->state)
                .arg(it->verified)
                .arg(it->total)
                .arg(it->lastGainMs);
  }
  return text + logTail();
}

}  // namespace tributary::test
