// session::PeerListener with encryption (BtShared::switches.encryption) on
// loopback: an MSE peer (our own initiator) is found by its obfuscated
// info-hash, its BT handshake read from the decrypted stream, and the
// connection handed to the torrent's loop with the RC4 streams that keep
// working there; the modes refuse what they must (plaintext when Required,
// MSE when Disabled), and a plain peer still gets in when Enabled.
#include <QtTest>

#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>

#include "engine/bt/BtShared.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/MseHandshake.h"
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

std::vector<std::byte> wire(const bt::Handshake& h) {
  std::vector<std::byte> out;
  bt::appendHandshake(out, h);
  return out;
}

struct Accepted {
  std::promise<void> promise;
  std::shared_future<void> arrived = promise.get_future().share();
  std::unique_ptr<net::ByteStream> socket;
  bt::Handshake handshake;
  std::string buffered;
};

void registerTorrent(bt::BtShared& shared, EventLoop& loop, const util::Sha1::Digest& infoHash,
                     std::shared_ptr<Accepted> accepted) {
  bt::TorrentRegistry::Entry entry;
  entry.loop = &loop;
  entry.accept =
      std::make_shared<util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, bt::Handshake)>>(
          [accepted](std::unique_ptr<net::ByteStream> socket, bt::Handshake theirs) {
            if (accepted->socket) {
              return;
            }
            accepted->handshake = std::move(theirs);
            accepted->buffered = std::string(socket->readBuffer().view());
            accepted->socket = std::move(socket);
            accepted->promise.set_value();
          });
  shared.registry.add(infoHash, std::move(entry));
}

// A peer on its own loop that dials, runs `mse` when given (else sends `plain`).
struct Peer {
  std::unique_ptr<TcpSocket> socket;
  std::unique_ptr<bt::MseHandshake> mse;
  std::unique_ptr<bt::MseStreams> streams;
  std::promise<void> donePromise;
  std::shared_future<void> mseDone = donePromise.get_future().share();
  std::promise<void> closePromise;
  std::shared_future<void> closed = closePromise.get_future().share();
  std::string received;  // after the MSE handshake, decrypted
};

std::shared_ptr<Peer> dial(EventLoop& loop, std::uint16_t port,
                           std::unique_ptr<bt::MseHandshake> mse, std::vector<std::byte> plain) {
  auto peer = std::make_shared<Peer>();
  peer->mse = std::move(mse);
  runOn(loop, [&loop, peer, port, plain = std::move(plain)]() mutable {
    Peer* p = peer.get();
    p->socket = std::make_unique<TcpSocket>(loop);
    p->socket->setOnClosed([p](Result<void>) { p->closePromise.set_value(); });
    p->socket->setOnData([p](util::Buffer& in) {
      std::vector<std::byte> bytes(in.readable().begin(), in.readable().end());
      in.retrieveAll();
      if (p->mse && p->mse->state() == bt::MseHandshake::State::Running) {
        std::vector<std::byte> reply = p->mse->feed(bytes);
        if (!reply.empty()) {
          p->socket->write(std::move(reply));
        }
        if (p->mse->state() != bt::MseHandshake::State::Done) {
          return;
        }
        p->streams = std::move(p->mse->result().streams);
        bytes = std::move(p->mse->result().payload);
        p->donePromise.set_value();
      } else if (p->streams) {
        p->streams->in.apply(bytes);
      }
      p->received.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    });
    p->socket->connect(SocketAddress::loopbackV4(port), 10s, [](Result<void>) {});
    if (p->mse) {
      p->socket->write(p->mse->start());
    } else {
      p->socket->write(std::move(plain));
    }
  });
  return peer;
}

template <class T>
bool arrives(const std::shared_future<T>& future, std::chrono::milliseconds limit) {
  return future.wait_for(limit) == std::future_status::ready;
}

}  // namespace

