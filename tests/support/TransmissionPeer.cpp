#include "support/TransmissionPeer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

namespace tributary::test {
namespace {

constexpr int kStartAttempts = 3;
constexpr int kRemoteTimeoutMs = 5000;
constexpr int kPollMs = 100;

// Binds port 0 to learn a free port, then lets it go for the daemon. Another
// process could take it in between; start() retries with new ports.
quint16 freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  quint16 port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
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
  // Loopback connect() completes or is refused at once.
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

QString executable(const char* name) {
  QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
  return path.isEmpty() ? QStandardPaths::findExecutable(QString::fromLatin1(name), {"/usr/bin"})
                        : path;
}

// "State: Idle" / "Seeding" once verified; "Will Verify" / "Verifying" before.
bool seedingVerified(const QString& info) {
  if (!info.contains(QStringLiteral("Percent Done: 100%"))) {
    return false;
  }
  const qsizetype at = info.indexOf(QStringLiteral("State: "));
  const QString state = at < 0 ? QString() : info.mid(at + 7).section('\n', 0, 0).trimmed();
  return state == QStringLiteral("Idle") || state == QStringLiteral("Seeding") ||
         state == QStringLiteral("Uploading");
}

}  // namespace

bool TransmissionPeer::available() {
  return !executable("transmission-daemon").isEmpty() &&
         !executable("transmission-remote").isEmpty();
}

TransmissionPeer::TransmissionPeer(TransmissionPeerOptions options)
    : options_(std::move(options)) {}

TransmissionPeer::~TransmissionPeer() {
  stop();
}

QString TransmissionPeer::writeSettings(quint16 rpcPort, quint16 peerPort) const {
  // The command line sets the ports, DHT, LPD and port mapping too; the file
  // holds what has no flag. "encryption": 1 = preferred, plain accepted.
  QString json = QStringLiteral(
      "{\n"
      "  \"bind-address-ipv4\": \"127.0.0.1\",\n"
      "  \"bind-address-ipv6\": \"::1\",\n"
      "  \"rpc-bind-address\": \"127.0.0.1\",\n"
      "  \"rpc-whitelist-enabled\": true,\n"
      "  \"rpc-whitelist\": \"127.0.0.1\",\n"
      "  \"rpc-host-whitelist-enabled\": false,\n"
      "  \"rpc-authentication-required\": false,\n"
      "  \"utp-enabled\": false,\n"
      "  \"lpd-enabled\": false,\n"
      "  \"dht-enabled\": false,\n"
      "  \"pex-enabled\": false,\n"
      "  \"port-forwarding-enabled\": false,\n"
      "  \"peer-port-random-on-start\": false,\n"
      "  \"blocklist-enabled\": false,\n"
      "  \"encryption\": 1,\n"
      "  \"message-level\": 2,\n"
      "  \"start-added-torrents\": true,\n"
      "  \"ratio-limit-enabled\": false,\n"
      "  \"idle-seeding-limit-enabled\": false,\n"
      "  \"speed-limit-down-enabled\": false,\n");
  json += QStringLiteral("  \"speed-limit-up-enabled\": %1,\n  \"speed-limit-up\": %2,\n")
              .arg(options_.uploadLimitKiB > 0 ? "true" : "false")
              .arg(std::max<qint64>(options_.uploadLimitKiB, 1));
  json +=
      QStringLiteral("  \"rpc-port\": %1,\n  \"peer-port\": %2\n}\n").arg(rpcPort).arg(peerPort);
  QFile file(QDir(configDir_.path()).filePath(QStringLiteral("settings.json")));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json.toUtf8()) < 0) {
    return QStringLiteral("cannot write ") + file.fileName();
  }
  return {};
}

