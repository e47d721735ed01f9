// Hostile peers through the whole engine: for each way evil_peer.py breaks
// the peer wire protocol, our connection to it must close (quickly, for a rule
// break; at the handshake timeout, for a silent peer) while the same download
// completes from a good python3-libtorrent seeder at the same time.
#include <QtTest>

#include <chrono>
#include <memory>
#include <vector>

#include "EvilPeer.h"
#include "engine/api/Engine.h"
#include "interop/bt_download/TorrentFixture.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

// evil_peer.py speaks plain BEP 3 only: no MSE attempt first, so its
// connection 1 is the one under test.
void plaintextOnly(EngineConfig& config) {
  config.encryption = EncryptionMode::Disabled;
}

// A rule break closes the connection as soon as the message is read; this
// only leaves room for a loaded machine. Far below every engine timer.
constexpr double kPromptCloseS = 3.0;
// Issue 4: "handshake 10 s"; plus one slot of the peer timing wheel and one
// tick of the torrent (1 s) that advances it.
constexpr double kHandshakeTimeoutS = 10.0 + 1.5;
// The seeder's rate: the download lasts about a second, so it is still
// running when a rule break closes the evil connection.
constexpr qint64 kSeederBytesPerSecond = 1 << 20;

}  // namespace

class TestBtHostilePeers : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QVERIFY(test::EvilPeer::available());
    // 1 MiB in 256 KiB pieces: 4 pieces, so a bitfield has 4 spare bits.
    QCOMPARE(fixture_.create(1, 77), QString());
    seeder_ = std::make_unique<test::LibtorrentPeer>(test::LibtorrentPeerOptions{
        fixture_.torrentFile(), fixture_.contentParent(), {}, false, kSeederBytesPerSecond});
    QCOMPARE(seeder_->start(), QString());
    // Seeding (its check done): a peer dialled before is turned away.
    QVERIFY(seeder_->waitFinished(30s));
  }

  void cleanupTestCase() { seeder_.reset(); }

  // The control: a well-behaved peer that merely has nothing to give is kept,
  // so the closes below are the rule breaks' doing.
  void politePeerStaysConnected() {
    test::EvilPeer polite(fixture_.torrentFile(), QStringLiteral("polite"));
    QCOMPARE(polite.start(), QString());
    Session session(plaintextOnly);
    QTemporaryDir out;
    const TaskId id = addWithPeers(session, out.path(), polite.address());
    QVERIFY(id != kInvalidTaskId);
    QVERIFY2(polite.waitConnected(1, 10s), qPrintable(polite.output()));
    QVERIFY2(!polite.waitClosed(1, std::chrono::milliseconds(qint64(kPromptCloseS * 1000))),
             qPrintable(polite.output()));
    QVERIFY(polite.misbehaved(1));  // i.e. it sent its handshake and bitfield
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }, 20s));
    QCOMPARE(fixture_.verify(out.path()), QString());
    QVERIFY2(!polite.closedAfter(1).has_value(), qPrintable(polite.output()));
  }

  // EngineConfig::maxConnections caps connections across all torrents: two
  // torrents with three peers each, a cap of four. The peers never close, so
  // the connections they ever accepted are the ones alive.
  void engineWideConnectionCap() {
    test::TorrentFixture other;
    QCOMPARE(other.create(1, 78), QString());
    std::vector<std::unique_ptr<test::EvilPeer>> peers;
    for (int i = 0; i < 6; ++i) {
      peers.push_back(std::make_unique<test::EvilPeer>(
          i < 3 ? fixture_.torrentFile() : other.torrentFile(), QStringLiteral("polite")));
      QCOMPARE(peers.back()->start(), QString());
    }
    constexpr unsigned kCap = 4;
    Session session([](EngineConfig& config) {
      plaintextOnly(config);
      config.maxConnections = kCap;
    });
    QTemporaryDir outA;
    QTemporaryDir outB;
    std::vector<TaskId> ids;
    for (int t = 0; t < 2; ++t) {
      AddParams params;
      params.source = (t == 0 ? fixture_.torrentFile() : other.torrentFile()).toStdString();
      params.saveDir = (t == 0 ? outA.path() : outB.path()).toStdString();
      for (int i = 3 * t; i < 3 * t + 3; ++i) {
        params.peers.push_back(peers[i]->address().toStdString());
      }
      ids.push_back(session.add(params));
      QVERIFY(ids.back() != kInvalidTaskId);
    }
    const auto accepted = [&] {
      int sum = 0;
      for (auto& peer : peers) {
        sum += peer->connections();
      }
      return sum;
    };
    const QDeadlineTimer full(10s);
    while (accepted() < int(kCap) && !full.hasExpired()) {
      QTest::qWait(50);
    }
    QCOMPARE(accepted(), int(kCap));
    // A few more seconds: the torrents retry their candidates every tick.
    const QDeadlineTimer hold(2500ms);
    while (!hold.hasExpired()) {
      QVERIFY2(accepted() <= int(kCap), qPrintable(QString::number(accepted())));
      const unsigned alive = session.latest(ids[0]).peers + session.latest(ids[1]).peers;
      QVERIFY2(alive <= kCap, qPrintable(QString::number(alive)));
      QTest::qWait(100);
    }
  }

  // BEP 6 both ways, with us seeding: a peer with nothing that we choke gets
  // the canonical allowed-fast set for its address, a request for one of
  // those pieces is served while it stays choked, and any other is rejected.
  void allowedFastWhileChoked() {
    test::TorrentFixture many;  // 32 pieces: more than the set's 10
    QCOMPARE(many.create(8, 79), QString());
    test::EvilPeer leech(many.torrentFile(), QStringLiteral("fast-leech"));
    QCOMPARE(leech.start(), QString());
    Session session(plaintextOnly);
    AddParams params;
    params.source = many.torrentFile().toStdString();
    params.saveDir = many.contentParent().toStdString();  // the data is there: we seed
    params.peers = {leech.address().toStdString()};
    params.seedTime = 600s;
    QVERIFY(session.add(params) != kInvalidTaskId);
    const QString line = leech.waitLine(QStringLiteral("FAST 1 "), 30s);
    QCOMPARE(line, QStringLiteral("FAST 1 set_ok=1 served=1 rejected=1 unchoked=0"));
  }

  void closesAndKeepsDownloading_data() {
    QTest::addColumn<QString>("mode");
    QTest::addColumn<double>("closeWithinS");
    for (const char* mode :
         {"huge-length", "length-over-1mib", "have-out-of-range", "big-request", "request-past-end",
          "second-bitfield", "spare-bits", "long-bitfield", "request-flood", "garbage"}) {
      QTest::newRow(mode) << QString::fromLatin1(mode) << kPromptCloseS;
    }
    QTest::newRow("silent") << QStringLiteral("silent") << kHandshakeTimeoutS;
  }

  void closesAndKeepsDownloading() {
    QFETCH(QString, mode);
    QFETCH(double, closeWithinS);
    test::EvilPeer evil(fixture_.torrentFile(), mode);
    QCOMPARE(evil.start(), QString());
    QTemporaryDir out;
    Session session(plaintextOnly);
    const TaskId id = addWithPeers(session, out.path(), evil.address());
    QVERIFY(id != kInvalidTaskId);

    QVERIFY2(evil.waitConnected(1, 10s), qPrintable(evil.output()));
    const auto closedAfter =
        evil.waitClosed(1, std::chrono::milliseconds(qint64(closeWithinS * 1000) + 2000));
    QVERIFY2(closedAfter.has_value(),
             qPrintable(QStringLiteral("our connection to the %1 peer stayed open: %2")
                            .arg(mode, evil.output())));
    QVERIFY2(*closedAfter <= closeWithinS,
             qPrintable(QStringLiteral("closed after %1 s, expected within %2 s")
                            .arg(*closedAfter)
                            .arg(closeWithinS)));
    QVERIFY2(evil.misbehaved(1), qPrintable(evil.output()));

    // The engine kept working: the download completed from the good seeder.
    const bool complete = session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }, 20s);
    const TaskSnapshot s = session.latest(id);
    QVERIFY2(complete, qPrintable(QStringLiteral("state %1, %2 of %3 bytes")
                                      .arg(int(s.state))
                                      .arg(s.verifiedBytes)
                                      .arg(s.totalBytes)));
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

 private:
  // The fixture's torrent into `dir`, from the good seeder and `other`.
  TaskId addWithPeers(Session& session, const QString& dir, const QString& other) {
    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = dir.toStdString();
    params.peers = {other.toStdString(), seeder_->address().toStdString()};
    // Seeding after the download keeps every connection up: only a rule
    // break (or the handshake timeout) can close the other one.
    params.seedTime = 600s;
    return session.add(params);
  }

  test::TorrentFixture fixture_;
  std::unique_ptr<test::LibtorrentPeer> seeder_;
};

QTEST_GUILESS_MAIN(TestBtHostilePeers)
#include "tst_bt_hostile_peers.moc"
