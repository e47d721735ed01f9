// session::PeerListener on loopback: an incoming peer's handshake is read on
// the listening loop and the connection handed to the loop that owns the
// torrent (another loop, or the same one), with the bytes after the handshake
// and reading paused; wrong, unknown, silent and surplus peers are closed;
// stop and a target loop's shutdown leak nothing.
#include <QtTest>

#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>

#include "engine/bt/BtShared.h"
#include "engine/bt/Handshake.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpSocket.h"
#include "engine/net/ByteStream.h"
#include "engine/session/PeerListener.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using session::PeerListener;
using session::PeerListenerOptions;

namespace {

util::Sha1::Digest digest(std::uint8_t first) {
  util::Sha1::Digest d{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i] = static_cast<std::byte>(first + i);
  }
  return d;
}

bt::Handshake handshakeFor(const util::Sha1::Digest& infoHash) {
  bt::Handshake h;
  h.reserved = bt::ReservedBits::ours(false);
  h.infoHash = infoHash;
  h.peerId = bt::peerIdFromString("-LT2000-abcdefghijkl");
  return h;
}

std::string wire(const bt::Handshake& h) {
  const auto bytes = bt::encodeHandshake(h);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// What a torrent's accept function saw, filled on the loop it ran on.
struct Accepted {
  std::unique_ptr<net::ByteStream> socket;
  EventLoop* ranOn = nullptr;
  bool readingPaused = false;
  std::string buffered;  // the bytes after the handshake
  bt::Handshake handshake;
  SocketAddress remote;
};

using AcceptFn = util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, bt::Handshake)>;

// Registers a torrent on `loop` whose accept function keeps what it got.
// Each call fulfils the next promise in `slots`; extra connections are dropped.
struct FakeTorrent {
  std::vector<std::shared_ptr<std::promise<void>>> promises;
  std::vector<std::shared_future<void>> arrivals;
  std::vector<std::shared_ptr<Accepted>> got;
  std::size_t calls = 0;  // on the torrent's loop only
};

std::shared_ptr<FakeTorrent> registerTorrent(bt::BtShared& shared, EventLoop& loop,
                                             const util::Sha1::Digest& infoHash, int expected) {
  auto torrent = std::make_shared<FakeTorrent>();
  for (int i = 0; i < expected; ++i) {
    torrent->promises.push_back(std::make_shared<std::promise<void>>());
    torrent->arrivals.push_back(torrent->promises.back()->get_future().share());
    torrent->got.push_back(std::make_shared<Accepted>());
  }
  bt::TorrentRegistry::Entry entry;
  entry.loop = &loop;
  entry.accept = std::make_shared<AcceptFn>(
      [torrent](std::unique_ptr<net::ByteStream> socket, bt::Handshake theirs) {
        const std::size_t i = torrent->calls++;
        if (i >= torrent->got.size()) {
          return;
        }
        Accepted& a = *torrent->got[i];
        a.ranOn = EventLoop::current();
        a.readingPaused = socket->readingPaused();
        a.buffered = std::string(socket->readBuffer().view());
        a.handshake = theirs;
        a.remote = socket->remoteAddress();
        a.socket = std::move(socket);
        torrent->promises[i]->set_value();
      });
  shared.registry.add(infoHash, std::move(entry));
  return torrent;
}

// A peer dialling the listener from its own loop.
struct Peer {
  std::unique_ptr<TcpSocket> socket;
  std::promise<bool> connectPromise;
  std::promise<Result<void>> closePromise;
  std::shared_future<bool> connected = connectPromise.get_future().share();  // false: refused
  std::shared_future<Result<void>> closed = closePromise.get_future().share();
  std::string received;  // peers' loop only
};

std::shared_ptr<Peer> dial(EventLoop& loop, std::uint16_t port, std::string send) {
  auto peer = std::make_shared<Peer>();
  runOn(loop, [&loop, peer, port, send = std::move(send)] {
    Peer* p = peer.get();  // the socket's callbacks die with the socket, inside *p
    p->socket = std::make_unique<TcpSocket>(loop);
    p->socket->setOnClosed([p](Result<void> r) { p->closePromise.set_value(r); });
    p->socket->setOnData([p](util::Buffer& in) { p->received.append(in.retrieveAllAsString()); });
    p->socket->connect(SocketAddress::loopbackV4(port), 10s,
                       [p](Result<void> r) { p->connectPromise.set_value(r.ok()); });
    if (!send.empty()) {
      p->socket->write(std::move(send));
    }
  });
  return peer;
}

