// uTP interop: python3-libtorrent seeds a torrent with uTP on and TCP off; we
// dial it with a UtpStream, exchange BitTorrent handshakes, read its
// bitfield, ask for blocks and compare them with the file. Proves our
// BEP 29 (ids, seq/ack, windows, SACK, FIN) against a real implementation.
#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/utp/UtpSocketManager.h"
#include "engine/utp/UtpStream.h"
#include "support/LibtorrentPeer.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace tributary::utp;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kBlock = 16 * 1024;

std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  s[0] = static_cast<char>(v >> 24);
  s[1] = static_cast<char>(v >> 16);
  s[2] = static_cast<char>(v >> 8);
  s[3] = static_cast<char>(v);
  return s;
}

std::uint32_t readBe32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) |
         u[3];
}

// The peer side of the conversation, on the loop thread: handshake, then
// length-prefixed messages; requests `blocks` blocks of piece 0 once unchoked.
struct Conversation {
  std::unique_ptr<UtpStream> stream;
  std::string infoHash;  // 20 raw bytes
  int blocks = 0;
  std::string in;
  bool handshakeDone = false;
  std::string theirHash;
  bool gotBitfield = false;
  bool bitfieldFirst = false;  // the first message after the handshake was a bitfield/have_all
  int messages = 0;
  bool requested = false;
  std::string piece0;              // block payloads in order of begin
  std::promise<std::string> done;  // "" = ok, else why not
  bool finished = false;

  void fail(const std::string& why) {
    if (!finished) {
      finished = true;
      done.set_value(why);
    }
  }

  void start(UtpStream& s) {
    std::string hs;
    hs += '\x13';
    hs += "BitTorrent protocol";
    hs += std::string(8, '\0');
    hs += infoHash;
    hs += "-TB0001-utpinterop01";
    s.setOnData([this](util::Buffer& b) {
      in += b.retrieveAllAsString();
      parse();
    });
    s.setOnClosed([this](Result<void> r) {
      fail("closed by libtorrent: " + (r.ok() ? std::string("eof") : r.error().toString()));
    });
    s.write(std::move(hs));
  }

  void parse() {
    if (!handshakeDone) {
      if (in.size() < 68) {
        return;
      }
      if (in[0] != '\x13' || in.compare(1, 19, "BitTorrent protocol") != 0) {
        return fail("not a BitTorrent handshake");
      }
      theirHash = in.substr(28, 20);
      in.erase(0, 68);
      handshakeDone = true;
      // Interested: libtorrent unchokes an interested peer at once (seeding, slots free).
      stream->write(be32(1) + std::string(1, '\x02'));
    }
    while (in.size() >= 4) {
      const std::uint32_t len = readBe32(in.data());
      if (len > (1u << 20)) {
        return fail("absurd message length");
      }
      if (in.size() < 4 + len) {
        return;
      }
      const std::string msg = in.substr(4, len);
      in.erase(0, 4 + len);
      if (len == 0) {
        continue;  // keep-alive
      }
      const int id = static_cast<unsigned char>(msg[0]);
      if (++messages == 1) {
        bitfieldFirst = id == 5 || id == 14;
      }
      if (id == 5 || id == 14) {
        gotBitfield = true;
      } else if (id == 1 && !requested) {  // unchoke
        requested = true;
        for (int i = 0; i < blocks; ++i) {
          stream->write(be32(13) + std::string(1, '\x06') + be32(0) +
                        be32(static_cast<std::uint32_t>(i * kBlock)) + be32(kBlock));
        }
      } else if (id == 7) {  // piece
        const std::uint32_t index = readBe32(msg.data() + 1);
        const std::uint32_t begin = readBe32(msg.data() + 5);
        if (index != 0 || begin != piece0.size()) {
          return fail("unexpected block");
        }
        piece0 += msg.substr(9);
        if (piece0.size() == static_cast<std::size_t>(blocks) * kBlock) {
          finished = true;
          done.set_value("");
        }
      }
    }
  }
};

}  // namespace

