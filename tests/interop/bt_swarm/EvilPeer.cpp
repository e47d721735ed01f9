#include "EvilPeer.h"

#include <sys/prctl.h>

#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

namespace tributary::test {
namespace {

constexpr char kPython[] = "/usr/bin/python3";
constexpr int kPollMs = 50;

QString script() {
  return QStringLiteral(TRIBUTARY_TEST_SCRIPTS_DIR "/evil_peer.py");
}

}  // namespace

bool EvilPeer::available() {
  return QProcess::execute(kPython, {"-c", "import hashlib, select, socket"}) == 0;
}

EvilPeer::EvilPeer(QString torrentFile, QString mode)
    : torrentFile_(std::move(torrentFile)), mode_(std::move(mode)) {}

EvilPeer::~EvilPeer() {
  stop();
}

QString EvilPeer::start() {
  process_ = std::make_unique<QProcess>();
  // stderr apart: a Python traceback must not be read as one of our lines.
  process_->setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_->start(kPython, {script(), "--torrent", torrentFile_, "--mode", mode_});
  if (!process_->waitForStarted(10000)) {
    return QStringLiteral("cannot start evil_peer.py: ") + process_->errorString();
  }
  const QDeadlineTimer deadline(10000);
  while (!output_.contains(QStringLiteral("LISTENING "))) {
    if (deadline.hasExpired() || process_->state() != QProcess::Running) {
      return QStringLiteral("evil_peer.py did not listen: ") + output_;
    }
    read(kPollMs);
  }
  const qsizetype at = output_.indexOf(QStringLiteral("LISTENING "));
  port_ = output_.mid(at + 10).section('\n', 0, 0).trimmed().toUShort();
  return port_ != 0 ? QString() : QStringLiteral("evil_peer.py gave no port: ") + output_;
}

void EvilPeer::read(int waitMs) {
  if (!process_) {
    return;
  }
  if (waitMs > 0 && process_->bytesAvailable() == 0) {
    process_->waitForReadyRead(waitMs);
  }
  output_ += QString::fromUtf8(process_->readAllStandardOutput());
}

QString EvilPeer::output() {
  read(0);
  return output_;
}

QString EvilPeer::waitLine(const QString& prefix, std::chrono::milliseconds deadline) {
  const QDeadlineTimer timer(deadline);
  while (true) {
    read(0);
    for (const QString& line : output_.split(QLatin1Char('\n'))) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    if (timer.hasExpired() || !process_ || process_->state() != QProcess::Running) {
      return {};
    }
    read(kPollMs);
  }
}

int EvilPeer::connections() {
  read(0);
  return static_cast<int>(output_.count(
      QRegularExpression(QStringLiteral("^CONNECTED \\d+$"), QRegularExpression::MultilineOption)));
}

bool EvilPeer::misbehaved(int n) {
  read(0);
  return output_.contains(QStringLiteral("MISBEHAVED %1\n").arg(n));
}

std::optional<double> EvilPeer::closedAfter(int n) {
  read(0);
  const QRegularExpression line(QStringLiteral("^CLOSED %1 ([0-9.]+)$").arg(n),
                                QRegularExpression::MultilineOption);
  const QRegularExpressionMatch m = line.match(output_);
  if (!m.hasMatch()) {
    return std::nullopt;
  }
  return m.captured(1).toDouble();
}

bool EvilPeer::waitConnected(int n, std::chrono::milliseconds deadline) {
  const QDeadlineTimer timer(deadline);
  while (connections() < n) {
    if (timer.hasExpired() || !process_ || process_->state() != QProcess::Running) {
      return false;
    }
    read(kPollMs);
  }
  return true;
}

std::optional<double> EvilPeer::waitClosed(int n, std::chrono::milliseconds deadline) {
  const QDeadlineTimer timer(deadline);
  std::optional<double> seconds;
  while (!(seconds = closedAfter(n))) {
    if (timer.hasExpired() || !process_ || process_->state() != QProcess::Running) {
      return std::nullopt;
    }
    read(kPollMs);
  }
  return seconds;
}

void EvilPeer::stop() {
  if (!process_) {
    return;
  }
  read(0);
  process_->closeWriteChannel();  // the script exits when its stdin closes
  if (!process_->waitForFinished(3000)) {
    process_->kill();  // our own child, by its PID
    process_->waitForFinished(3000);
  }
  output_ += QString::fromUtf8(process_->readAllStandardOutput());
  process_.reset();
}

}  // namespace tributary::test
