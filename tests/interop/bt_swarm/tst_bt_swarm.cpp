// BitTorrent through the whole engine in a swarm of real clients on 127.0.0.1:
// a transmission-daemon seeder, and several seeders at once of which one
// (evil_peer.py) answers every request with wrong bytes and must be banned.
// Our client dials every peer (AddParams::peers): none of them dial 127.x.
#include <QtTest>

#include <chrono>

#include "EvilPeer.h"
#include "engine/api/Engine.h"
#include "interop/bt_download/TorrentFixture.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/TransmissionPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

// evil_peer.py speaks plain BEP 3 only: no MSE attempt first, so its
// connection 1 is the one under test.
void plaintextOnly(EngineConfig& config) {
  config.encryption = EncryptionMode::Disabled;
}

// The engine dials a peer it closed for a rule break again 10 s later
// (engine/bt/TorrentPeers.cpp retryDelayMs), a banned one never: watching a
// little longer than that tells the two apart.
constexpr qint64 kRedialWindowMs = 12'000;
// The good libtorrent seeder's rate in the ban test: the download lasts about
// as long as the redial window, so a redial would come while it runs.
constexpr qint64 kGoodSeederBytesPerSecond = 6 << 20;

AddParams torrentParams(const test::TorrentFixture& fixture, const QString& dir,
                        const QStringList& peers) {
  AddParams params;
  params.source = fixture.torrentFile().toStdString();
  params.saveDir = dir.toStdString();
  for (const QString& peer : peers) {
    params.peers.push_back(peer.toStdString());
  }
  return params;
}

bool hasPeerFrom(const TaskSnapshot& s, const QString& address, const char* client) {
  if (!s.torrent) {
    return false;
  }
  for (const PeerSnapshot& p : s.torrent->peers) {
    if (QString::fromStdString(p.address) == address &&
        QString::fromStdString(p.client).contains(QLatin1String(client))) {
      return true;
    }
  }
  return false;
}

// What the snapshots showed of each peer while the download ran.
struct SwarmWatch {
  QSet<QString> connected;                    // in the latest snapshot
  QMap<QString, std::uint32_t> hashFailures;  // the most seen, per address
  QStringList droppedEarly;                   // left the list before the download was complete

  void see(const TaskSnapshot& s) {
    if (!s.torrent) {
      return;
    }
    QSet<QString> now;
    for (const PeerSnapshot& p : s.torrent->peers) {
      const QString address = QString::fromStdString(p.address);
      now.insert(address);
      hashFailures[address] = std::max(hashFailures.value(address), p.hashFailures);
    }
    // Seeds close connections to seeds: only a drop before the end counts.
    if (s.torrent->piecesHave < s.torrent->pieceCount) {
      for (const QString& address : connected - now) {
        droppedEarly << address;
      }
    }
    connected = now;
  }

  QString describe() const {
    QStringList parts;
    for (auto it = hashFailures.begin(); it != hashFailures.end(); ++it) {
      parts << QStringLiteral("%1 hash failures %2").arg(it.key()).arg(it.value());
    }
    return parts.join(", ") + "; dropped early: " + droppedEarly.join(", ");
  }
};

}  // namespace

