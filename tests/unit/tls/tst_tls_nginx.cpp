// TlsSession against a real server: nginx on 127.0.0.1 with a certificate from
// the test CA. A blocking socket (test only) pumps the bytes; a hand-written GET
// fetches a file whose body must come back byte-exact. The second connection to
// the same host:port must resume the first one's session.
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "TlsTestUtil.h"
#include "support/NginxServer.h"
#include "support/TestCertificates.h"

using namespace tributary;
using namespace tributary::test;

namespace {

constexpr int kFetchTimeoutMs = 15000;

class Socket {
 public:
  explicit Socket(quint16 port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    timeval timeout{1, 0};  // each recv waits at most 1 s; the fetch has its own deadline
    connected_ = fd_ >= 0 &&
                 ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  bool connected() const { return connected_; }
  bool sendAll(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return true;
  }
  ssize_t receive(std::span<std::byte> into) { return ::recv(fd_, into.data(), into.size(), 0); }

 private:
  int fd_;
  bool connected_ = false;
};

struct Fetched {
  QString error;  // empty on success
  QByteArray response;
  net::TlsEnd end = net::TlsEnd::Open;
  bool resumed = false;
  QString protocol;
};

// One GET over one connection, until the server closes it (Connection: close).
Fetched fetch(std::shared_ptr<net::TlsContext> context, const QString& host, quint16 port,
              const QString& path) {
  Fetched result;
  Socket socket(port);
  if (!socket.connected()) {
    result.error = "connect failed";
    return result;
  }
  auto created = net::TlsSession::create(context, host.toStdString(), port);
  if (!created) {
    result.error = describe(created.error());
    return result;
  }
  net::TlsSession& tls = *created.value();
  const QByteArray request = "GET " + path.toLatin1() + " HTTP/1.1\r\nHost: " + host.toLatin1() +
                             "\r\nConnection: close\r\n\r\n";
  (void)tls.writePlaintext(bytesOf(request));
  std::array<std::byte, 32 * 1024> plain{};
  const QDeadlineTimer deadline(kFetchTimeoutMs);
  while (!deadline.hasExpired()) {
    if (tls.wantsToSend()) {
      const std::vector<std::byte> out = tls.takeCiphertextBytes();
      if (!socket.sendAll(out)) {
        result.error = "send failed";
        return result;
      }
    }
    // Straight into the session's input, as loop::TcpSocket::setReadBuffer does.
    util::Buffer& in = tls.receiveBuffer();
    in.ensureWritable(16 * 1024);
    const ssize_t n =
        socket.receive({reinterpret_cast<std::byte*>(in.beginWrite()), in.writableBytes()});
    if (n > 0) {
      in.hasWritten(static_cast<std::size_t>(n));
    } else if (n == 0) {
      tls.feedEof();
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      tls.feedEof();  // a reset: the bytes so far are all there will be
    }
    for (;;) {
      auto read = tls.readPlaintext(plain);
      if (!read) {
        result.error = describe(read.error());
        return result;
      }
      result.response.append(reinterpret_cast<const char*>(plain.data()),
                             static_cast<qsizetype>(read.value().bytes));
      result.end = read.value().end;
      if (read.value().bytes < plain.size()) {
        break;
      }
    }
    if (result.end != net::TlsEnd::Open) {
      result.resumed = tls.sessionReused();
      result.protocol = QString::fromLatin1(tls.protocolVersion());
      return result;
    }
  }
  result.error = "timed out";
  return result;
}

}  // namespace

class TstTlsNginx : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  TestCertificates certs_;
  QByteArray body_;
  std::unique_ptr<NginxServer> nginx_;

 private slots:
  void initTestCase() {
    if (NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    QVERIFY(dir_.isValid());
    const QString failure = certs_.generate(dir_.path());
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const QString root = dir_.filePath("www");
    QVERIFY(QDir().mkpath(root));
    body_ = randomBytes(300 * 1024 + 7, 42);
    QFile file(root + "/file.bin");
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(body_), body_.size());
    file.close();
    nginx_ = std::make_unique<NginxServer>(
        NginxOptions{root, certs_.good.cert, certs_.good.key, 0, QString()});
    const QString started = nginx_->start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QVERIFY(nginx_->running());
    QVERIFY(nginx_->baseUrl().startsWith("https://127.0.0.1:"));
  }

