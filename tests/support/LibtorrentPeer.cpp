#include "support/LibtorrentPeer.h"

#include <sys/prctl.h>

#include <QElapsedTimer>
#include <QFileInfo>

#include <csignal>

namespace tributary::test {
namespace {

constexpr char kPython[] = "/usr/bin/python3";

QString script() {
  return QStringLiteral(TRIBUTARY_TEST_SUPPORT_DIR "/scripts/lt_peer.py");
}

}  // namespace

bool LibtorrentPeer::available() {
  return QProcess::execute(kPython, {"-c", "import libtorrent"}) == 0;
}

LibtorrentPeer::LibtorrentPeer(LibtorrentPeerOptions options) : options_(std::move(options)) {}

LibtorrentPeer::~LibtorrentPeer() {
  stop();
}

QString LibtorrentPeer::start() {
  QStringList args{script(), "--dir", options_.dataDir};
  if (options_.magnet.isEmpty()) {
    args << "--torrent" << options_.torrentFile;
  } else {
    args << "--magnet" << options_.magnet;
  }
  for (const QString& peer : options_.connectTo) {
    args << "--peer" << peer;
  }
  if (options_.trustData) {
    args << "--seed-mode";
  }
  if (options_.uploadLimit > 0) {
    args << "--upload-limit" << QString::number(options_.uploadLimit);
  }
  if (options_.noPex) {
    args << "--no-pex";
  }
  if (!options_.encryption.isEmpty()) {
    args << "--encryption" << options_.encryption;
  }
  if (options_.utpOnly) {
    args << "--utp-only";
  }
  if (options_.downloadLimit > 0) {
    args << "--download-limit" << QString::number(options_.downloadLimit);
  }
  process_ = std::make_unique<QProcess>();
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_->start(kPython, args);
  if (!process_->waitForStarted(10000)) {
    return QStringLiteral("cannot start lt_peer.py: ") + process_->errorString();
  }
  if (!readLines(std::chrono::seconds(30), QStringLiteral("LISTENING "))) {
    return QStringLiteral("lt_peer.py did not listen: ") + output_;
  }
  const qsizetype at = output_.indexOf(QStringLiteral("LISTENING "));
  port_ = output_.mid(at + 10).section('\n', 0, 0).trimmed().toUShort();
  return port_ != 0 ? QString() : QStringLiteral("lt_peer.py gave no port: ") + output_;
}

bool LibtorrentPeer::readLines(std::chrono::milliseconds deadline, const QString& until) {
  QElapsedTimer clock;
  clock.start();
  while (!output_.contains(until)) {
    if (clock.elapsed() > deadline.count() || process_->state() != QProcess::Running) {
      output_ += QString::fromUtf8(process_->readAll());
      return output_.contains(until);
    }
    process_->waitForReadyRead(100);
    output_ += QString::fromUtf8(process_->readAll());
  }
  return true;
}

bool LibtorrentPeer::waitFinished(std::chrono::milliseconds deadline) {
  return process_ && readLines(deadline, QStringLiteral("FINISHED"));
}

void LibtorrentPeer::stop() {
  if (!process_) {
    return;
  }
  process_->closeWriteChannel();  // the script exits when its stdin closes
  if (!process_->waitForFinished(3000)) {
    process_->kill();  // our own child, by its PID
    process_->waitForFinished(3000);
  }
  output_ += QString::fromUtf8(process_->readAll());  // its last words: UPLOADED
  process_.reset();
}

qint64 LibtorrentPeer::uploadedBytes() const {
  const qsizetype at = output_.lastIndexOf(QStringLiteral("UPLOADED "));
  if (at < 0) {
    return -1;
  }
  bool ok = false;
  const qint64 bytes = output_.mid(at + 9).section(' ', 0, 0).trimmed().toLongLong(&ok);
  return ok ? bytes : -1;
}

}  // namespace tributary::test
