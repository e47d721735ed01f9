#include "support/OpenTracker.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tributary::test {

namespace {

constexpr int kStartAttempts = 3;
constexpr int kReadyTimeoutMs = 10000;
constexpr int kStopTimeoutMs = 5000;

// A port free for both TCP and UDP on 127.0.0.1 right now; another process
// could take it before opentracker binds, so start() retries.
quint16 freePort() {
  const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  quint16 port = 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (tcp >= 0 && udp >= 0 && ::bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(tcp, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
      ::bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (tcp >= 0) {
    ::close(tcp);
  }
  if (udp >= 0) {
    ::close(udp);
  }
  return port;
}

bool acceptsConnections(quint16 port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

OpenTracker::~OpenTracker() {
  stop();
}

QString OpenTracker::executable() {
  QString path = QStandardPaths::findExecutable(QStringLiteral("opentracker"));
  if (path.isEmpty()) {
    path = QStandardPaths::findExecutable(QStringLiteral("opentracker"),
                                          {"/usr/bin", "/usr/sbin", "/usr/local/bin"});
  }
  return path;
}

QString OpenTracker::httpAnnounceUrl() const {
  return QStringLiteral("http://127.0.0.1:%1/announce").arg(port_);
}

QString OpenTracker::udpAnnounceUrl() const {
  return QStringLiteral("udp://127.0.0.1:%1/announce").arg(port_);
}

QString OpenTracker::start(const QStringList& infoHashesHex) {
  whitelist_ = infoHashesHex;
  if (!dir_.isValid()) {
    return QStringLiteral("no temporary directory: %1").arg(dir_.errorString());
  }
  if (executable().isEmpty()) {
    return QStringLiteral("opentracker is not installed");
  }
  // Run as root it chroots into the directory and drops to "nobody", who must
  // be able to read the whitelist there.
  QFile::setPermissions(dir_.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                         QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                         QFileDevice::ExeOther | QFileDevice::ReadGroup |
                                         QFileDevice::ExeGroup);
  QFile whitelist(QDir(dir_.path()).filePath("whitelist.txt"));
  if (!whitelist.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      whitelist.write(infoHashesHex.join('\n').toLatin1() + '\n') < 0) {
    return QStringLiteral("cannot write %1").arg(whitelist.fileName());
  }
  whitelist.close();
  QString failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    failure = startOnce(freePort());
    if (failure.isEmpty()) {
      return {};
    }
  }
  return failure;
}

QString OpenTracker::startOnce(quint16 port) {
  if (port == 0) {
    return QStringLiteral("no free port on 127.0.0.1");
  }
  const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
  // The whitelist path is relative: it is read after the chroot (as root) or
  // from the directory opentracker changed into (otherwise).
  const QString config = "listen.tcp " + address + "\nlisten.udp " + address +
                         "\naccess.whitelist whitelist.txt\ntracker.rootdir " + dir_.path() + "\n";
  QFile file(QDir(dir_.path()).filePath("opentracker.conf"));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config.toUtf8()) < 0) {
    return QStringLiteral("cannot write %1").arg(file.fileName());
  }
  file.close();
  process_ = std::make_unique<QProcess>();
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_->start(executable(), {"-f", file.fileName()});
  if (!process_->waitForStarted(kReadyTimeoutMs)) {
    const QString why = process_->errorString();
    process_.reset();
    return QStringLiteral("cannot start opentracker: %1").arg(why);
  }
  const QDeadlineTimer deadline(kReadyTimeoutMs);
  while (!deadline.hasExpired()) {
    if (acceptsConnections(port)) {
      port_ = port;
      if (whitelist_.isEmpty() || whitelistLoaded(whitelist_.first())) {
        return {};
      }
    }
    if (process_->waitForFinished(20)) {
      output_ = QString::fromLocal8Bit(process_->readAll());
      process_.reset();
      return QStringLiteral("opentracker exited: %1").arg(output_);
    }
  }
  stop();
  return QStringLiteral("opentracker did not listen on %1 within %2 ms")
      .arg(address)
      .arg(kReadyTimeoutMs);
}

void OpenTracker::stop() {
  if (process_ == nullptr) {
    return;
  }
  if (process_->state() != QProcess::NotRunning) {
    process_->terminate();  // SIGTERM to its PID
    if (!process_->waitForFinished(kStopTimeoutMs)) {
      process_->kill();
      process_->waitForFinished(kStopTimeoutMs);
    }
  }
  output_ += QString::fromLocal8Bit(process_->readAll());
  process_.reset();
}

QByteArray OpenTracker::httpGet(const QByteArray& target) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return {};
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port_);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  QByteArray answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    const QByteArray request = "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request.constData(), request.size(), MSG_NOSIGNAL) == request.size()) {
      char buffer[4096];
      for (int i = 0; i < 64; ++i) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
          break;
        }
        answer.append(buffer, static_cast<int>(n));
      }
    }
  }
  ::close(fd);
  return answer;
}

QByteArray OpenTracker::percentEncodedHash(const QString& infoHashHex) {
  QByteArray query;
  for (char c : QByteArray::fromHex(infoHashHex.toLatin1())) {
    query += '%' + QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
  }
  return query;
}

// opentracker reads its whitelist on a thread of its own, after it listens:
// an announce in between is refused ("not authorized"). A "stopped" announce
// adds no peer, and is answered without a failure once the list is in.
bool OpenTracker::whitelistLoaded(const QString& infoHashHex) const {
  const QByteArray answer =
      httpGet("/announce?info_hash=" + percentEncodedHash(infoHashHex) +
              "&peer_id=-TRPROBE-000000000000&port=1&uploaded=0&downloaded=0&left=0"
              "&event=stopped&compact=1");
  return !answer.isEmpty() && !answer.contains("failure reason");
}

int OpenTracker::swarmSize(const QString& infoHashHex) const {
  const QByteArray answer = httpGet("/scrape?info_hash=" + percentEncodedHash(infoHashHex));
  // "...8:completei1e10:downloadedi0e10:incompletei0e..." for our one torrent.
  auto number = [&](const QByteArray& key) {
    const qsizetype at = answer.indexOf(key + 'i');
    if (at < 0) {
      return -1;
    }
    const qsizetype begin = at + key.size() + 1;
    const qsizetype end = answer.indexOf('e', begin);
    return end < 0 ? -1 : answer.mid(begin, end - begin).toInt();
  };
  const int complete = number("8:complete");
  const int incomplete = number("10:incomplete");
  return complete < 0 || incomplete < 0 ? -1 : complete + incomplete;
}

bool OpenTracker::waitForSwarm(const QString& infoHashHex, int atLeast, int deadlineMs) const {
  QDeadlineTimer deadline(deadlineMs);
  while (!deadline.hasExpired()) {
    if (swarmSize(infoHashHex) >= atLeast) {
      return true;
    }
    QThread::msleep(100);  // polling an outside process: nothing to wait on
  }
  return false;
}

}  // namespace tributary::test