class TstMseListener : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> listening_;
  std::unique_ptr<EventLoop> owning_;
  std::unique_ptr<EventLoop> peers_;
  std::shared_ptr<bt::BtShared> shared_;
  std::unique_ptr<PeerListener> listener_;

  std::uint16_t startListener(EncryptionMode mode) {
    shared_->switches.encryption = mode;
    PeerListenerOptions options;
    options.loopbackOnly = true;
    listener_ = std::make_unique<PeerListener>(*listening_, shared_, options);
    auto port = runOn(*listening_, [this] { return listener_->start(); });
    return port.ok() ? port.value() : 0;
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
    listener_.reset();
    peers_.reset();
    owning_.reset();
    listening_.reset();
  }

  void handsOverAnRc4PeerWithItsStreams_data() {
    QTest::addColumn<bool>("sameLoop");
    QTest::newRow("another loop") << false;
    QTest::newRow("its own loop") << true;
  }
  void handsOverAnRc4PeerWithItsStreams() {
    QFETCH(bool, sameLoop);
    const auto hash = digest(0x30);
    // Another torrent first: the lookup must pick by the obfuscated hash.
    registerTorrent(*shared_, *owning_, digest(0x50), std::make_shared<Accepted>());
    auto accepted = std::make_shared<Accepted>();
    EventLoop& owner = sameLoop ? *listening_ : *owning_;
    registerTorrent(*shared_, owner, hash, accepted);
    const std::uint16_t port = startListener(EncryptionMode::Required);
    QVERIFY(port != 0);
    auto peer = dial(*peers_, port,
                     bt::MseHandshake::initiator(hash, bt::kMseRc4, wire(handshakeFor(hash))), {});
    QVERIFY(arrives(accepted->arrived, 10s));
    QVERIFY(arrives(peer->mseDone, 10s));
    QVERIFY(accepted->handshake.infoHash == hash);
    QVERIFY(accepted->handshake.peerId == handshakeFor(hash).peerId);
    QVERIFY(accepted->handshake.encryption != nullptr);
    QVERIFY(accepted->buffered.empty());

    // The torrent's side goes on with the streams: "ping" in, "pong" out.
    auto echoPromise = std::make_shared<std::promise<void>>();
    std::shared_future<void> echoed = echoPromise->get_future().share();
    Accepted* got = accepted.get();
    runOn(owner, [got, echoPromise] {
      got->socket->setOnData([got, echoPromise](util::Buffer& in) {
        if (in.readableBytes() < 4) {
          return;
        }
        std::vector<std::byte> bytes(in.readable().begin(), in.readable().end());
        in.retrieveAll();
        got->handshake.encryption->in.apply(bytes);
        if (std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()) == "ping") {
          std::vector<std::byte> pong(4);
          std::memcpy(pong.data(), "pong", 4);
          got->handshake.encryption->out.apply(pong);
          got->socket->write(std::move(pong));
          echoPromise->set_value();
        }
      });
      got->socket->resumeReading();
    });
    Peer* p = peer.get();
    runOn(*peers_, [p] {
      std::vector<std::byte> ping(4);
      std::memcpy(ping.data(), "ping", 4);
      p->streams->out.apply(ping);
      p->socket->write(std::move(ping));
    });
    QVERIFY(arrives(echoed, 10s));
    QTRY_COMPARE_WITH_TIMEOUT(runOn(*peers_, [p] { return p->received; }), std::string("pong"),
                              10000);
    runOn(owner, [got] { got->socket.reset(); });
    runOn(*peers_, [p] { p->socket.reset(); });
  }

  void enabledAcceptsPlainAndPlaintextMse() {
    const auto hash = digest(0x40);
    auto accepted = std::make_shared<Accepted>();
    registerTorrent(*shared_, *owning_, hash, accepted);
    const std::uint16_t port = startListener(EncryptionMode::Enabled);
    auto peer =
        dial(*peers_, port,
             bt::MseHandshake::initiator(hash, bt::kMsePlaintext, wire(handshakeFor(hash))), {});
    QVERIFY(arrives(accepted->arrived, 10s));
    QVERIFY(accepted->handshake.encryption == nullptr);  // plaintext chosen
    QVERIFY(accepted->handshake.infoHash == hash);
    runOn(*owning_, [a = accepted.get()] { a->socket.reset(); });
    runOn(*peers_, [p = peer.get()] { p->socket.reset(); });

    auto second = std::make_shared<Accepted>();
    const auto other = digest(0x41);
    registerTorrent(*shared_, *owning_, other, second);
    auto plain = dial(*peers_, port, nullptr, wire(handshakeFor(other)));
    QVERIFY(arrives(second->arrived, 10s));
    QVERIFY(second->handshake.encryption == nullptr);
    runOn(*owning_, [a = second.get()] { a->socket.reset(); });
    runOn(*peers_, [p = plain.get()] { p->socket.reset(); });
  }

  void refuses_data() {
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("useMse");
    QTest::addColumn<bool>("knownTorrent");
    QTest::newRow("plain when required") << int(EncryptionMode::Required) << false << true;
    QTest::newRow("mse when disabled") << int(EncryptionMode::Disabled) << true << true;
    QTest::newRow("mse for an unknown torrent") << int(EncryptionMode::Enabled) << true << false;
  }
  void refuses() {
    QFETCH(int, mode);
    QFETCH(bool, useMse);
    QFETCH(bool, knownTorrent);
    const auto hash = digest(0x60);
    auto accepted = std::make_shared<Accepted>();
    registerTorrent(*shared_, *owning_, knownTorrent ? hash : digest(0x61), accepted);
    const std::uint16_t port = startListener(static_cast<EncryptionMode>(mode));
    auto peer = useMse ? dial(*peers_, port,
                              bt::MseHandshake::initiator(hash, bt::kMseRc4 | bt::kMsePlaintext,
                                                          wire(handshakeFor(hash))),
                              {})
                       : dial(*peers_, port, nullptr, wire(handshakeFor(hash)));
    QVERIFY(arrives(peer->closed, 10s));
    QCOMPARE(accepted->arrived.wait_for(0ms), std::future_status::timeout);
    QVERIFY(listener_->refusedCount() >= 1);
    runOn(*peers_, [p = peer.get()] { p->socket.reset(); });
  }
};

QTEST_GUILESS_MAIN(TstMseListener)
#include "tst_mse_listener.moc"