class TstUtpLibtorrent : public QObject {
  Q_OBJECT
 private slots:
  void handshakeAndBlocksFromLibtorrent_data() {
    QTest::addColumn<bool>("weDial");
    QTest::newRow("we dial libtorrent") << true;
    QTest::newRow("libtorrent dials us") << false;
  }
  void handshakeAndBlocksFromLibtorrent() {
    QFETCH(bool, weDial);
    if (!tributary::test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    // 2 MiB of content in 1 MiB pieces (python makes the file and the .torrent).
    // v1 only: a hybrid torrent's dialling side may greet with the v2 hash.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString script = QStringLiteral(R"(
import hashlib, os, random, sys
import libtorrent as lt
root = sys.argv[1]
os.makedirs(root + '/seed', exist_ok=True)
rnd = random.Random(29)
data = bytes(rnd.getrandbits(8) for _ in range(2 * 1024 * 1024))
open(root + '/seed/payload.bin', 'wb').write(data)
fs = lt.file_storage()
lt.add_files(fs, root + '/seed/payload.bin')
t = lt.create_torrent(fs, 1024 * 1024, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(t, root + '/seed')
open(root + '/t.torrent', 'wb').write(lt.bencode(t.generate()))
print(str(lt.torrent_info(root + '/t.torrent').info_hash()))
)");
    QProcess py;
    py.start("/usr/bin/python3", {"-c", script, dir.path()});
    QVERIFY(py.waitForFinished(60000));
    QCOMPARE(py.exitCode(), 0);
    const QByteArray hexHash = py.readAllStandardOutput().trimmed();
    QCOMPARE(hexHash.size(), 40);
    const QByteArray rawHash = QByteArray::fromHex(hexHash);
    QFile file(dir.filePath("seed/payload.bin"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();

    EventLoop loop("utp-interop");
    loop.start();
    constexpr int kBlocks = 64;  // the whole first piece, 1 MiB: windows, SACK and all
    auto conv = std::make_shared<Conversation>();
    conv->infoHash = rawHash.toStdString();
    conv->blocks = kBlocks;
    std::unique_ptr<UdpSocket> socket;
    std::unique_ptr<UtpSocketManager> manager;
    SocketAddress ours;
    // Whatever way the test leaves, the loop's objects go on the loop thread.
    struct TearDown {
      std::function<void()> fn;
      ~TearDown() { fn(); }
    } tearDown{[&] {
      runOn(loop, [&] {
        conv->stream.reset();
        manager.reset();
        socket.reset();
      });
      loop.stop();
    }};
    runOn(loop, [&] {
      socket = std::make_unique<UdpSocket>(loop);
      QVERIFY(socket->bind(SocketAddress::loopbackV4(0)).ok());
      ours = socket->localAddress();
      manager = std::make_unique<UtpSocketManager>(*socket);
      if (!weDial) {
        Conversation* c = conv.get();
        manager->setOnAccept([c](std::unique_ptr<UtpStream> s) {
          if (c->stream) {
            return;  // one conversation; a second connection is refused
          }
          c->stream = std::move(s);
          c->start(*c->stream);
        });
      }
    });

    tributary::test::LibtorrentPeerOptions options;
    options.torrentFile = dir.filePath("t.torrent");
    options.dataDir = dir.filePath("seed");
    options.trustData = true;
    options.utpOnly = true;
    options.encryption = QStringLiteral("disabled");
    if (!weDial) {
      options.connectTo << QStringLiteral("127.0.0.1:%1").arg(ours.port());
    }
    tributary::test::LibtorrentPeer seeder(options);
    const QString started = seeder.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));

    if (weDial) {
      const SocketAddress target = SocketAddress::loopbackV4(seeder.port());
      runOn(loop, [&] {
        conv->stream = manager->createStream();
        Conversation* c = conv.get();
        conv->stream->connect(target, 5s, [c](Result<void> r) {
          if (!r.ok()) {
            return c->fail("uTP connect: " + r.error().toString());
          }
          c->start(*c->stream);
        });
      });
    }
    auto f = conv->done.get_future();
    const bool ready = waitReady(f, 60s);
    struct Seen {
      std::string theirHash, piece;
      bool bitfield = false, bitfieldFirst = false;
      std::uint64_t resent = 0;
      std::optional<std::chrono::microseconds> rtt;
    };
    const Seen seen = runOn(loop, [&] {
      Seen s;
      if (!conv->stream) {
        return s;
      }
      s = Seen{conv->theirHash,
               conv->piece0,
               conv->gotBitfield,
               conv->bitfieldFirst,
               0,
               conv->stream->smoothedRtt()};
      if (const UtpConnection* c = conv->stream->connection()) {
        s.resent = c->retransmissions();
      }
      conv->stream->close();  // an orderly FIN to libtorrent
      return s;
    });
    QVERIFY2(ready, qPrintable(seeder.output()));
    const std::string why = f.get();
    QVERIFY2(why.empty(), why.c_str());
    QCOMPARE(QByteArray::fromStdString(seen.theirHash), rawHash);
    QVERIFY(seen.bitfield);
    QVERIFY(seen.bitfieldFirst);
    QVERIFY(seen.rtt.has_value());
    QCOMPARE(seen.piece.size(), std::size_t{kBlocks} * kBlock);
    QVERIFY(QByteArray::fromStdString(seen.piece) == content.left(kBlocks * kBlock));
    qInfo("libtorrent served %d blocks over uTP (%s); %llu retransmissions", kBlocks,
          weDial ? "we dialled" : "it dialled", (unsigned long long)seen.resent);
    // The FIN exchange: libtorrent answers our FIN with its own, which we ack
    // (never reset), then we forget the connection after a short linger.
    struct Ending {
      std::size_t connections;
      std::uint64_t resets;
    };
    Ending ending{};
    for (const auto deadline = std::chrono::steady_clock::now() + 20s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
      ending = runOn(loop, [&] {
        return Ending{manager->connectionCount(), manager->resetsSent()};
      });
      if (ending.connections == 0) {
        break;
      }
    }
    QCOMPARE(ending.connections, std::size_t{0});
    QCOMPARE(ending.resets, std::uint64_t{0});
    runOn(loop, [&] {
      conv->stream.reset();
      manager.reset();
      socket.reset();
    });
    tearDown.fn = [] {};
    QCOMPARE(loop.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TstUtpLibtorrent)
#include "tst_utp_libtorrent.moc"
