#include "support/NginxServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

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

// Binds port 0 to learn a free port, then lets it go for nginx. Another
// process could take it in between; start() retries on "Address already in use".
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
  // Loopback connect() completes or is refused at once: no timeout needed.
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

QString readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

}  // namespace

NginxServer::NginxServer(NginxOptions options) : options_(std::move(options)) {}

NginxServer::~NginxServer() {
  stop();
}

QString NginxServer::executable() {
  QString path = QStandardPaths::findExecutable(QStringLiteral("nginx"));
  if (path.isEmpty()) {
    path =
        QStandardPaths::findExecutable(QStringLiteral("nginx"), {"/usr/sbin", "/usr/local/sbin"});
  }
  return path;
}

QString NginxServer::baseUrl() const {
  return QStringLiteral("%1://127.0.0.1:%2").arg(tls() ? "https" : "http").arg(port_);
}

QString NginxServer::errorLog() const {
  return readFile(QDir(dir_.path()).filePath("error.log"));
}

QString NginxServer::accessLog() const {
  return readFile(QDir(dir_.path()).filePath("access.log"));
}

bool NginxServer::running() const {
  return process_ != nullptr && process_->state() != QProcess::NotRunning;
}

QString NginxServer::writeConfig(quint16 port) const {
  const QDir dir(dir_.path());
  if (!dir.mkpath(QStringLiteral("tmp"))) {
    return QStringLiteral("cannot create %1/tmp").arg(dir.path());
  }
  const QString tmp = dir.filePath(QStringLiteral("tmp"));
  // Built by concatenation, not arg(): paths must not be read as placeholders.
  QString config;
  if (::geteuid() == 0) {
    config += "user root;\n";  // only accepted quietly when we are root
  }
  config += "worker_processes 1;\nmaster_process off;\n";
  config += "pid " + dir.filePath("nginx.pid") + ";\n";
  config += "error_log " + dir.filePath("error.log") + " info;\n";
  config += "events { worker_connections 256; }\n";
  config += "http {\n";
  config += "  access_log " + dir.filePath("access.log") + ";\n";
  for (const char* kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    config += QStringLiteral("  %1_temp_path ").arg(kind) + tmp + '/' + kind + ";\n";
  }
  config += "  types { text/html html; text/plain txt; }\n";
  config += "  default_type application/octet-stream;\n  sendfile on;\n";
  config += "  server {\n";
  config += "    listen 127.0.0.1:" + QString::number(port) + (tls() ? " ssl" : "") + ";\n";
  config += "    server_name localhost;\n";
  config += "    root " + options_.rootDir + ";\n";
  if (tls()) {
    config += "    ssl_certificate " + options_.certFile + ";\n";
    config += "    ssl_certificate_key " + options_.keyFile + ";\n";
    config += "    ssl_protocols TLSv1.2 TLSv1.3;\n";
  }
  config += "    " + options_.extraServerDirectives + "\n  }\n}\n";
  QFile file(dir.filePath("nginx.conf"));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config.toUtf8()) < 0) {
    return QStringLiteral("cannot write %1").arg(file.fileName());
  }
  return {};
}

QString NginxServer::start() {
  if (running()) {
    return {};
  }
  if (!dir_.isValid()) {
    return QStringLiteral("no temporary directory: %1").arg(dir_.errorString());
  }
  if (executable().isEmpty()) {
    return QStringLiteral("nginx is not installed");
  }
  QString failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    const quint16 port = options_.port != 0 ? options_.port : freeLoopbackPort();
    failure = startOnce(port);
    if (failure.isEmpty()) {
      port_ = port;
      return {};
    }
    if (options_.port != 0 || !failure.contains(QStringLiteral("Address already in use"))) {
      break;
    }
  }
  return failure;
}

QString NginxServer::startOnce(quint16 port) {
  if (port == 0) {
    return QStringLiteral("no free port on 127.0.0.1");
  }
  if (QString failure = writeConfig(port); !failure.isEmpty()) {
    return failure;
  }
  QFile::remove(QDir(dir_.path()).filePath("error.log"));
  process_ = std::make_unique<QProcess>();
  process_->setProcessChannelMode(QProcess::MergedChannels);
  // If the test process dies, so does nginx: no orphan keeps the port.
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  const QString prefix = dir_.path() + '/';
  process_->start(executable(), {"-p", prefix, "-c", prefix + "nginx.conf", "-e",
                                 prefix + "error.log", "-g", "daemon off;"});
  if (!process_->waitForStarted(kReadyTimeoutMs)) {
    const QString why = process_->errorString();
    process_.reset();
    return QStringLiteral("cannot start nginx: %1").arg(why);
  }
  // Ready when it accepts a connection; waitForFinished doubles as the pause
  // between probes and as the check that it has not exited on a config error.
  const QDeadlineTimer deadline(kReadyTimeoutMs);
  while (!deadline.hasExpired()) {
    if (acceptsConnections(port)) {
      return {};
    }
    if (process_->waitForFinished(20)) {
      const QString output = QString::fromLocal8Bit(process_->readAll());
      process_.reset();
      return QStringLiteral("nginx exited (%1): %2").arg(output, errorLog());
    }
  }
  stop();
  return QStringLiteral("nginx did not accept connections on port %1 within %2 ms: %3")
      .arg(port)
      .arg(kReadyTimeoutMs)
      .arg(errorLog());
}

void NginxServer::stop() {
  if (process_ == nullptr) {
    return;
  }
  if (process_->state() != QProcess::NotRunning) {
    process_->terminate();  // SIGTERM to its PID: nginx's fast shutdown
    if (!process_->waitForFinished(kStopTimeoutMs)) {
      process_->kill();
      process_->waitForFinished(kStopTimeoutMs);
    }
  }
  process_.reset();
}

}  // namespace tributary::test