  void cleanupTestCase() {
    if (nginx_ != nullptr) {
      nginx_->stop();
      QVERIFY(!nginx_->running());
    }
  }

  void fetchesAFileOverHttps() {
    QString error;
    auto context = clientContext({certs_.caCert}, &error, true);
    QVERIFY2(context != nullptr, qPrintable(error));
    for (const QString host : {"localhost", "localhost", "127.0.0.1"}) {
      const Fetched got = fetch(context, host, nginx_->port(), "/file.bin");
      QVERIFY2(got.error.isEmpty(), qPrintable(got.error + "\n" + nginx_->errorLog()));
      const qsizetype headEnd = got.response.indexOf("\r\n\r\n");
      QVERIFY(headEnd > 0);
      const QByteArray head = got.response.left(headEnd);
      QVERIFY2(head.startsWith("HTTP/1.1 200 OK\r\n"), head.constData());
      QVERIFY2(head.contains("\r\nContent-Length: " + QByteArray::number(body_.size()) + "\r\n"),
               head.constData());
      QVERIFY(got.response.mid(headEnd + 4) == body_);
      QCOMPARE(got.protocol, QStringLiteral("TLSv1.3"));
      // nginx ends a Connection: close response with close_notify.
      QCOMPARE(got.end, net::TlsEnd::CloseNotify);
    }
    QCOMPARE(context->cachedSessionCount(), std::size_t{2});
  }

  void resumesWithNginx() {
    QString error;
    auto context = clientContext({certs_.caCert}, &error);
    QVERIFY2(context != nullptr, qPrintable(error));
    const Fetched first = fetch(context, "localhost", nginx_->port(), "/file.bin");
    QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
    QVERIFY(!first.resumed);
    const Fetched second = fetch(context, "localhost", nginx_->port(), "/file.bin");
    QVERIFY2(second.error.isEmpty(), qPrintable(second.error));
    QVERIFY2(second.resumed, "nginx did not resume the cached session");
  }

  void refusesNginxWithoutTheCa() {
    QString error;
    auto context = clientContext({}, &error, true);
    QVERIFY2(context != nullptr, qPrintable(error));
    const Fetched got = fetch(context, "localhost", nginx_->port(), "/file.bin");
    QVERIFY2(got.error.contains("certificate is not trusted"), qPrintable(got.error));
    QVERIFY(got.response.isEmpty());
  }

  void notFoundIsStillCleanTls() {
    QString error;
    auto context = clientContext({certs_.caCert}, &error);
    QVERIFY2(context != nullptr, qPrintable(error));
    const Fetched got = fetch(context, "localhost", nginx_->port(), "/missing");
    QVERIFY2(got.error.isEmpty(), qPrintable(got.error));
    QVERIFY2(got.response.startsWith("HTTP/1.1 404"), got.response.left(100).constData());
  }

  void plainHttpPortIsNamedAsSuch() {
    NginxServer plain(NginxOptions{dir_.filePath("www"), {}, {}, 0, {}});
    const QString started = plain.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QVERIFY(plain.baseUrl().startsWith("http://127.0.0.1:"));
    QString error;
    auto context = clientContext({certs_.caCert}, &error);
    QVERIFY2(context != nullptr, qPrintable(error));
    const Fetched got = fetch(context, "localhost", plain.port(), "/file.bin");
    QCOMPARE(got.error, QStringLiteral("[code %1] handshake failed: the server answered in plain "
                                       "HTTP, not TLS")
                            .arg(static_cast<int>(ErrorCode::TlsFailure)));
    plain.stop();
    QVERIFY(!plain.running());
  }

  void nginxConfigErrorsAreReported() {
    NginxServer broken(
        NginxOptions{dir_.filePath("www"), {}, {}, 0, QStringLiteral("no_such_directive on;")});
    const QString started = broken.start();
    QVERIFY2(started.contains("no_such_directive"), qPrintable(started));
    QVERIFY(!broken.running());
  }
};

QTEST_GUILESS_MAIN(TstTlsNginx)
#include "tst_tls_nginx.moc"
