// HttpConnection against a real nginx on 127.0.0.1: plain and TLS, keep-alive,
// ranges, HEAD, errors, back-pressure, abandoning a response.
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <random>

#include "engine/codec/Url.h"
#include "engine/http/HttpConnection.h"
#include "engine/http/RequestWriter.h"
#include "engine/loop/EventLoop.h"
#include "support/BadHttpServer.h"
#include "support/NginxServer.h"
#include "support/TestCertificates.h"

using namespace tributary;
using namespace std::chrono_literals;

namespace {

// A port that was free a moment ago: bind port 0, read it back, close.
quint16 unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
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

QByteArray randomBytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  QByteArray bytes(static_cast<qsizetype>(size), Qt::Uninitialized);
  for (auto& b : bytes) {
    b = static_cast<char>(rng());
  }
  return bytes;
}

// Runs fn on the loop and waits for it (the test thread is not a loop thread).
template <class Fn>
void onLoop(loop::EventLoop& loop, Fn fn) {
  std::promise<void> done;
  loop.post([&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

struct Outcome {
  int status = 0;
  QByteArray body;
  bool ended = false;
  Result<void> result;
  std::string contentRange;
};

// One client (resolver + connection) living on a loop thread.
class Client {
 public:
  Client(loop::EventLoop& loop, http::Origin origin, std::shared_ptr<net::TlsContext> tls)
      : loop_(loop) {
    onLoop(loop_, [&] {
      resolver_ = std::make_unique<loop::Resolver>(loop_);
      http::ConnectionOptions options;
      options.tls = std::move(tls);
      options.connectTimeout = 5000ms;
      options.readTimeout = 10000ms;
      connection_ = std::make_unique<http::HttpConnection>(loop_, *resolver_, origin, options);
    });
  }
  ~Client() {
    onLoop(loop_, [&] {
      connection_.reset();
      resolver_.reset();
    });
  }

  // Sends a GET (or HEAD) and waits for the end; `hook` may act on each body slice.
  Outcome fetch(const std::string& url, http::RequestOptions options,
                std::function<bool(http::HttpConnection&, std::span<const char>)> hook = {}) {
    auto outcome = std::make_shared<Outcome>();
    std::promise<void> ended;
    auto endedFuture = ended.get_future();
    auto parsed = codec::parseUrl(url);
    const bool head = options.method == http::RequestMethod::Head;
    onLoop(loop_, [&] {
      http::HttpConnection::Handler handler;
      handler.onHead = [outcome](const http::ResponseHead& h) {
        outcome->status = h.status;
        if (const std::string* range = h.find("Content-Range")) {
          outcome->contentRange = *range;
        }
        return true;
      };
      handler.onBody = [this, outcome, hook](std::span<const char> body) {
        outcome->body.append(body.data(), static_cast<qsizetype>(body.size()));
        return hook ? hook(*connection_, body) : true;
      };
      handler.onEnd = [outcome, &ended](Result<void> r) {
        outcome->ended = true;
        outcome->result = std::move(r);
        ended.set_value();
      };
      connection_->send(http::writeRequestHead(parsed.value(), options).value(), head,
                        std::move(handler));
    });
    if (endedFuture.wait_for(20s) != std::future_status::ready) {
      outcome->result = Error{ErrorCode::Timeout, "test waited too long"};
    }
    return *outcome;
  }

  bool idle() {
    bool value = false;
    onLoop(loop_, [&] { value = connection_->idle(); });
    return value;
  }
  http::HttpConnection& connection() { return *connection_; }
  loop::EventLoop& loop() { return loop_; }

 private:
  loop::EventLoop& loop_;
  std::unique_ptr<loop::Resolver> resolver_;
  std::unique_ptr<http::HttpConnection> connection_;
};

}  // namespace

class TestHttpConnection : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    QVERIFY(root_.isValid() && certDir_.isValid());
    big_ = randomBytes(5 * 1024 * 1024 + 17, 7);
    QFile file(root_.filePath("big.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(big_);
    file.close();
    QFile empty(root_.filePath("empty.bin"));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QCOMPARE(certs_.generate(certDir_.path()), QString());

    test::NginxOptions plainOptions;
    plainOptions.rootDir = root_.path();
    plain_ = std::make_unique<test::NginxServer>(plainOptions);
    QCOMPARE(plain_->start(), QString());
    test::NginxOptions tlsOptions = plainOptions;
    tlsOptions.certFile = certs_.good.cert;
    tlsOptions.keyFile = certs_.good.key;
    tls_ = std::make_unique<test::NginxServer>(tlsOptions);
    QCOMPARE(tls_->start(), QString());
    loop_.start();
  }

  void cleanupTestCase() { loop_.stop(); }

  void plainGetAndKeepAlive() {
    Client client(loop_, {"http", "127.0.0.1", plain_->port()}, nullptr);
    const std::string url = plain_->baseUrl().toStdString() + "/big.bin";
    Outcome first = client.fetch(url, {});
    QVERIFY2(first.result.ok(), first.result.ok() ? "" : first.result.error().toString().c_str());
    QCOMPARE(first.status, 200);
    QVERIFY(first.body == big_);
    QVERIFY(client.idle());
    Outcome second = client.fetch(url, {});  // same connection
    QVERIFY(second.result.ok());
    QVERIFY(second.body == big_);
  }

  void rangeRequest() {
    Client client(loop_, {"http", "127.0.0.1", plain_->port()}, nullptr);
    http::RequestOptions options;
    options.range = http::ByteRange{1000, 1999};
    Outcome out = client.fetch(plain_->baseUrl().toStdString() + "/big.bin", options);
    QVERIFY(out.result.ok());
    QCOMPARE(out.status, 206);
    QCOMPARE(out.contentRange, "bytes 1000-1999/" + std::to_string(big_.size()));
    QVERIFY(out.body == big_.mid(1000, 1000));
  }

  void headAndNotFound() {
    Client client(loop_, {"http", "127.0.0.1", plain_->port()}, nullptr);
    http::RequestOptions head;
    head.method = http::RequestMethod::Head;
    Outcome h = client.fetch(plain_->baseUrl().toStdString() + "/big.bin", head);
    QVERIFY(h.result.ok());
    QCOMPARE(h.status, 200);
    QVERIFY(h.body.isEmpty());
    Outcome missing = client.fetch(plain_->baseUrl().toStdString() + "/nope", {});
    QVERIFY(missing.result.ok());  // a complete response; the status is the caller's business
    QCOMPARE(missing.status, 404);
  }

  void tlsWithTrustedCa() {
    net::TlsContextOptions options;
    options.useSystemStore = false;
    options.extraCaFiles = {certs_.caCert.toStdString()};
    auto context = net::TlsContext::create(options);
    QVERIFY(context.ok());
    Client client(loop_, {"https", "127.0.0.1", tls_->port()}, context.value());
    const std::string url = tls_->baseUrl().toStdString() + "/big.bin";
    Outcome out = client.fetch(url, {});
    QVERIFY2(out.result.ok(), out.result.ok() ? "" : out.result.error().toString().c_str());
    QVERIFY(out.body == big_);
    Outcome again = client.fetch(url, {});
    QVERIFY(again.result.ok());
    QVERIFY(again.body == big_);
  }

  void tlsWithoutTheCaFails() {
    net::TlsContextOptions options;
    options.useSystemStore = false;
    auto context = net::TlsContext::create(options);
    QVERIFY(context.ok());
    Client client(loop_, {"https", "127.0.0.1", tls_->port()}, context.value());
    Outcome out = client.fetch(tls_->baseUrl().toStdString() + "/big.bin", {});
    QVERIFY(!out.result.ok());
    QCOMPARE(out.result.error().code, ErrorCode::TlsFailure);
    QVERIFY(out.body.isEmpty());
  }

  void refusedConnection() {
    // A port nothing listens on: bind one, note it, close it.
    const quint16 port = unusedPort();
    QVERIFY(port != 0);
    Client client(loop_, {"http", "127.0.0.1", port}, nullptr);
    Outcome out = client.fetch("http://127.0.0.1:" + std::to_string(port) + "/x", {});
    QVERIFY(!out.result.ok());
    QCOMPARE(out.result.error().code, ErrorCode::ConnectionRefused);
  }

  void pausedReadingStillDeliversEverything() {
    Client client(loop_, {"http", "127.0.0.1", plain_->port()}, nullptr);
    int slices = 0;
    Outcome out = client.fetch(plain_->baseUrl().toStdString() + "/big.bin", {},
                               [&](http::HttpConnection& c, std::span<const char>) {
                                 if (++slices % 3 == 0) {
                                   c.pauseReading();
                                   c.resumeReading();
                                 }
                                 return true;
                               });
    QVERIFY(out.result.ok());
    QVERIFY(out.body == big_);
    QVERIFY(slices >= 3);
  }

  void trickledHeadTimesOut() {
    // The server sends its head one byte every 50 ms: the read timeout never
    // fires, the head timeout must.
    test::BadHttpServer slow;
    QCOMPARE(QString::fromStdString(slow.start()), QString());
    test::Route route;
    route.behaviour = test::Behaviour::SlowHeaders;
    route.payload = "payload";
    route.trickle = 50ms;
    slow.setRoute("/slow.bin", route);
    std::promise<Result<void>> ended;
    std::unique_ptr<loop::Resolver> resolver;
    std::unique_ptr<http::HttpConnection> connection;
    onLoop(loop_, [&] {
      resolver = std::make_unique<loop::Resolver>(loop_);
      http::ConnectionOptions options;
      options.readTimeout = 5000ms;
      options.headTimeout = 400ms;
      connection = std::make_unique<http::HttpConnection>(
          loop_, *resolver, http::Origin{"http", "127.0.0.1", slow.port()}, options);
      http::HttpConnection::Handler handler;
      handler.onEnd = [&ended](Result<void> r) { ended.set_value(std::move(r)); };
      auto parsed = codec::parseUrl(slow.url("/slow.bin"));
      connection->send(http::writeRequestHead(parsed.value(), {}).value(), false,
                       std::move(handler));
    });
    auto future = ended.get_future();
    QCOMPARE(future.wait_for(3s), std::future_status::ready);
    const Result<void> result = future.get();
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::Timeout);
    onLoop(loop_, [&] {
      connection.reset();
      resolver.reset();
    });
  }

  void abandoningClosesWithoutEnd() {
    Client client(loop_, {"http", "127.0.0.1", plain_->port()}, nullptr);
    std::promise<void> abandoned;
    auto parsed = codec::parseUrl(plain_->baseUrl().toStdString() + "/big.bin");
    bool endCalled = false;
    onLoop(loop_, [&] {
      http::HttpConnection::Handler handler;
      handler.onBody = [&](std::span<const char>) {
        abandoned.set_value();
        return false;
      };
      handler.onEnd = [&](Result<void>) { endCalled = true; };
      client.connection().send(http::writeRequestHead(parsed.value(), {}).value(), false,
                               std::move(handler));
    });
    QCOMPARE(abandoned.get_future().wait_for(10s), std::future_status::ready);
    onLoop(loop_, [&] { QVERIFY(client.connection().closed()); });
    QVERIFY(!endCalled);
  }

 private:
  QTemporaryDir root_;
  QTemporaryDir certDir_;
  QByteArray big_;
  test::TestCertificates certs_;
  std::unique_ptr<test::NginxServer> plain_;
  std::unique_ptr<test::NginxServer> tls_;
  loop::EventLoop loop_{"test"};
};

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "tst_http_connection.moc"
