// Peer exchange (BEP 11) against python3-libtorrent on 127.0.0.1: of three
// peers we are told of one, a libtorrent seeder, and learn of the other two
// through its ut_pex.
//
// The other two are evil_peer.py in its polite mode (a valid handshake and an
// empty bitfield, then quiet), dialled by the seeder before we join: peers we
// control, so nothing depends on when another libtorrent gets round to
// connecting. libtorrent sends its first ut_pex to a new peer about a second
// after the extension handshake, listing every peer it has finished a
// handshake with; the polite peers are among them by then.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "../bt_download/TorrentFixture.h"
#include "../bt_swarm/EvilPeer.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

// Every address in `addresses` is a peer found through PEX; with none, any such peer.
bool hasPexPeers(const TaskSnapshot& s, const std::vector<std::string>& addresses) {
  if (!s.torrent) {
    return false;
  }
  const auto fromPex = [&](const std::string& address) {
    return std::any_of(
        s.torrent->peers.begin(), s.torrent->peers.end(), [&](const PeerSnapshot& p) {
          return p.source == PeerSource::Pex && (address.empty() || p.address == address);
        });
  };
  return addresses.empty() ? fromPex({}) : std::all_of(addresses.begin(), addresses.end(), fromPex);
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
    QStringList addresses;
    for (int i = 0; i < kOthers; ++i) {
      others_.push_back(
          std::make_unique<test::EvilPeer>(fixture_.torrentFile(), QStringLiteral("polite")));
      QCOMPARE(others_.back()->start(), QString());
      addresses << others_.back()->address();
    }
    test::LibtorrentPeerOptions options;
    options.torrentFile = fixture_.torrentFile();
    options.dataDir = fixture_.contentParent();
    options.connectTo = addresses;
    options.encryption = QStringLiteral("disabled");  // evil_peer.py speaks plain BEP 3 only
    seeder_ = std::make_unique<test::LibtorrentPeer>(options);
    QCOMPARE(seeder_->start(), QString());
    // The seeder has the other peers once their handshakes are done.
    for (const auto& other : others_) {
      QVERIFY2(!other->waitLine(QStringLiteral("MISBEHAVED 1"), 30s).isEmpty(),
               qPrintable(QStringLiteral("the seeder never reached ") + other->address() + ": " +
                          other->output() + seeder_->output()));
    }
  }

  void cleanup() {
    seeder_.reset();
    others_.clear();
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
    std::vector<std::string> addresses;
    for (const auto& other : others_) {
      addresses.push_back(other->address().toStdString());
    }
    const bool learned = session.waitForSnapshot(
        id, [&](const TaskSnapshot& s) { return hasPexPeers(s, addresses); }, 30s);
    if (!learned) {  // what there was instead, for the log
      const TaskSnapshot last = session.latest(id);
      for (const PeerSnapshot& p :
           last.torrent ? last.torrent->peers : std::vector<PeerSnapshot>{}) {
        qDebug() << "peer" << p.address.c_str() << int(p.source) << p.client.c_str();
      }
      for (const auto& other : others_) {
        qDebug() << "other peer" << other->address() << other->output();
      }
    }
    QVERIFY2(learned, "the other peers never showed up as PEX peers");
    // And we dialled them: each polite peer saw a second connection (ours).
    for (const auto& other : others_) {
      QVERIFY2(other->waitConnected(2, 10s), qPrintable(other->output()));
    }
  }

  // The switch: with PEX off nothing is learned that way (and the seeder's
  // messages are not even offered to us). With it on the same set-up teaches
  // us the other peers within seconds (above), so 10 s is a fair window.
  void noPexWhenOff() {
    QTemporaryDir out;
    Session session([](EngineConfig& config) {
      config.enablePex = false;
      config.encryption = EncryptionMode::Disabled;
    });
    const TaskId id = session.add(params(out.path()));
    QVERIFY(id != kInvalidTaskId);
    const bool learned = session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return hasPexPeers(s, {}); }, 10s);
    QVERIFY(!learned);
    for (const auto& other : others_) {
      QCOMPARE(other->connections(), 1);  // the seeder's only
    }
  }

 private:
  static constexpr int kOthers = 2;

  AddParams params(const QString& saveDir) const {
    AddParams p;
    p.source = fixture_.torrentFile().toStdString();
    p.saveDir = saveDir.toStdString();
    p.peers = {seeder_->address().toStdString()};  // the one peer we are told of
    // Slow: the task is still downloading, not finished, when the PEX comes.
    p.maxDownloadRate = 512 * 1024;
    return p;
  }

  test::TorrentFixture fixture_;
  std::vector<std::unique_ptr<test::EvilPeer>> others_;
  std::unique_ptr<test::LibtorrentPeer> seeder_;
};

QTEST_GUILESS_MAIN(TestPex)
#include "tst_pex.moc"