bool TransmissionPeer::remote(const QStringList& args, QString* output) const {
  QProcess tool;
  tool.setProcessChannelMode(QProcess::MergedChannels);
  tool.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  tool.start(executable("transmission-remote"),
             QStringList{QStringLiteral("127.0.0.1:%1").arg(rpcPort_)} + args);
  if (!tool.waitForFinished(kRemoteTimeoutMs)) {
    tool.kill();  // our own child, by its PID
    tool.waitForFinished(kRemoteTimeoutMs);
    return false;
  }
  if (output != nullptr) {
    *output = QString::fromUtf8(tool.readAll());
  }
  return tool.exitStatus() == QProcess::NormalExit && tool.exitCode() == 0;
}

QString TransmissionPeer::start(std::chrono::milliseconds deadline) {
  if (!available()) {
    return QStringLiteral("transmission-daemon or transmission-remote is not installed");
  }
  if (!configDir_.isValid()) {
    return QStringLiteral("no temporary folder");
  }
  QString failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    const quint16 rpc = freeLoopbackPort();
    quint16 peer = freeLoopbackPort();
    for (int i = 0; i < 8 && peer == rpc; ++i) {
      peer = freeLoopbackPort();
    }
    failure = startOnce(rpc, peer, deadline);
    if (failure.isEmpty()) {
      return {};
    }
    stop();
  }
  return failure;
}

QString TransmissionPeer::startOnce(quint16 rpcPort, quint16 peerPort,
                                    std::chrono::milliseconds deadline) {
  if (QString e = writeSettings(rpcPort, peerPort); !e.isEmpty()) {
    return e;
  }
  rpcPort_ = rpcPort;
  peerPort_ = peerPort;
  log_.clear();
  process_ = std::make_unique<QProcess>();
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  // -f: foreground, log to stderr; -O no DHT; -Y no LPD; -M no port mapping; -T no RPC auth.
  process_->start(executable("transmission-daemon"),
                  {"-f", "-g", configDir_.path(), "-p", QString::number(rpcPort), "-P",
                   QString::number(peerPort), "-O", "-Y", "-M", "-T", "-w", options_.dataDir});
  if (!process_->waitForStarted(10000)) {
    return QStringLiteral("cannot start transmission-daemon: ") + process_->errorString();
  }
  const QDeadlineTimer timer(deadline);
  auto alive = [&] { return process_->state() == QProcess::Running; };
  // Polled, each poll paced by waiting for the daemon's log.
  auto pause = [&] { process_->waitForReadyRead(kPollMs); };

  while (!remote({"-l"})) {
    if (!alive() || timer.hasExpired()) {
      return QStringLiteral("transmission RPC did not answer on %1: %2").arg(rpcPort).arg(log());
    }
    pause();
  }
  while (!acceptsConnections(peerPort)) {
    if (!alive() || timer.hasExpired()) {
      return QStringLiteral("transmission does not listen on %1: %2").arg(peerPort).arg(log());
    }
    pause();
  }
  QString output;
  if (!remote({"-a", options_.torrentFile}, &output)) {
    return QStringLiteral("transmission-remote -a failed: ") + output;
  }
  QString info;
  while (!seedingVerified(info = torrentInfo())) {
    if (!alive() || timer.hasExpired()) {
      return QStringLiteral("transmission did not verify the data: ") + info + log();
    }
    pause();
  }
  return {};
}

QString TransmissionPeer::torrentInfo() const {
  QString info;
  return remote({"-t", "1", "-i"}, &info) ? info : QString();
}

QString TransmissionPeer::log() {
  if (process_) {
    log_ += QString::fromUtf8(process_->readAll());
  }
  return log_;
}

void TransmissionPeer::stop() {
  if (!process_) {
    return;
  }
  log();
  if (process_->state() != QProcess::NotRunning) {
    process_->terminate();  // SIGTERM to our own child, by its PID
    if (!process_->waitForFinished(5000)) {
      process_->kill();
      process_->waitForFinished(3000);
    }
  }
  log_ += QString::fromUtf8(process_->readAll());
  process_.reset();
}

}  // namespace tributary::test
