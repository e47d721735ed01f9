#include "StalePeer.h"

#include <sys/prctl.h>

#include <QDeadlineTimer>

#include <csignal>

namespace tributary::test {

StalePeer::~StalePeer() {
  if (process_ && process_->state() != QProcess::NotRunning) {
    process_->kill();
    process_->waitForFinished(5000);
  }
}

QString StalePeer::start(const QString& seederAddress, const QString& infoHashHex,
                         quint16 claimedPort) {
  process_ = std::make_unique<QProcess>();
  // stderr apart: a Python traceback must not be read as one of our lines.
  process_->setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_->start(QStringLiteral("/usr/bin/python3"),
                  {QStringLiteral(TRIBUTARY_MAGNET_TEST_DIR "/stale_peer.py"),
                   QStringLiteral("--connect"), seederAddress, QStringLiteral("--info-hash"),
                   infoHashHex, QStringLiteral("--claim-port"), QString::number(claimedPort)});
  if (!process_->waitForStarted(10000)) {
    return QStringLiteral("cannot start stale_peer.py: ") + process_->errorString();
  }
  return waitFor(QStringLiteral("HELD"), std::chrono::seconds(30))
             ? QString()
             : QStringLiteral("stale_peer.py holds no connection: ") + output_;
}

bool StalePeer::release(std::chrono::milliseconds deadline) {
  if (!process_) {
    return false;
  }
  process_->write("CLOSE\n");
  return waitFor(QStringLiteral("CLOSED"), deadline);
}

bool StalePeer::waitFor(const QString& line, std::chrono::milliseconds deadline) {
  const QDeadlineTimer timer(deadline);
  while (true) {
    output_ += QString::fromUtf8(process_->readAllStandardOutput());
    if (output_.split(QLatin1Char('\n')).contains(line)) {
      return true;
    }
    if (output_.contains(QStringLiteral("ERROR")) || timer.hasExpired()) {
      return false;
    }
    if (process_->state() != QProcess::Running) {
      // It may have printed the line and exited since the read above.
      process_->waitForFinished(1000);
      output_ += QString::fromUtf8(process_->readAllStandardOutput());
      return output_.split(QLatin1Char('\n')).contains(line);
    }
    process_->waitForReadyRead(50);
  }
}

}  // namespace tributary::test
