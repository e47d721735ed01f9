// bt::PeerConnection over uTP: the peer wire does not care what carries it.
// One loop dials (a PeerConnection whose stream factory makes UtpStreams),
// the other accepts (its UtpSocketManager hands streams to a PeerListener,
// which reads the handshake, runs MSE and finds the torrent, as for TCP).
// uv_loop_close() == 0 (EventLoop::stop()) after every test.
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/BtShared.h"
#include "engine/bt/PeerConnection.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/session/PeerListener.h"
#include "engine/utp/UtpSocketManager.h"
#include "engine/utp/UtpStream.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

util::Sha1::Digest digest(std::uint8_t first) {
  util::Sha1::Digest d{};
  d[0] = std::byte{first};
  d[19] = std::byte{0x5a};
  return d;
}

// A UDP socket and its uTP manager, made and destroyed on their loop.
struct UtpNode {
  explicit UtpNode(EventLoop& loop) : socket(loop) {
    if (!socket.bind(SocketAddress::loopbackV4(0)).ok()) {
      qFatal("bind failed");
    }
    manager = std::make_unique<utp::UtpSocketManager>(socket);
  }
  ~UtpNode() {
    manager.reset();
    socket.close();
  }
  UdpSocket socket;
  std::unique_ptr<utp::UtpSocketManager> manager;
};

// One side's PeerConnection and what it saw; touched on its loop only, read
// by the test thread through the futures.
struct Side final : bt::PeerConnection::Listener {
  std::unique_ptr<bt::PeerConnection> conn;
  bt::MessageKind waitFor = bt::MessageKind::KeepAlive;
  std::promise<void> readyPromise;
  std::promise<void> messagePromise;
  std::promise<Error> closedPromise;
  std::shared_future<void> ready = readyPromise.get_future().share();
  std::shared_future<void> message = messagePromise.get_future().share();
  std::shared_future<Error> closed = closedPromise.get_future().share();
  bool readySet = false;
  bool messageSet = false;
  bool closedSet = false;

  void onPeerReady(bt::PeerConnection&) override {
    if (!std::exchange(readySet, true)) {
      readyPromise.set_value();
    }
  }
  void onPeerMessage(bt::PeerConnection&, const bt::PeerMessage& m) override {
    if (m.kind == waitFor && !std::exchange(messageSet, true)) {
      messagePromise.set_value();
    }
  }
  void onPeerClosed(bt::PeerConnection&, const Error& why) override {
    if (!std::exchange(closedSet, true)) {
      closedPromise.set_value(why);
    }
  }
  void onPeerBlockSent(bt::PeerConnection&) override {}
};

template <class T>
bool arrives(const std::shared_future<T>& future, std::chrono::milliseconds limit) {
  return future.wait_for(limit) == std::future_status::ready;
}

}  // namespace

