// loop::UdpSocket's multicast API: argument checks anywhere; joining,
// receiving and leaving a group inside a private network namespace (root
// only, see PrivateNetwork.h), where loopback carries 239.0.0.0/8.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "unit/loop/LoopTestUtil.h"
#include "unit/lsd/PrivateNetwork.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;

namespace {

const SocketAddress kGroup = SocketAddress::v4({239, 192, 152, 143}, 0);

std::vector<std::byte> bytesOf(const std::string& text) {
  std::vector<std::byte> out(text.size());
  std::memcpy(out.data(), text.data(), text.size());
  return out;
}

// Datagrams one socket got, kept on the loop thread.
struct Inbox {
  std::vector<std::string> got;
  void add(std::span<const std::byte> bytes) {
    got.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
};

}  // namespace

class TstUdpMulticast : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;
  QString noMulticast_;
  std::unique_ptr<UdpSocket> a_;  // loop thread only
  std::unique_ptr<UdpSocket> b_;
  std::unique_ptr<UdpSocket> sender_;

 private slots:
  void initTestCase() { noMulticast_ = tributary::test::enterPrivateNetwork(); }
  void init() {
    loop_ = std::make_unique<EventLoop>("mcast");
    loop_->start();
  }
  void cleanup() {
    runOn(*loop_, [this] {
      a_.reset();
      b_.reset();
      sender_.reset();
    });
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void refusesBadArguments() {
    const bool ok = runOn(*loop_, [this] {
      UdpSocket socket(*loop_);
      bool good = socket.joinMulticastGroup(kGroup).error().code == ErrorCode::InvalidArgument;
      good = good && socket.setMulticastTtl(2).error().code == ErrorCode::InvalidArgument;
      if (!socket.bind(SocketAddress::loopbackV4(0)).ok()) {
        return false;
      }
      good = good && socket.joinMulticastGroup(SocketAddress::v4({10, 0, 0, 1}, 0)).error().code ==
                         ErrorCode::InvalidArgument;
      const SocketAddress v6Group = *SocketAddress::parse("ff15::efc0:988f");
      good = good && socket.joinMulticastGroup(v6Group).error().code == ErrorCode::InvalidArgument;
      good = good && socket.setMulticastInterface(SocketAddress::loopbackV6(0)).error().code ==
                         ErrorCode::InvalidArgument;
      good = good && socket.setMulticastTtl(0).error().code == ErrorCode::InvalidArgument;
      good = good && socket.setMulticastTtl(256).error().code == ErrorCode::InvalidArgument;
      good = good && socket.setMulticastTtl(4).ok() && socket.setMulticastLoop(true).ok();
      socket.close();
      return good && socket.joinMulticastGroup(kGroup).error().code == ErrorCode::ShuttingDown;
    });
    QVERIFY(ok);
  }

  void membersReceiveUntilTheyLeave() {
    if (!noMulticast_.isEmpty()) {
      QSKIP(qPrintable(noMulticast_));
    }
    auto atA = std::make_shared<Inbox>();
    auto atB = std::make_shared<Inbox>();
    const SocketAddress lo = SocketAddress::loopbackV4(0);
    const std::uint16_t port = runOn(*loop_, [&]() -> std::uint16_t {
      a_ = std::make_unique<UdpSocket>(*loop_);
      b_ = std::make_unique<UdpSocket>(*loop_);
      sender_ = std::make_unique<UdpSocket>(*loop_);
      UdpBindOptions shared;
      shared.reuseAddress = true;  // two members on one port, as two LSD clients on one host
      if (!a_->bind(SocketAddress::anyV4(0), shared).ok()) {
        return 0;
      }
      const std::uint16_t p = a_->localAddress().port();
      if (!b_->bind(SocketAddress::anyV4(p), shared).ok() || !sender_->bind(lo).ok() ||
          !a_->joinMulticastGroup(kGroup, lo).ok() || !b_->joinMulticastGroup(kGroup, lo).ok() ||
          !sender_->setMulticastInterface(lo).ok() || !sender_->setMulticastTtl(1).ok() ||
          !sender_->setMulticastLoop(true).ok()) {
        return 0;
      }
      a_->setOnReceive(
          [atA](const SocketAddress&, std::span<const std::byte> bytes) { atA->add(bytes); });
      b_->setOnReceive(
          [atB](const SocketAddress&, std::span<const std::byte> bytes) { atB->add(bytes); });
      return sender_->send(kGroup.withPort(p), bytesOf("first")).ok() ? p : 0;
    });
    QVERIFY(port != 0);
    auto total = [&] { return runOn(*loop_, [&] { return atA->got.size() + atB->got.size(); }); };
    QTRY_COMPARE_WITH_TIMEOUT(total(), std::size_t{2}, 10000);
    QCOMPARE(runOn(*loop_, [&] { return atA->got; }), std::vector<std::string>{"first"});
    QCOMPARE(runOn(*loop_, [&] { return atB->got; }), std::vector<std::string>{"first"});

    // Both leave, so the host is no longer in the group (Linux hands a group's
    // datagrams to every socket on the port while any socket is a member). A
    // unicast marker sent after the next group datagram arrives after it, had
    // it come at all.
    QVERIFY(runOn(*loop_, [&] {
      return a_->leaveMulticastGroup(kGroup, lo).ok() && b_->leaveMulticastGroup(kGroup, lo).ok() &&
             sender_->send(kGroup.withPort(port), bytesOf("second")).ok() &&
             sender_->send(SocketAddress::loopbackV4(port), bytesOf("marker")).ok();
    }));
    QTRY_COMPARE_WITH_TIMEOUT(total(), std::size_t{3}, 10000);
    std::vector<std::string> all = runOn(*loop_, [&] {
      std::vector<std::string> both = atA->got;
      both.insert(both.end(), atB->got.begin(), atB->got.end());
      return both;
    });
    std::sort(all.begin(), all.end());
    QCOMPARE(all, (std::vector<std::string>{"first", "first", "marker"}));
  }
};

QTEST_GUILESS_MAIN(TstUdpMulticast)
#include "tst_udp_multicast.moc"
