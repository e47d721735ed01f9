// loop::UdpSocket on 127.0.0.1 and ::1: bind, send, receive, close from
// inside the callback, loop shutdown with a socket open.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::byte> bytesOf(const std::string& text) {
  std::vector<std::byte> out(text.size());
  std::memcpy(out.data(), text.data(), text.size());
  return out;
}

std::string textOf(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

SocketAddress loopbackOf(bool v6, std::uint16_t port) {
  return v6 ? SocketAddress::loopbackV6(port) : SocketAddress::loopbackV4(port);
}

struct Datagram {
  SocketAddress from;
  std::string bytes;
};

// Collects datagrams on the loop thread; the test waits for `expected` of them.
struct Inbox {
  std::vector<Datagram> got;
  std::size_t expected = 0;
  std::promise<void> done;
  bool finished = false;

  void add(const SocketAddress& from, std::span<const std::byte> bytes) {
    got.push_back({from, textOf(bytes)});
    if (!finished && got.size() >= expected) {
      finished = true;
      done.set_value();
    }
  }
};

}  // namespace

class TstUdpSocket : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

  bool ipv6Works() {
    return runOn(*loop_, [this] {
      UdpSocket probe(*loop_);
      return probe.bind(SocketAddress::loopbackV6(0)).ok();
    });
  }

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("udp");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void bindReportsTheChosenPort_data() {
    QTest::addColumn<bool>("v6");
    QTest::newRow("127.0.0.1") << false;
    QTest::newRow("::1") << true;
  }
  void bindReportsTheChosenPort() {
    QFETCH(bool, v6);
    if (v6 && !ipv6Works()) {
      QSKIP("this machine cannot bind ::1");
    }
    const auto [ok, local] = runOn(*loop_, [this, v6] {
      UdpSocket socket(*loop_);
      const bool bound = socket.bind(loopbackOf(v6, 0)).ok();
      return std::make_pair(bound && socket.isBound(), socket.localAddress());
    });
    QVERIFY(ok);
    QVERIFY(local.port() != 0);
    QCOMPARE(local.isV6(), v6);
    QVERIFY(local.isLoopback());
  }

  void exchangesDatagramsBothWays_data() {
    QTest::addColumn<bool>("v6");
    QTest::newRow("127.0.0.1") << false;
    QTest::newRow("::1") << true;
  }
  void exchangesDatagramsBothWays() {
    QFETCH(bool, v6);
    if (v6 && !ipv6Works()) {
      QSKIP("this machine cannot bind ::1");
    }
    constexpr std::size_t kCount = 40;
    auto a = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto b = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto atA = std::make_shared<Inbox>();
    auto atB = std::make_shared<Inbox>();
    atA->expected = 1;
    atB->expected = kCount + 1;  // an empty datagram is a datagram too
    auto fa = atA->done.get_future();
    auto fb = atB->done.get_future();
    const bool sent = runOn(*loop_, [&, v6] {
      *a = std::make_unique<UdpSocket>(*loop_);
      *b = std::make_unique<UdpSocket>(*loop_);
      if (!(*a)->bind(loopbackOf(v6, 0)).ok() || !(*b)->bind(loopbackOf(v6, 0)).ok()) {
        return false;
      }
      (*a)->setOnReceive([atA](const SocketAddress& from, std::span<const std::byte> bytes) {
        atA->add(from, bytes);
      });
      UdpSocket* bRaw = b->get();
      (*b)->setOnReceive([atB, bRaw](const SocketAddress& from, std::span<const std::byte> bytes) {
        atB->add(from, bytes);
        if (atB->got.size() == atB->expected) {
          (void)bRaw->send(from, bytesOf("thanks"));  // answer from inside the callback
        }
      });
      bool ok = true;
      for (std::size_t i = 0; i < kCount; ++i) {
        const std::string payload = "datagram " + std::to_string(i) + std::string(i * 25, 'x');
        ok = ok && (*a)->send((*b)->localAddress(), bytesOf(payload)).ok();
      }
      return ok && (*a)->send((*b)->localAddress(), {}).ok();
    });
    QVERIFY(sent);
    QVERIFY(waitReady(fb));
    QVERIFY(waitReady(fa));
    const SocketAddress aAddress = runOn(*loop_, [a] { return (*a)->localAddress(); });
    const SocketAddress bAddress = runOn(*loop_, [b] { return (*b)->localAddress(); });
    QCOMPARE(atB->got.size(), kCount + 1);
    for (std::size_t i = 0; i < kCount; ++i) {
      // Loopback keeps order; a datagram arrives whole or not at all.
      QCOMPARE(atB->got[i].bytes, "datagram " + std::to_string(i) + std::string(i * 25, 'x'));
      QCOMPARE(atB->got[i].from, aAddress);
    }
    QVERIFY(atB->got[kCount].bytes.empty());
    QCOMPARE(atA->got.size(), std::size_t{1});
    QCOMPARE(atA->got[0].bytes, std::string("thanks"));
    QCOMPARE(atA->got[0].from, bAddress);
    const auto counters = runOn(*loop_, [a, b] {
      return std::make_pair((*a)->datagramsSent(), (*b)->datagramsReceived());
    });
    QCOMPARE(counters.first, std::uint64_t{kCount + 1});
    QCOMPARE(counters.second, std::uint64_t{kCount + 1});
    runOn(*loop_, [a, b] {
      a->reset();
      b->reset();
    });
  }

  void largestIpv4DatagramArrivesWhole() {
    constexpr std::size_t kSize = 65507;  // 65535 - IPv4 and UDP headers
    auto inbox = std::make_shared<Inbox>();
    inbox->expected = 1;
    auto done = inbox->done.get_future();
    auto a = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto b = std::make_shared<std::unique_ptr<UdpSocket>>();
    const bool sent = runOn(*loop_, [&] {
      *a = std::make_unique<UdpSocket>(*loop_);
      *b = std::make_unique<UdpSocket>(*loop_);
      if (!(*a)->bind(SocketAddress::loopbackV4(0)).ok() ||
          !(*b)->bind(SocketAddress::loopbackV4(0)).ok()) {
        return false;
      }
      (*b)->setOnReceive([inbox](const SocketAddress& from, std::span<const std::byte> bytes) {
        inbox->add(from, bytes);
      });
      return (*a)->send((*b)->localAddress(), bytesOf(std::string(kSize, 'z'))).ok();
    });
    QVERIFY(sent);
    QVERIFY(waitReady(done));
    QCOMPARE(inbox->got[0].bytes, std::string(kSize, 'z'));
    runOn(*loop_, [a, b] {
      a->reset();
      b->reset();
    });
  }

  void refusesBadSends() {
    const auto errors = runOn(*loop_, [this] {
      std::vector<ErrorCode> out;
      UdpSocket unbound(*loop_);
      out.push_back(unbound.send(SocketAddress::loopbackV4(9), bytesOf("x")).error().code);
      UdpSocket v4(*loop_);
      (void)v4.bind(SocketAddress::loopbackV4(0));
      // An IPv4 socket cannot reach an IPv6 address, nor an unspecified one.
      out.push_back(v4.send(SocketAddress::loopbackV6(9), bytesOf("x")).error().code);
      out.push_back(v4.send(SocketAddress{}, bytesOf("x")).error().code);
      // Larger than any IPv4 datagram: the kernel refuses at once.
      const Result<void> huge =
          v4.send(SocketAddress::loopbackV4(9), bytesOf(std::string(70000, 'h')));
      out.push_back(huge.ok() ? ErrorCode::Ok : huge.error().code);
      v4.close();
      out.push_back(v4.send(SocketAddress::loopbackV4(9), bytesOf("x")).error().code);
      return out;
    });
    QCOMPARE(errors.size(), std::size_t{5});
    QCOMPARE(errors[0], ErrorCode::InvalidArgument);
    QCOMPARE(errors[1], ErrorCode::InvalidArgument);
    QCOMPARE(errors[2], ErrorCode::InvalidArgument);
    QCOMPARE(errors[3], ErrorCode::IoError);
    QCOMPARE(errors[4], ErrorCode::ShuttingDown);
  }

  void bindFailuresAreReported() {
    const auto result = runOn(*loop_, [this] {
      UdpSocket first(*loop_);
      if (!first.bind(SocketAddress::loopbackV4(0)).ok()) {
        return std::vector<bool>{};
      }
      UdpSocket second(*loop_);
      const bool sameAddress = second.bind(first.localAddress()).ok();
      const bool secondClosed = second.isClosed();
      const bool again = first.bind(SocketAddress::loopbackV4(0)).ok();
      return std::vector<bool>{sameAddress, secondClosed, again, first.isBound()};
    });
    QCOMPARE(result.size(), std::size_t{4});
    QVERIFY(!result[0]);  // EADDRINUSE
    QVERIFY(result[1]);
    QVERIFY(!result[2]);  // bind is once only
    QVERIFY(result[3]);
  }

  void v4AndV6ShareAPortWhenV6Only() {
    if (!ipv6Works()) {
      QSKIP("this machine cannot bind ::1");
    }
    const bool ok = runOn(*loop_, [this] {
      UdpSocket v4(*loop_);
      if (!v4.bind(SocketAddress::anyV4(0)).ok()) {
        return false;
      }
      UdpSocket v6(*loop_);
      return v6.bind(SocketAddress::anyV6(v4.localAddress().port())).ok();
    });
    QVERIFY(ok);
  }

  void closeInsideTheCallbackStopsDelivery() {
    auto a = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto b = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto calls = std::make_shared<int>(0);
    auto live = makeCounter();
    auto first = std::make_shared<std::promise<void>>();
    auto firstDone = first->get_future();
    const bool sent = runOn(*loop_, [&, live] {
      *a = std::make_unique<UdpSocket>(*loop_);
      *b = std::make_unique<UdpSocket>(*loop_);
      if (!(*a)->bind(SocketAddress::loopbackV4(0)).ok() ||
          !(*b)->bind(SocketAddress::loopbackV4(0)).ok()) {
        return false;
      }
      UdpSocket* bRaw = b->get();
      (*b)->setOnReceive([calls, bRaw, first, token = LifeToken(live)](const SocketAddress&,
                                                                       std::span<const std::byte>) {
        if (++*calls == 1) {
          first->set_value();
        }
        bRaw->close();
      });
      // Several datagrams that will all be readable in one libuv read round.
      bool ok = true;
      for (int i = 0; i < 5; ++i) {
        ok = ok && (*a)->send((*b)->localAddress(), bytesOf("x")).ok();
      }
      return ok;
    });
    QVERIFY(sent);
    QVERIFY(waitReady(firstDone));
    // Let the loop run a few more rounds: nothing else may arrive.
    runOn(*loop_, [] {});
    runOn(*loop_, [] {});
    QCOMPARE(*calls, 1);
    QCOMPARE(live->load(), 0);  // the callback was dropped at close, on the loop thread
    QVERIFY(runOn(*loop_, [b] { return (*b)->isClosed(); }));
    runOn(*loop_, [a, b] {
      a->reset();
      b->reset();
    });
  }

  void destroyInsideTheCallback() {
    auto a = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto b = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto first = std::make_shared<std::promise<void>>();
    auto firstDone = first->get_future();
    const bool sent = runOn(*loop_, [&] {
      *a = std::make_unique<UdpSocket>(*loop_);
      *b = std::make_unique<UdpSocket>(*loop_);
      if (!(*a)->bind(SocketAddress::loopbackV4(0)).ok() ||
          !(*b)->bind(SocketAddress::loopbackV4(0)).ok()) {
        return false;
      }
      (*b)->setOnReceive([calls, b, first](const SocketAddress&, std::span<const std::byte>) {
        if (++*calls == 1) {
          first->set_value();
        }
        b->reset();  // destroys the socket; this callback dies when it returns
      });
      bool ok = true;
      for (int i = 0; i < 5; ++i) {
        ok = ok && (*a)->send((*b)->localAddress(), bytesOf("y")).ok();
      }
      return ok;
    });
    QVERIFY(sent);
    QVERIFY(waitReady(firstDone));
    runOn(*loop_, [] {});
    QCOMPARE(calls->load(), 1);
    runOn(*loop_, [a] { a->reset(); });
  }

  void replacingTheCallbackWithNullStopsReceiving() {
    auto a = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto b = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto inbox = std::make_shared<Inbox>();
    inbox->expected = 1;
    auto done = inbox->done.get_future();
    runOn(*loop_, [&] {
      *a = std::make_unique<UdpSocket>(*loop_);
      *b = std::make_unique<UdpSocket>(*loop_);
      (void)(*a)->bind(SocketAddress::loopbackV4(0));
      (void)(*b)->bind(SocketAddress::loopbackV4(0));
      (*b)->setOnReceive([inbox](const SocketAddress& from, std::span<const std::byte> bytes) {
        inbox->add(from, bytes);
      });
      (*b)->setOnReceive(nullptr);
      (void)(*a)->send((*b)->localAddress(), bytesOf("waits in the kernel"));
    });
    // Still nothing after the loop has had many chances to read.
    for (int i = 0; i < 20; ++i) {
      runOn(*loop_, [] {});
    }
    QVERIFY(inbox->got.empty());
    // Receiving again finds the datagram the kernel kept.
    runOn(*loop_, [b, inbox] {
      (*b)->setOnReceive([inbox](const SocketAddress& from, std::span<const std::byte> bytes) {
        inbox->add(from, bytes);
      });
    });
    QVERIFY(waitReady(done));
    QCOMPARE(inbox->got[0].bytes, std::string("waits in the kernel"));
    runOn(*loop_, [a, b] {
      a->reset();
      b->reset();
    });
  }

  void loopShutdownClosesAnOpenSocket() {
    auto socket = std::make_shared<std::unique_ptr<UdpSocket>>();
    auto live = makeCounter();
    runOn(*loop_, [&, live] {
      *socket = std::make_unique<UdpSocket>(*loop_);
      (void)(*socket)->bind(SocketAddress::loopbackV4(0));
      (*socket)->setOnReceive(
          [token = LifeToken(live)](const SocketAddress&, std::span<const std::byte>) {});
    });
    QCOMPARE(live->load(), 1);
    QCOMPARE(loop_->stop(), 0);
    QCOMPARE(live->load(), 0);  // dropped when the loop closed the handle
    QVERIFY((*socket)->isClosed());
    QVERIFY(!(*socket)->send(SocketAddress::loopbackV4(9), bytesOf("late")).ok());
    socket->reset();  // harmless off the loop thread now
  }

  void bufferSizesApplyOnceBound() {
    const auto sizes = runOn(*loop_, [this] {
      UdpSocket socket(*loop_);
      const bool before = socket.setReceiveBufferSize(1 << 18).ok();
      (void)socket.bind(SocketAddress::loopbackV4(0));
      const bool after =
          socket.setReceiveBufferSize(1 << 18).ok() && socket.setSendBufferSize(1 << 18).ok();
      return std::make_tuple(before, after, socket.receiveBufferSize(), socket.sendBufferSize());
    });
    QVERIFY(!std::get<0>(sizes));
    QVERIFY(std::get<1>(sizes));
    QVERIFY(std::get<2>(sizes) > 0);
    QVERIFY(std::get<3>(sizes) > 0);
  }
};

QTEST_GUILESS_MAIN(TstUdpSocket)
#include "tst_udp_socket.moc"