class TstPeerUtp : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> dialing_;
  std::unique_ptr<EventLoop> serving_;
  std::shared_ptr<bt::BtShared> shared_;
  std::unique_ptr<UtpNode> dialer_;
  std::unique_ptr<UtpNode> server_;
  std::unique_ptr<session::PeerListener> listener_;
  std::shared_ptr<Side> out_;
  std::shared_ptr<Side> in_;
  int accepted_ = 0;  // serving loop only

  // The serving side: uTP streams into the listener, the torrent `hash` on `owner`.
  void serve(const util::Sha1::Digest& hash, EventLoop& owner) {
    const bool listening = runOn(*serving_, [this] {
      server_ = std::make_unique<UtpNode>(*serving_);
      session::PeerListenerOptions options;
      options.loopbackOnly = true;
      listener_ = std::make_unique<session::PeerListener>(*serving_, shared_, options);
      server_->manager->setOnAccept([this](std::unique_ptr<utp::UtpStream> stream) {
        listener_->acceptStream(std::move(stream));
      });
      return listener_->start().ok();
    });
    QVERIFY(listening);
    bt::TorrentRegistry::Entry entry;
    entry.loop = &owner;
    entry.accept = std::make_shared<
        util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, bt::Handshake)>>(
        [this, hash, &owner](std::unique_ptr<net::ByteStream> stream, bt::Handshake theirs) {
          ++accepted_;
          bt::PeerConnectionConfig config;
          config.infoHash = hash;
          config.ourId = shared_->peerId;
          in_->conn =
              std::make_unique<bt::PeerConnection>(owner, *in_, config, std::move(stream), theirs);
        });
    shared_->registry.add(hash, std::move(entry));
  }

  SocketAddress serverAddress() {
    return runOn(*serving_, [this] { return server_->socket.localAddress(); });
  }

  void dial(const util::Sha1::Digest& hash, EncryptionMode mode, SocketAddress to,
            std::chrono::milliseconds timeout = 10s) {
    runOn(*dialing_, [this, hash, mode, to, timeout] {
      dialer_ = std::make_unique<UtpNode>(*dialing_);
      bt::PeerConnectionConfig config;
      config.infoHash = hash;
      config.ourId = bt::generatePeerId();
      config.encryption = mode;
      out_->conn = std::make_unique<bt::PeerConnection>(*dialing_, *out_, config, to,
                                                        bt::PeerOrigin::Manual);
      out_->conn->connect(timeout, [this] { return dialer_->manager->createStream(); });
    });
  }

 private slots:
  void init() {
    dialing_ = std::make_unique<EventLoop>("dialing");
    serving_ = std::make_unique<EventLoop>("serving");
    dialing_->start();
    serving_->start();
    shared_ = std::make_shared<bt::BtShared>();
    out_ = std::make_shared<Side>();
    in_ = std::make_shared<Side>();
    accepted_ = 0;
  }
  void cleanup() {
    runOn(*dialing_, [this] {
      out_->conn.reset();
      dialer_.reset();
    });
    runOn(*serving_, [this] {
      in_->conn.reset();
      if (listener_) {
        listener_->stop();
      }
      server_.reset();
    });
    QCOMPARE(dialing_->stop(), 0);
    QCOMPARE(serving_->stop(), 0);
    listener_.reset();
    dialing_.reset();
    serving_.reset();
  }

  void handshakesAndTalksOverUtp_data() {
    QTest::addColumn<int>("modeValue");
    QTest::newRow("plaintext") << static_cast<int>(EncryptionMode::Disabled);
    QTest::newRow("mse allowed") << static_cast<int>(EncryptionMode::Enabled);
    QTest::newRow("mse required") << static_cast<int>(EncryptionMode::Required);
  }
  void handshakesAndTalksOverUtp() {
    QFETCH(int, modeValue);
    const auto mode = static_cast<EncryptionMode>(modeValue);
    const auto hash = digest(0x10);
    shared_->switches.encryption = mode;
    serve(hash, *serving_);
    dial(hash, mode, serverAddress());
    QVERIFY(arrives(out_->ready, 10s));
    QVERIFY(arrives(in_->ready, 10s));
    out_->waitFor = bt::MessageKind::Unchoke;
    in_->waitFor = bt::MessageKind::Interested;
    runOn(*dialing_, [this] { out_->conn->sendInterested(); });
    runOn(*serving_, [this] { in_->conn->sendUnchoke(); });
    QVERIFY(arrives(in_->message, 10s));
    QVERIFY(arrives(out_->message, 10s));

    const bool wantRc4 = mode != EncryptionMode::Disabled;
    QVERIFY(runOn(*dialing_, [this] { return out_->conn->transport() == net::Transport::Utp; }));
    QVERIFY(runOn(*serving_, [this] { return in_->conn->transport() == net::Transport::Utp; }));
    QCOMPARE(runOn(*dialing_, [this] { return out_->conn->encrypted(); }), wantRc4);
    QCOMPARE(runOn(*serving_, [this] { return in_->conn->encrypted(); }), wantRc4);
    QVERIFY(!arrives(out_->closed, 0ms));
    QVERIFY(!arrives(in_->closed, 0ms));

    // Closing one side is seen by the other, through uTP's FIN.
    runOn(*dialing_, [this] { out_->conn->close({ErrorCode::Ok, "done"}); });
    QVERIFY(arrives(in_->closed, 10s));
  }

  void refusesAnUnknownTorrent() {
    shared_->switches.encryption = EncryptionMode::Disabled;
    serve(digest(0x20), *serving_);
    dial(digest(0x21), EncryptionMode::Disabled, serverAddress());
    QVERIFY(arrives(out_->closed, 10s));
    QVERIFY(!arrives(out_->ready, 0ms));
    QCOMPARE(runOn(*serving_, [this] { return accepted_; }), 0);
    QCOMPARE(runOn(*serving_, [this] { return listener_->refusedCount(); }), std::uint64_t{1});
  }

  void dropsAStreamThatCannotReachItsTorrentsLoop() {
    // A uTP stream lives on its manager's loop: a torrent elsewhere cannot take it.
    shared_->switches.encryption = EncryptionMode::Disabled;
    const auto hash = digest(0x30);
    serve(hash, *dialing_);
    dial(hash, EncryptionMode::Disabled, serverAddress());
    QVERIFY(arrives(out_->closed, 10s));
    QVERIFY(!arrives(out_->ready, 0ms));
    QCOMPARE(runOn(*serving_, [this] { return accepted_; }), 0);
    QCOMPARE(runOn(*serving_, [this] { return listener_->refusedCount(); }), std::uint64_t{1});
    QCOMPARE(runOn(*serving_, [this] { return listener_->handedOverCount(); }), std::uint64_t{0});
  }

  void dialsNobodyAndReportsIt() {
    // A UDP port with no uTP behind it: the connect times out, and says so.
    auto silent = std::make_shared<std::unique_ptr<UdpSocket>>();
    const SocketAddress to = runOn(*serving_, [this, silent] {
      *silent = std::make_unique<UdpSocket>(*serving_);
      (void)(*silent)->bind(SocketAddress::loopbackV4(0));
      return (*silent)->localAddress();
    });
    QVERIFY(to.port() != 0);
    dial(digest(0x40), EncryptionMode::Disabled, to, 1s);
    QVERIFY(arrives(out_->closed, 10s));
    QVERIFY(!arrives(out_->ready, 0ms));
    QCOMPARE(out_->closed.get().code, ErrorCode::Timeout);
    runOn(*serving_, [silent] { silent->reset(); });
  }
};

QTEST_GUILESS_MAIN(TstPeerUtp)
#include "tst_peer_utp.moc"
