#include <QtTest>

#include <chrono>
#include <future>
#include <memory>
#include <optional>

#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct ConnectOutcome {
  std::optional<Result<void>> result;
  bool calledInsideConnect = false;
  long long afterMs = -1;
};

}  // namespace

class TstTcpConnect : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

  // Connects a fresh socket and waits for the outcome; the socket is then destroyed.
  ConnectOutcome connectAndWait(const SocketAddress& to, std::chrono::milliseconds timeout) {
    struct State {
      std::unique_ptr<TcpSocket> socket;
      bool inside = true;
      ConnectOutcome outcome;
      Clock::time_point started;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [this, s, to, timeout] {
      s->socket = std::make_unique<TcpSocket>(*loop_);
      s->started = Clock::now();
      s->socket->connect(to, timeout, [s](Result<void> r) {
        s->outcome.calledInsideConnect = s->inside;
        s->outcome.afterMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - s->started)
                .count();
        s->outcome.result = std::move(r);
        s->done.set_value();
      });
      s->inside = false;
    });
    auto f = s->done.get_future();
    if (!waitReady(f)) {
      qFatal("connect to %s did not report", to.toString().c_str());
    }
    runOn(*loop_, [s] {
      if (!s->socket->isClosed() && !s->socket->isConnected()) {
        qFatal("connect reported but the socket is still connecting");
      }
      s->socket.reset();
    });
    return std::move(s->outcome);
  }

  // A port nobody listens on: bound by a listener that is then closed.
  std::uint16_t closedPort(const SocketAddress& loopback) {
    return runOn(*loop_, [this, loopback] {
      TcpListener listener(*loop_);
      if (!listener.listen(loopback, [](std::unique_ptr<TcpSocket>) {}).ok()) {
        return std::uint16_t{0};
      }
      return listener.port();
    });
  }

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("connect");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void connectToClosedPortIsRefused_data() {
    QTest::addColumn<bool>("v6");
    QTest::newRow("127.0.0.1") << false;
    QTest::newRow("::1") << true;
  }
  void connectToClosedPortIsRefused() {
    QFETCH(bool, v6);
    if (v6 && !ipv6LoopbackWorks(*loop_)) {
      QSKIP("this machine cannot listen on ::1");
    }
    const SocketAddress loopback = v6 ? SocketAddress::loopbackV6(0) : SocketAddress::loopbackV4(0);
    const std::uint16_t port = closedPort(loopback);
    QVERIFY(port != 0);
    const ConnectOutcome o = connectAndWait(loopback.withPort(port), 5s);
    QVERIFY(o.result.has_value());
    QVERIFY(!o.result->ok());
    QCOMPARE(o.result->error().code, ErrorCode::ConnectionRefused);
    QVERIFY2(o.result->error().detail.find(loopback.withPort(port).toString()) != std::string::npos,
             o.result->error().detail.c_str());
    QVERIFY(!o.calledInsideConnect);
  }

  void connectTimesOut() {
    FullBacklogListener trap;
    if (!trap.ok()) {
      QSKIP(
          "this system answers connects to a full accept queue; the timeout cannot be provoked "
          "on loopback");
    }
    const ConnectOutcome o = connectAndWait(trap.address(), 200ms);
    QVERIFY(o.result.has_value());
    QVERIFY(!o.result->ok());
    QCOMPARE(o.result->error().code, ErrorCode::Timeout);
    QVERIFY2(o.afterMs >= 195, qPrintable(QString::number(o.afterMs)));
    QVERIFY2(o.afterMs < 5000, qPrintable(QString::number(o.afterMs)));
  }

  void connectToUnspecifiedAddressFailsLater() {
    const ConnectOutcome o = connectAndWait(SocketAddress{}, 1s);
    QVERIFY(o.result.has_value());
    QVERIFY(!o.result->ok());
    QCOMPARE(o.result->error().code, ErrorCode::InvalidArgument);
    QVERIFY(!o.calledInsideConnect);
  }

  void closeWhileConnectingNeverCallsBack() {
    FullBacklogListener trap;
    auto live = makeCounter();
    auto calls = std::make_shared<int>(0);
    auto socket = std::make_shared<std::unique_ptr<TcpSocket>>();
    // To the trap the connect stays pending; elsewhere it may finish first, which is fine too:
    // either way close() comes before the callback could run.
    const SocketAddress target =
        trap.ok() ? trap.address()
                  : SocketAddress::loopbackV4(closedPort(SocketAddress::loopbackV4(0)));
    const int liveAfterClose = runOn(*loop_, [this, live, calls, socket, target] {
      *socket = std::make_unique<TcpSocket>(*loop_);
      (*socket)->connect(target, 10s, [calls, token = LifeToken(live)](Result<void>) { ++*calls; });
      (*socket)->close();
      (*socket)->close();  // idempotent
      return live->load();
    });
    QCOMPARE(liveAfterClose, 0);  // the callback was dropped by close()
    QVERIFY(settle(*loop_, 100ms));
    QCOMPARE(*calls, 0);
    const bool writeAccepted = runOn(*loop_, [socket] {
      const bool accepted = (*socket)->write(std::string("late"));
      socket->reset();
      return accepted;
    });
    QVERIFY(!writeAccepted);
  }

  void destroyWhileConnectingIsSafe() {
    FullBacklogListener trap;
    if (!trap.ok()) {
      QSKIP("needs a connect that stays pending");
    }
    auto live = makeCounter();
    runOn(*loop_, [this, live, &trap] {
      auto socket = std::make_unique<TcpSocket>(*loop_);
      socket->connect(trap.address(), 10s, [token = LifeToken(live)](Result<void>) {
        qFatal("a destroyed socket called back");
      });
    });
    QCOMPARE(live->load(), 0);
    QVERIFY(settle(*loop_, 50ms));
  }

  void bufferSizesApplyBeforeConnect() {
    constexpr int kAsked = 128 * 1024;
    auto before = std::make_shared<std::tuple<bool, bool, int>>();
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0), [before](TcpSocket& client) {
      *before = {client.setReceiveBufferSize(kAsked).ok(), client.setSendBufferSize(kAsked).ok(),
                 client.receiveBufferSize()};
    });
    QVERIFY(std::get<0>(*before));
    QVERIFY(std::get<1>(*before));
    QCOMPARE(std::get<2>(*before), 0);  // no OS socket yet
    QVERIFY(pair != nullptr);
    const auto sizes = runOn(*loop_, [pair] {
      return std::pair{pair->client->receiveBufferSize(), pair->client->sendBufferSize()};
    });
    qInfo("SO_RCVBUF %d, SO_SNDBUF %d", sizes.first, sizes.second);
    QVERIFY(sizes.first >= kAsked);
    QVERIFY(sizes.second >= kAsked);
    const bool changed = runOn(*loop_, [pair] {
      return pair->server->setReceiveBufferSize(256 * 1024).ok() &&
             pair->server->receiveBufferSize() >= 256 * 1024;
    });
    QVERIFY(changed);
    destroyPair(*loop_, pair);
  }

  void addressesAfterConnect() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    const bool consistent = runOn(*loop_, [pair] {
      return pair->client->remoteAddress() == pair->listener->localAddress() &&
             pair->server->remoteAddress() == pair->client->localAddress() &&
             pair->server->localAddress() == pair->listener->localAddress() &&
             pair->client->isConnected() && pair->server->isConnected();
    });
    QVERIFY(consistent);
    destroyPair(*loop_, pair);
  }

  void listenOnABusyPortFails() {
    const auto codes = runOn(*loop_, [this] {
      TcpListener first(*loop_);
      TcpListener second(*loop_);
      const auto a = first.listen(SocketAddress::loopbackV4(0), [](std::unique_ptr<TcpSocket>) {});
      const auto b = second.listen(first.localAddress(), [](std::unique_ptr<TcpSocket>) {});
      const auto again = first.listen(first.localAddress(), [](std::unique_ptr<TcpSocket>) {});
      return std::tuple{a.ok(), b.ok() ? ErrorCode::Ok : b.error().code, second.isListening(),
                        again.ok() ? ErrorCode::Ok : again.error().code, first.isListening()};
    });
    QVERIFY(std::get<0>(codes));
    QCOMPARE(std::get<1>(codes), ErrorCode::IoError);  // EADDRINUSE
    QVERIFY(!std::get<2>(codes));
    QCOMPARE(std::get<3>(codes), ErrorCode::InvalidArgument);
    QVERIFY(std::get<4>(codes));
  }

  void listenerDestroyedInsideAcceptCallback() {
    struct State {
      std::unique_ptr<TcpListener> listener;
      std::unique_ptr<TcpSocket> client, accepted;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    const SocketAddress bound = runOn(*loop_, [this, s, live] {
      s->listener = std::make_unique<TcpListener>(*loop_);
      const auto ok = s->listener->listen(
          SocketAddress::loopbackV4(0), [s, token = LifeToken(live)](std::unique_ptr<TcpSocket> c) {
            s->accepted = std::move(c);
            s->listener.reset();  // destroys this callback's own storage
            s->done.set_value();
          });
      if (!ok.ok()) {
        return SocketAddress{};
      }
      s->client = std::make_unique<TcpSocket>(*loop_);
      s->client->connect(s->listener->localAddress(), 5s, [](Result<void>) {});
      return s->listener->localAddress();
    });
    QVERIFY(bound.isValid());
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    // Asked on the loop, so the accept callback has returned.
    QCOMPARE(runOn(*loop_, [live] { return live->load(); }), 0);
    const ConnectOutcome o = connectAndWait(bound, 5s);
    QVERIFY(o.result.has_value());
    QVERIFY(!o.result->ok());
    QCOMPARE(o.result->error().code, ErrorCode::ConnectionRefused);
    runOn(*loop_, [s] {
      s->client.reset();
      s->accepted.reset();
    });
  }
};

QTEST_GUILESS_MAIN(TstTcpConnect)
#include "tst_tcp_connect.moc"
