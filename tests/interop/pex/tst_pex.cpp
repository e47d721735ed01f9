// Peer exchange (BEP 11) against python3-libtorrent on 127.0.0.1: of three
// peers we are told of one, and learn of the other through its ut_pex.
#include <QtTest>

#include <algorithm>
#include <chrono>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

class TestPex : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 11), QString());
  }

  void learnPeersThroughPex() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    // A slow leecher connected to the seeder: it stays a leecher (two seeds
    // would drop their connection, and the seeder would have no one to tell us about).
    QTemporaryDir leechDir;
    test::LibtorrentPeerOptions options{
        fixture_.torrentFile(), leechDir.path(), {seeder.address()}};
    options.downloadLimit = 256 * 1024;
    test::LibtorrentPeer leecher(options);
    QCOMPARE(leecher.start(), QString());

    QTemporaryDir out;
    // Plain connections: this is about PEX, and the leecher (without its
    // default plugins) does not answer an MSE handshake, which would cost a
    // 10 s time-out before the plaintext retry.
    Session session([](EngineConfig& config) {
      config.enablePex = true;
      config.encryption = EncryptionMode::Disabled;
    });
    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = out.path().toStdString();
    params.peers = {seeder.address().toStdString()};  // the leecher we are not told of
    params.maxDownloadRate = 512 * 1024;              // still downloading when the PEX comes
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    const std::string leecherAddress = leecher.address().toStdString();
    const bool learned = session.waitForSnapshot(
        id,
        [&](const TaskSnapshot& s) {
          return s.torrent && std::any_of(s.torrent->peers.begin(), s.torrent->peers.end(),
                                          [&](const PeerSnapshot& p) {
                                            return p.address == leecherAddress &&
                                                   p.source == PeerSource::Pex;
                                          });
        },
        60s);
    if (!learned) {  // what there was instead, for the log
      const TaskSnapshot last = session.latest(id);
      for (const PeerSnapshot& p :
           last.torrent ? last.torrent->peers : std::vector<PeerSnapshot>{}) {
        qDebug() << "peer" << p.address.c_str() << int(p.source) << p.client.c_str();
      }
      qDebug() << "the leecher" << leecherAddress.c_str() << leecher.output();
    }
    QVERIFY2(learned, "the leecher never showed up as a PEX peer");
  }

  // The switch: with PEX off nothing is learned that way (and the seeder's
  // messages are not even offered to us).
  void noPexWhenOff() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir leechDir;
    test::LibtorrentPeerOptions options{
        fixture_.torrentFile(), leechDir.path(), {seeder.address()}};
    options.downloadLimit = 256 * 1024;
    test::LibtorrentPeer leecher(options);
    QCOMPARE(leecher.start(), QString());

    QTemporaryDir out;
    Session session([](EngineConfig& config) { config.enablePex = false; });
    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = out.path().toStdString();
    params.peers = {seeder.address().toStdString()};
    params.maxDownloadRate = 512 * 1024;
    const TaskId id = session.add(params);
    const bool learned = session.waitForSnapshot(
        id,
        [&](const TaskSnapshot& s) {
          return s.torrent &&
                 std::any_of(s.torrent->peers.begin(), s.torrent->peers.end(),
                             [](const PeerSnapshot& p) { return p.source == PeerSource::Pex; });
        },
        5s);
    QVERIFY(!learned);
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestPex)
#include "tst_pex.moc"
