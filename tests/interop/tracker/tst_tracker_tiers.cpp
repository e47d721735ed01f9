// A dead first tier must not hold up the live ones, through the whole
// engine: the torrent's (or magnet's) first tracker is a UDP socket the test
// binds and never reads, or an HTTP listener that never replies; a later
// tier is a real opentracker where a python3-libtorrent seeder registered.
// Our download gets the seeder from the live tier within seconds (before,
// one tracker at a time waited out BEP 15's 15 + 30 + 60 s first) and
// completes, the dead tracker's request still out meanwhile.
#include <QUrl>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/OpenTracker.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;
using Clock = std::chrono::steady_clock;

namespace {

// Well under the old 105 s, with room for a loaded machine.
constexpr auto kPeerBound = 20s;

// A socket on 127.0.0.1 that nobody serves: UDP bound and never read
// (datagrams vanish, no ICMP refusal), or TCP listening and never accepted
// (the kernel completes the handshake, no answer ever comes).
class SilentSocket {
 public:
  explicit SilentSocket(int type) : fd_(::socket(AF_INET, type, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        (type == SOCK_STREAM && ::listen(fd_, 16) != 0) ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentSocket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  SilentSocket(const SilentSocket&) = delete;
  SilentSocket& operator=(const SilentSocket&) = delete;
  quint16 port() const { return port_; }  // 0: it could not be set up

 private:
  int fd_;
  quint16 port_ = 0;
};

const TrackerSnapshot* trackerOf(const TaskSnapshot& s, const std::string& url) {
  if (!s.torrent) {
    return nullptr;
  }
  for (const TrackerSnapshot& t : s.torrent->trackers) {
    if (t.url == url) {
      return &t;
    }
  }
  return nullptr;
}

}  // namespace

class TestTrackerTiers : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    if (test::OpenTracker::executable().isEmpty()) {
      QSKIP("opentracker is not installed");
    }
    QCOMPARE(fixture_.create(16, 23), QString());
    infoHash_ = test::TorrentFixture::infoHashOf(fixture_.torrentFile());
    QVERIFY(!infoHash_.isEmpty());
    QVERIFY(deadUdp_.port() != 0);
    QVERIFY(silentHttp_.port() != 0);
    deadUdpUrl_ = QStringLiteral("udp://127.0.0.1:%1/announce").arg(deadUdp_.port());
    silentHttpUrl_ = QStringLiteral("http://127.0.0.1:%1/announce").arg(silentHttp_.port());
    QCOMPARE(tracker_.start({infoHash_}), QString());
    // The seeder knows only the live tracker (libtorrent's default would sit
    // on a dead first tier too); same info dictionary, so the same swarm.
    seederTorrent_ = work_.filePath("seeder.torrent");
    QCOMPARE(fixture_.makeTorrent({tracker_.httpAnnounceUrl()}, seederTorrent_), QString());
    seeder_ = std::make_unique<test::LibtorrentPeer>(
        test::LibtorrentPeerOptions{seederTorrent_, fixture_.contentParent(), {}});
    QCOMPARE(seeder_->start(), QString());
    QVERIFY(tracker_.waitForSwarm(infoHash_, 1, 30000));
  }
  void cleanupTestCase() { seeder_.reset(); }

  // A .torrent whose announce-list has the dead tracker as its first tier
  // (mktorrent: one tier per -a).
  void torrentWithADeadFirstTier_data() {
    QTest::addColumn<bool>("udp");
    QTest::newRow("silent udp first, live udp second") << true;
    QTest::newRow("silent http first, live http second") << false;
  }
  void torrentWithADeadFirstTier() {
    QFETCH(bool, udp);
    const QString dead = udp ? deadUdpUrl_ : silentHttpUrl_;
    const QString live = udp ? tracker_.udpAnnounceUrl() : tracker_.httpAnnounceUrl();
    const QString torrent = work_.filePath(udp ? "udp.torrent" : "http.torrent");
    QCOMPARE(fixture_.makeTorrent({dead, live}, torrent), QString());
    QCOMPARE(test::TorrentFixture::infoHashOf(torrent), infoHash_);

    QTemporaryDir out;
    Session session;
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = out.path().toStdString();
    params.seedTime = 600s;  // no stop at completion: the dead tracker's request stays out
    const auto began = Clock::now();
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    const std::string liveUrl = live.toStdString();
    TaskSnapshot first;  // the first one that shows the live tier's peer
    QVERIFY2(session.waitForSnapshot(
                 id,
                 [&](const TaskSnapshot& s) {
                   const TrackerSnapshot* t = trackerOf(s, liveUrl);
                   if (t == nullptr || t->peers < 1) {
                     return false;
                   }
                   first = s;
                   return true;
                 },
                 kPeerBound),
             "no peer from the second tier in time");
    const auto tookMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
    qInfo("the live tier's peer after %lld ms", static_cast<long long>(tookMs));
    const TrackerSnapshot* deadOne = trackerOf(first, dead.toStdString());
    QVERIFY(deadOne != nullptr);
    QCOMPARE(deadOne->tier, 0u);
    // Still asked (its request alive), neither given up nor answered.
    QCOMPARE(deadOne->status, TrackerSnapshot::Status::Updating);
    // Working, or Updating already when the task asked for more peers at once.
    QVERIFY(trackerOf(first, liveUrl)->status != TrackerSnapshot::Status::Failed);

    auto end = session.waitForEvent(id, {Event::Kind::Completed, Event::Kind::Failed}, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  // A magnet whose first tr= (each its own tier) are long dead: the
  // metadata comes through the live third one within seconds.
  void magnetWithDeadFirstTrackers() {
    const auto enc = [](const QString& url) {
      return QString::fromLatin1(QUrl::toPercentEncoding(url));
    };
    QTemporaryDir out;
    Session session;
    AddParams params;
    params.source = QStringLiteral("magnet:?xt=urn:btih:%1&dn=tiers&tr=%2&tr=%3&tr=%4")
                        .arg(infoHash_.toUpper(), enc(silentHttpUrl_), enc(deadUdpUrl_),
                             enc(tracker_.httpAnnounceUrl()))
                        .toStdString();
    params.saveDir = out.path().toStdString();
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    auto metadata =
        session.waitForEvent(id, {Event::Kind::MetadataReceived, Event::Kind::Failed}, kPeerBound);
    QVERIFY2(metadata && metadata->kind == Event::Kind::MetadataReceived,
             metadata ? metadata->message.c_str() : "no metadata in time");
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot s = session.settledSnapshot(id);
    QVERIFY(s.torrent.has_value());
    QCOMPARE(s.torrent->trackers.size(), std::size_t{3});
  }

 private:
  test::TorrentFixture fixture_;
  QTemporaryDir work_;
  QString infoHash_;
  SilentSocket deadUdp_{SOCK_DGRAM};
  SilentSocket silentHttp_{SOCK_STREAM};
  QString deadUdpUrl_;
  QString silentHttpUrl_;
  test::OpenTracker tracker_;
  QString seederTorrent_;
  std::unique_ptr<test::LibtorrentPeer> seeder_;
};

QTEST_GUILESS_MAIN(TestTrackerTiers)
#include "tst_tracker_tiers.moc"
