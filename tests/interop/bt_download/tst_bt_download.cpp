// BitTorrent through the whole engine against python3-libtorrent on 127.0.0.1:
// downloading a multi-file torrent from a libtorrent seeder, seeding it to a
// libtorrent leecher, and verifying data already on disk.
#include <QtTest>

#include <chrono>

#include "TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

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

}  // namespace

class TestBtDownload : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(64, 42), QString());
  }

  void downloadFromLibtorrent() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent()});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {seeder.address()}));
    QVERIFY(id != kInvalidTaskId);
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.state, TaskState::Completed);
    QCOMPARE(s.verifiedBytes, s.totalBytes);
    QVERIFY(s.traffic.bt >= s.totalBytes);
    QVERIFY(s.torrent.has_value());
    QCOMPARE(s.torrent->piecesHave, s.torrent->pieceCount);
  }

  void seedToLibtorrent() {
    QTemporaryDir leech;
    test::LibtorrentPeer leecher({fixture_.torrentFile(), leech.path()});
    QCOMPARE(leecher.start(), QString());
    Session session;
    AddParams params = torrentParams(fixture_, fixture_.contentParent(), {leecher.address()});
    params.seedTime = 600s;
    const TaskId id = session.add(params);
    QVERIFY(leecher.waitFinished(120s));
    QCOMPARE(fixture_.verify(leech.path()), QString());
    const TaskSnapshot s = session.latest(id);
    QCOMPARE(s.state, TaskState::Seeding);
    QVERIFY(s.traffic.shared >= s.totalBytes);
    QCOMPARE(s.traffic.bt, std::uint64_t{0});  // it had everything: the check found it
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestBtDownload)
#include "tst_bt_download.moc"