template <class T>
bool arrives(const std::shared_future<T>& future, std::chrono::milliseconds limit) {
  return future.wait_for(limit) == std::future_status::ready;
}

}  // namespace

class TstPeerListener : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> listening_;
  std::unique_ptr<EventLoop> owning_;
  std::unique_ptr<EventLoop> peers_;
  std::shared_ptr<bt::BtShared> shared_;
  std::unique_ptr<PeerListener> listener_;

  std::uint16_t startListener(PeerListenerOptions options = {}) {
    options.loopbackOnly = true;
    listener_ = std::make_unique<PeerListener>(*listening_, shared_, options);
    auto port = runOn(*listening_, [this] { return listener_->start(); });
    return port.ok() ? port.value() : 0;
  }
  std::size_t pending() {
    return runOn(*listening_, [this] { return listener_->pendingCount(); });
  }
  void drop(EventLoop& loop, const std::shared_ptr<Peer>& peer) {
    runOn(loop, [peer] { peer->socket.reset(); });
  }
  void drop(EventLoop& loop, const std::shared_ptr<Accepted>& accepted) {
    runOn(loop, [accepted] { accepted->socket.reset(); });
  }

 private slots:
  void init() {
    listening_ = std::make_unique<EventLoop>("listening");
    owning_ = std::make_unique<EventLoop>("owning");
    peers_ = std::make_unique<EventLoop>("peers");
    listening_->start();
    owning_->start();
    peers_->start();
    shared_ = std::make_shared<bt::BtShared>();
  }
  void cleanup() {
    if (listener_) {
      runOn(*listening_, [this] { listener_->stop(); });
    }
    QCOMPARE(peers_->stop(), 0);
    QCOMPARE(owning_->stop(), 0);
    QCOMPARE(listening_->stop(), 0);
    if (listener_) {
      QCOMPARE(listener_->incomingCount(), std::size_t{0});
    }
    listener_.reset();
    peers_.reset();
    owning_.reset();
    listening_.reset();
  }

  void handsTheConnectionToTheTorrentsLoop() {
    const auto hash = digest(0x10);
    auto torrent = registerTorrent(*shared_, *owning_, hash, 1);
    const std::uint16_t port = startListener();
    QVERIFY(port != 0);
    QCOMPARE(shared_->listenPort.load(), port);
    // The handshake and the first message (an "interested") in one go.
    const std::string after("\x00\x00\x00\x01\x02", 5);
    auto peer = dial(*peers_, port, wire(handshakeFor(hash)) + after);
    QVERIFY(arrives(torrent->arrivals[0], 10s));
    Accepted& got = *torrent->got[0];
    QVERIFY(got.ranOn == owning_.get());
    QVERIFY(got.readingPaused);
    QCOMPARE(got.buffered, after);
    QVERIFY(got.handshake == handshakeFor(hash));
    const auto peerAddress = runOn(*peers_, [peer] { return peer->socket->localAddress(); });
    QVERIFY(got.remote == peerAddress);
    QCOMPARE(listener_->handedOverCount(), std::uint64_t{1});
    QCOMPARE(listener_->incomingCount(), std::size_t{1});
    QCOMPARE(pending(), std::size_t{0});

    // The torrent's loop now owns a working connection, both ways.
    auto echoPromise = std::make_shared<std::promise<void>>();
    std::shared_future<void> echoed = echoPromise->get_future().share();
    runOn(*owning_, [&got, echoPromise] {
      got.socket->readBuffer().retrieveAll();
      got.socket->setOnData([&got, echoPromise](util::Buffer& in) {
        if (in.view() == "ping") {
          in.retrieveAll();
          got.socket->write(util::SendQueue::Bytes{std::byte{'p'}, std::byte{'o'}, std::byte{'n'},
                                                   std::byte{'g'}});
          echoPromise->set_value();
        }
      });
      got.socket->resumeReading();
    });
    runOn(*peers_, [peer] { peer->socket->write(std::string("ping")); });
    QVERIFY(arrives(echoed, 10s));
    QTRY_COMPARE_WITH_TIMEOUT(runOn(*peers_, [peer] { return peer->received; }),
                              std::string("pong"), 10000);
    drop(*owning_, torrent->got[0]);
    QVERIFY(arrives(peer->closed, 10s));
    QCOMPARE(listener_->incomingCount(), std::size_t{0});
    drop(*peers_, peer);
  }

  void handsOverOnItsOwnLoopToo() {
    const auto hash = digest(0x20);
    auto torrent = registerTorrent(*shared_, *listening_, hash, 1);
    const std::uint16_t port = startListener();
    const std::string after("\x00\x00\x00\x00", 4);  // a keep-alive
    auto peer = dial(*peers_, port, wire(handshakeFor(hash)) + after);
    QVERIFY(arrives(torrent->arrivals[0], 10s));
    Accepted& got = *torrent->got[0];
    QVERIFY(got.ranOn == listening_.get());
    QVERIFY(got.readingPaused);
    QCOMPARE(got.buffered, after);
    QVERIFY(got.handshake == handshakeFor(hash));
    // Still connected: the peer sees no close.
    QVERIFY(settle(*peers_, 100ms));
    QCOMPARE(peer->closed.wait_for(0ms), std::future_status::timeout);
    drop(*listening_, torrent->got[0]);
    drop(*peers_, peer);
  }

  void closesWrongAndUnknownPeers_data() {
    QTest::addColumn<QByteArray>("sent");
    const std::string unknown = wire(handshakeFor(digest(0x99))).substr(0, 48);
    QTest::newRow("http") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QTest::newRow("unknown info-hash, before its peer id")
        << QByteArray(unknown.data(), static_cast<qsizetype>(unknown.size()));
  }
  void closesWrongAndUnknownPeers() {
    QFETCH(QByteArray, sent);
    auto torrent = registerTorrent(*shared_, *owning_, digest(0x30), 1);
    const std::uint16_t port = startListener();
    auto peer = dial(*peers_, port, sent.toStdString());
    QVERIFY(arrives(peer->closed, 5s));  // long before the 10 s handshake timeout
    QCOMPARE(listener_->refusedCount(), std::uint64_t{1});
    QCOMPARE(listener_->handedOverCount(), std::uint64_t{0});
    QCOMPARE(runOn(*owning_, [torrent] { return torrent->calls; }), std::size_t{0});
    QCOMPARE(pending(), std::size_t{0});
    drop(*peers_, peer);
  }

  void closesAConnectionToOurselves() {
    const auto hash = digest(0x40);
    auto torrent = registerTorrent(*shared_, *owning_, hash, 1);
    const std::uint16_t port = startListener();
    bt::Handshake mirror = handshakeFor(hash);
    mirror.peerId = shared_->peerId;
    auto peer = dial(*peers_, port, wire(mirror));
    QVERIFY(arrives(peer->closed, 5s));
    QCOMPARE(runOn(*owning_, [torrent] { return torrent->calls; }), std::size_t{0});
    drop(*peers_, peer);
  }

  void closesASilentPeerAfterTheTimeout() {
    const auto hash = digest(0x50);
    registerTorrent(*shared_, *owning_, hash, 1);
    PeerListenerOptions options;
    options.handshakeTimeout = 300ms;
    const std::uint16_t port = startListener(options);
    // Half a handshake, then nothing.
    auto peer = dial(*peers_, port, wire(handshakeFor(hash)).substr(0, 30));
    QVERIFY(arrives(peer->connected, 5s));
    QTRY_COMPARE_WITH_TIMEOUT(pending(), std::size_t{1}, 5000);
    QVERIFY(arrives(peer->closed, 5s));
    QCOMPARE(pending(), std::size_t{0});
    QCOMPARE(listener_->refusedCount(), std::uint64_t{1});
    drop(*peers_, peer);
  }

  void refusesMoreThanMaxPending() {
    registerTorrent(*shared_, *owning_, digest(0x60), 1);
    PeerListenerOptions options;
    options.maxPending = 2;
    const std::uint16_t port = startListener(options);
    auto first = dial(*peers_, port, {});
    auto second = dial(*peers_, port, {});
    QTRY_COMPARE_WITH_TIMEOUT(pending(), std::size_t{2}, 5000);
    auto third = dial(*peers_, port, {});
    QVERIFY(arrives(third->closed, 5s));
    QCOMPARE(listener_->refusedCount(), std::uint64_t{1});
    QCOMPARE(first->closed.wait_for(0ms), std::future_status::timeout);
    QCOMPARE(second->closed.wait_for(0ms), std::future_status::timeout);
    QCOMPARE(listener_->incomingCount(), std::size_t{2});
    drop(*peers_, first);
    drop(*peers_, second);
    drop(*peers_, third);
    QTRY_COMPARE_WITH_TIMEOUT(pending(), std::size_t{0}, 5000);
  }

  void limitsIncomingConnectionsEngineWide() {
    const auto hash = digest(0x70);
    auto torrent = registerTorrent(*shared_, *owning_, hash, 2);
    PeerListenerOptions options;
    options.maxIncoming = 1;
    const std::uint16_t port = startListener(options);
    auto first = dial(*peers_, port, wire(handshakeFor(hash)));
    QVERIFY(arrives(torrent->arrivals[0], 10s));
    // The first lives on in its torrent: no room for a second.
    auto second = dial(*peers_, port, wire(handshakeFor(hash)));
    QVERIFY(arrives(second->closed, 5s));
    QCOMPARE(runOn(*owning_, [torrent] { return torrent->calls; }), std::size_t{1});
    // Once the torrent closes the first, the next one gets in.
    drop(*owning_, torrent->got[0]);
    QCOMPARE(listener_->incomingCount(), std::size_t{0});
    auto third = dial(*peers_, port, wire(handshakeFor(hash)));
    QVERIFY(arrives(torrent->arrivals[1], 10s));
    drop(*owning_, torrent->got[1]);
    drop(*peers_, first);
    drop(*peers_, second);
    drop(*peers_, third);
  }

  void stopClosesPendingAndKeepsHandedOver() {
    const auto hash = digest(0x80);
    auto torrent = registerTorrent(*shared_, *owning_, hash, 1);
    const std::uint16_t port = startListener();
    auto handed = dial(*peers_, port, wire(handshakeFor(hash)));
    QVERIFY(arrives(torrent->arrivals[0], 10s));
    auto waiting = dial(*peers_, port, wire(handshakeFor(hash)).substr(0, 10));
    QTRY_COMPARE_WITH_TIMEOUT(pending(), std::size_t{1}, 5000);
    runOn(*listening_, [this] { listener_->stop(); });
    QCOMPARE(shared_->listenPort.load(), std::uint16_t{0});
    QVERIFY(arrives(waiting->closed, 5s));
    QCOMPARE(handed->closed.wait_for(0ms), std::future_status::timeout);
    auto late = dial(*peers_, port, {});
    QVERIFY(arrives(late->connected, 5s));
    QVERIFY(!late->connected.get());                       // nobody listens there any more
    QCOMPARE(listener_->incomingCount(), std::size_t{1});  // the handed-over one
    drop(*owning_, torrent->got[0]);
    QCOMPARE(listener_->incomingCount(), std::size_t{0});
    drop(*peers_, handed);
    drop(*peers_, waiting);
    drop(*peers_, late);
  }

  void aHandOffToAStoppedLoopLeaksNothing() {
    const auto hash = digest(0x90);
    auto torrent = registerTorrent(*shared_, *owning_, hash, 1);
    const std::uint16_t port = startListener();
    QCOMPARE(owning_->stop(), 0);  // the torrent's loop is gone: the post is dropped
    auto peer = dial(*peers_, port, wire(handshakeFor(hash)));
    QVERIFY(arrives(peer->closed, 5s));
    QCOMPARE(listener_->handedOverCount(), std::uint64_t{1});
    // The dropped closure closes the socket before it lets go of the
    // connection's count: the peer may see the close first.
    QTRY_COMPARE_WITH_TIMEOUT(listener_->incomingCount(), std::size_t{0}, 5000);
    QCOMPARE(torrent->calls, std::size_t{0});
    drop(*peers_, peer);
  }
};

QTEST_GUILESS_MAIN(TstPeerListener)
#include "tst_peer_listener.moc"
