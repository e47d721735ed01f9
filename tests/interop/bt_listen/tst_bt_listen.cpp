// The engine's one BitTorrent listening port (issue 4 item 6) through the
// whole engine: a python3-libtorrent leecher that knows only our address
// dials in and downloads a multi-file torrent we seed; a peer naming a
// torrent we do not have is closed, one naming ours gets our handshake.
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>

#include "TorrentFixture.h"
#include "engine/api/Engine.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/Metainfo.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

std::uint16_t listenPortOf(Session& session) {
  if (!session.waitForStats([](const EngineStats& s) { return s.listenPort != 0; })) {
    return 0;
  }
  return session.stats().listenPort;
}

// Seeds the fixture with no peers to dial: only incoming connections can reach it.
TaskId seedAlone(Session& session, const test::TorrentFixture& fixture) {
  AddParams params;
  params.source = fixture.torrentFile().toStdString();
  params.saveDir = fixture.contentParent().toStdString();
  params.seedTime = 600s;
  const TaskId id = session.add(params);
  if (id == kInvalidTaskId ||
      !session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }, 60s)) {
    return kInvalidTaskId;
  }
  return id;
}

QByteArray handshakeBytes(const util::Sha1::Digest& infoHash) {
  bt::Handshake h;
  h.infoHash = infoHash;
  h.peerId = bt::peerIdFromString("-XX0001-listen-test0");
  const auto bytes = bt::encodeHandshake(h);
  return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                    static_cast<qsizetype>(bytes.size()));
}

util::Sha1::Digest infoHashOf(const QString& torrentFile) {
  std::ifstream in(torrentFile.toStdString(), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto meta = bt::parseMetainfo(bytes, bt::MetainfoLimits{});
  return meta ? meta.value().infoHash : util::Sha1::Digest{};
}

// A bare peer on a POSIX socket: sends `bytes` to 127.0.0.1:port, then reads
// until `want` bytes arrived, the engine closed, or the deadline passed.
struct Exchange {
  bool connected = false;
  bool closedByEngine = false;
  QByteArray received;
};

Exchange exchange(std::uint16_t port, const QByteArray& bytes, qsizetype want,
                  std::chrono::milliseconds deadline) {
  Exchange out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  out.connected =
      fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, bytes.constData(), static_cast<std::size_t>(bytes.size()), MSG_NOSIGNAL) ==
          bytes.size();
  QElapsedTimer clock;
  clock.start();
  while (out.connected && out.received.size() < want && clock.elapsed() < deadline.count()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      out.closedByEngine = true;  // EOF or a reset
      break;
    }
    out.received.append(chunk, static_cast<qsizetype>(n));
  }
  if (fd >= 0) {
    ::close(fd);
  }
  return out;
}

}  // namespace

class TestBtListen : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(64, 7), QString());
  }

  void seedsToALeecherThatDialsUs() {
    Session session;
    const std::uint16_t port = listenPortOf(session);
    QVERIFY(port != 0);
    const TaskId id = seedAlone(session, fixture_);
    QVERIFY(id != kInvalidTaskId);

    QTemporaryDir leech;
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), leech.path(), {}};
    options.connectTo = {QStringLiteral("127.0.0.1:%1").arg(port)};
    test::LibtorrentPeer leecher(options);
    QCOMPARE(leecher.start(), QString());
    // Listed while it downloads (two seeds part once it is done).
    const bool listed = session.waitForSnapshot(
        id,
        [](const TaskSnapshot& s) {
          return s.torrent && std::any_of(s.torrent->peers.begin(), s.torrent->peers.end(),
                                          [](const PeerSnapshot& peer) {
                                            return peer.source == PeerSource::Incoming &&
                                                   peer.address.starts_with("127.0.0.1:");
                                          });
        },
        60s);
    QVERIFY2(listed, "the leecher never showed as an incoming peer");
    QVERIFY2(leecher.waitFinished(120s), qPrintable(leecher.output()));
    QCOMPARE(fixture_.verify(leech.path()), QString());

    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.state, TaskState::Seeding);
    QVERIFY(s.traffic.shared >= s.totalBytes);
    QCOMPARE(s.traffic.bt, std::uint64_t{0});  // it had everything: nothing came in
  }

  void answersItsTorrentAndClosesOthers() {
    Session session;
    const std::uint16_t port = listenPortOf(session);
    QVERIFY(port != 0);
    QVERIFY(seedAlone(session, fixture_) != kInvalidTaskId);

    // Ours: the engine answers with its own handshake for the same torrent.
    const util::Sha1::Digest ours = infoHashOf(fixture_.torrentFile());
    const Exchange known = exchange(port, handshakeBytes(ours), 68, 10s);
    QVERIFY(known.connected);
    QVERIFY(!known.closedByEngine);
    QVERIFY(known.received.size() >= 68);
    QCOMPARE(known.received.mid(28, 20), handshakeBytes(ours).mid(28, 20));

    // Another torrent: closed without an answer, long before the handshake timeout.
    util::Sha1::Digest other = ours;
    other[0] ^= std::byte{0xff};
    const Exchange unknown = exchange(port, handshakeBytes(other), 1, 5s);
    QVERIFY(unknown.connected);
    QVERIFY(unknown.closedByEngine);
    QCOMPARE(unknown.received.size(), 0);
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestBtListen)
#include "tst_bt_listen.moc"
