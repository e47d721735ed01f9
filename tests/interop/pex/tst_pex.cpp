// Peer exchange (BEP 11) against python3-libtorrent on 127.0.0.1: we are told
// of a libtorrent seeder only, and learn through its ut_pex of a third peer
// it is connected to.
//
// The third peer is evil_peer.py in its polite mode (a valid handshake and an
// empty bitfield, then quiet), dialled by the seeder before we join: a peer we
// control, so nothing depends on when another libtorrent gets round to
// connecting. libtorrent sends its first ut_pex to a new peer about a second
// after the extension handshake, listing every peer it has finished a
// handshake with; the polite peer is one of them by then.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <memory>

#include "../bt_download/TorrentFixture.h"
#include "../bt_swarm/EvilPeer.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

bool hasPexPeer(const TaskSnapshot& s, const std::string& address) {
  return s.torrent &&
         std::any_of(s.torrent->peers.begin(), s.torrent->peers.end(), [&](const PeerSnapshot& p) {
           return p.source == PeerSource::Pex && (address.empty() || p.address == address);
         });
}

}  // namespace

class TestPex : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available() || !test::EvilPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 11), QString());
  }

  void init() {
    third_ = std::make_unique<test::EvilPeer>(fixture_.torrentFile(), QStringLiteral("polite"));
    QCOMPARE(third_->start(), QString());
    test::LibtorrentPeerOptions options;
    options.torrentFile = fixture_.torrentFile();
    options.dataDir = fixture_.contentParent();
    options.connectTo = {third_->address()};
    options.encryption = QStringLiteral("disabled");  // evil_peer.py speaks plain BEP 3 only
    seeder_ = std::make_unique<test::LibtorrentPeer>(options);
    QCOMPARE(seeder_->start(), QString());
    // The seeder has the third peer once their handshakes are done.
    QVERIFY2(!third_->waitLine(QStringLiteral("MISBEHAVED 1"), 30s).isEmpty(),
             qPrintable(QStringLiteral("the seeder never reached the third peer: ") +
                        third_->output() + seeder_->output()));
  }

  void cleanup() {
    seeder_.reset();
    third_.reset();
  }

  void learnPeersThroughPex() {
    QTemporaryDir out;
    // Plain connections: this is about PEX, not MSE.
    Session session([](EngineConfig& config) {
      config.enablePex = true;
      config.encryption = EncryptionMode::Disabled;
    });
    const TaskId id = session.add(params(out.path()));
    QVERIFY(id != kInvalidTaskId);
    const std::string thirdAddress = third_->address().toStdString();
    const bool learned = session.waitForSnapshot(
        id, [&](const TaskSnapshot& s) { return hasPexPeer(s, thirdAddress); }, 30s);
    if (!learned) {  // what there was instead, for the log
      const TaskSnapshot last = session.latest(id);
      for (const PeerSnapshot& p :
           last.torrent ? last.torrent->peers : std::vector<PeerSnapshot>{}) {
        qDebug() << "peer" << p.address.c_str() << int(p.source) << p.client.c_str();
      }
      qDebug() << "the third peer" << thirdAddress.c_str() << third_->output();
    }
    QVERIFY2(learned, "the third peer never showed up as a PEX peer");
    // And we dialled it: the polite peer saw a second connection (ours).
    QVERIFY2(third_->waitConnected(2, 10s), qPrintable(third_->output()));
  }

  // The switch: with PEX off nothing is learned that way (and the seeder's
  // messages are not even offered to us). With it on the same set-up teaches
  // us the third peer within seconds (above), so 10 s is a fair window.
  void noPexWhenOff() {
    QTemporaryDir out;
    Session session([](EngineConfig& config) {
      config.enablePex = false;
      config.encryption = EncryptionMode::Disabled;
    });
    const TaskId id = session.add(params(out.path()));
    QVERIFY(id != kInvalidTaskId);
    const bool learned = session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return hasPexPeer(s, {}); }, 10s);
    QVERIFY(!learned);
    QCOMPARE(third_->connections(), 1);  // the seeder's only
  }

 private:
  AddParams params(const QString& saveDir) const {
    AddParams p;
    p.source = fixture_.torrentFile().toStdString();
    p.saveDir = saveDir.toStdString();
    p.peers = {seeder_->address().toStdString()};  // the third peer we are not told of
    // Slow: the task is still downloading, not finished, when the PEX comes.
    p.maxDownloadRate = 512 * 1024;
    return p;
  }

  test::TorrentFixture fixture_;
  std::unique_ptr<test::EvilPeer> third_;
  std::unique_ptr<test::LibtorrentPeer> seeder_;
};

QTEST_GUILESS_MAIN(TestPex)
#include "tst_pex.moc"