class TestBtSwarm : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QCOMPARE(fixture_.create(64, 4242), QString()); }

  void downloadFromTransmission() {
    if (!test::TransmissionPeer::available()) {
      QSKIP("transmission-daemon is not installed");
    }
    // Unlimited; transmission 3.00 paces itself to about 3 MB/s on loopback
    // (as it does for a libtorrent leecher), so this takes some 25 s.
    test::TransmissionPeer seeder({fixture_.torrentFile(), fixture_.contentParent()});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {seeder.address()}));
    QVERIFY(id != kInvalidTaskId);
    QVERIFY2(
        session.waitForSnapshot(
            id,
            [&](const TaskSnapshot& s) { return hasPeerFrom(s, seeder.address(), "Transmission"); },
            20s),
        "no Transmission peer in the snapshots");
    auto end = session.waitForEnd(id, 60s);
    QVERIFY2(end && end->kind == Event::Kind::Completed,
             end ? end->message.c_str() : qPrintable("timeout; " + seeder.torrentInfo()));
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.state, TaskState::Completed);
    QCOMPARE(s.verifiedBytes, s.totalBytes);
    QVERIFY(s.traffic.bt >= s.totalBytes);
    QVERIFY(s.torrent.has_value());
    QCOMPARE(s.torrent->piecesHave, s.torrent->pieceCount);
    QCOMPARE(s.torrent->wastedBytes, std::uint64_t{0});
    // Transmission counted what it sent us.
    QVERIFY2(!seeder.torrentInfo().contains(QStringLiteral("Uploaded: None")),
             qPrintable(seeder.torrentInfo()));
  }

  void severalSeedersOneCorrupt() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    test::LibtorrentPeerOptions goodOptions;
    goodOptions.torrentFile = fixture_.torrentFile();
    goodOptions.dataDir = fixture_.contentParent();
    goodOptions.uploadLimit = kGoodSeederBytesPerSecond;
    test::LibtorrentPeer good(goodOptions);
    QCOMPARE(good.start(), QString());
    // Seeding (its check done): a peer dialled before is turned away.
    QVERIFY(good.waitFinished(30s));
    std::unique_ptr<test::TransmissionPeer> other;
    if (test::TransmissionPeer::available()) {
      other = std::make_unique<test::TransmissionPeer>(
          test::TransmissionPeerOptions{fixture_.torrentFile(), fixture_.contentParent()});
      QCOMPARE(other->start(), QString());
    }
    test::EvilPeer evil(fixture_.torrentFile(), QStringLiteral("corrupt"));
    QCOMPARE(evil.start(), QString());

    QTemporaryDir out;
    Session session(plaintextOnly);
    QStringList peers{evil.address(), good.address()};
    if (other) {
      peers << other->address();
    }
    AddParams params = torrentParams(fixture_, out.path(), peers);
    params.seedTime = 600s;  // stays up, still dialling peers, after it completes
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    QVERIFY2(evil.waitConnected(1, 10s), qPrintable(evil.output()));
    QElapsedTimer sinceConnected;
    sinceConnected.start();
    SwarmWatch watch;
    const bool complete = session.waitForSnapshot(
        id,
        [&](const TaskSnapshot& s) {
          watch.see(s);
          return s.state == TaskState::Seeding;
        },
        60s);
    const TaskSnapshot done = session.latest(id);
    QVERIFY2(complete, qPrintable(QStringLiteral("state %1, %2/%3 pieces; %4; evil peer: %5")
                                      .arg(int(done.state))
                                      .arg(done.torrent ? done.torrent->piecesHave : 0)
                                      .arg(done.torrent ? done.torrent->pieceCount : 0)
                                      .arg(watch.describe(), evil.output())));
    // The good seeders kept their connections: data they sent alongside the
    // evil peer's in a failed piece must not get them banned.
    for (const QString& seeder : peers.mid(1)) {
      QVERIFY2(!watch.droppedEarly.contains(seeder),
               qPrintable(seeder + " was dropped; " + watch.describe()));
    }
    QCOMPARE(fixture_.verify(out.path()), QString());
    QVERIFY(done.torrent.has_value());
    // At least the two bad pieces that got it banned were thrown away.
    QVERIFY2(done.torrent->wastedBytes >= 2 * done.torrent->pieceLength,
             qPrintable(QString::number(done.torrent->wastedBytes)));

    // Banned: its connection was closed (it is a seed that answers every
    // request: nothing else closes it) and never dialled again, even once the
    // redial delay of a peer closed for a rule break has passed.
    const std::optional<double> closedAfter = evil.waitClosed(1, 5s);
    QVERIFY2(closedAfter.has_value(), qPrintable(evil.output()));
    const qint64 sinceClosedMs = sinceConnected.elapsed() - qint64(*closedAfter * 1000);
    QVERIFY2(!evil.waitConnected(2, std::chrono::milliseconds(
                                        std::max<qint64>(0, kRedialWindowMs - sinceClosedMs))),
             qPrintable(evil.output()));
    QCOMPARE(evil.connections(), 1);
    const TaskSnapshot later = session.latest(id);
    QCOMPARE(later.state, TaskState::Seeding);
    for (const PeerSnapshot& p : later.torrent->peers) {
      QVERIFY2(QString::fromStdString(p.address) != evil.address(), p.address.c_str());
    }
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestBtSwarm)
#include "tst_bt_swarm.moc"
