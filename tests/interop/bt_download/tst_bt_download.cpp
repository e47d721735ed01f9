// BitTorrent through the whole engine against python3-libtorrent on 127.0.0.1:
// downloading a multi-file torrent from a libtorrent seeder, seeding it to a
// libtorrent leecher, and verifying data already on disk.
#include <QCryptographicHash>
#include <QFileInfo>
#include <QtTest>

#include <chrono>

#include "TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/OpenTracker.h"

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
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
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

  // A skipped file is never created; the others complete; size and progress
  // are those of the selection.
  void skippedFileIsNotCreated() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session;
    AddParams params = torrentParams(fixture_, out.path(), {seeder.address()});
    params.startPaused = true;
    const TaskId id = session.add(params);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.torrent && !s.torrent->files.empty(); }));
    const TaskSnapshot before = session.latest(id);
    std::vector<std::uint8_t> priorities;
    std::uint64_t selected = 0;
    for (const FileSnapshot& file : before.torrent->files) {
      const bool skip = file.path == "content/sub/b.bin";
      priorities.push_back(skip ? 0 : (file.path == "content/sub/deeper/c.bin" ? 2 : 1));
      selected += skip ? 0 : file.size;
    }
    QCOMPARE(priorities.size(), std::size_t{5});
    session.engine().setFilePriorities(id, priorities);
    session.engine().resume(id);
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QVERIFY(!QFileInfo::exists(out.filePath("content/sub/b.bin")));
    for (const char* path : {"content/a.bin", "content/small.txt", "content/sub/deeper/c.bin"}) {
      QFile file(out.filePath(path));
      QVERIFY2(file.open(QIODevice::ReadOnly), path);
      QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex(),
               fixture_.hashes().value(path));
    }
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.state, TaskState::Completed);
    QCOMPARE(s.totalBytes, selected);
    QCOMPARE(s.verifiedBytes, selected);
    QVERIFY(s.torrent->piecesHave < s.torrent->pieceCount);
  }

  // Force recheck after completion. With the data intact: it checks, seeds
  // again, and nobody hears of a second completion. Then with one byte
  // changed on disk: the damage is found, its piece (and only about that
  // much) downloaded again, and the files end right.
  void recheckFindsDamage() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session;
    AddParams params = torrentParams(fixture_, out.path(), {seeder.address()});
    params.seedTime = 600s;  // stays up (seeding) for the rechecks
    const TaskId id = session.add(params);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }, 120s));
    const TaskSnapshot before = session.settledSnapshot(id);
    QCOMPARE(before.verifiedBytes, before.totalBytes);
    QCOMPARE(session.eventCount(id, Event::Kind::Completed), 1);
    const auto seedingAndWhole = [](const TaskSnapshot& s) {
      return s.state == TaskState::Seeding && s.verifiedBytes == s.totalBytes;
    };

    session.engine().recheck(id);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Checking; }, 10s));
    QVERIFY(session.waitForSnapshot(id, seedingAndWhole, 60s));
    QTest::qWait(300);  // an event would come with or right after that snapshot
    QCOMPARE(session.eventCount(id, Event::Kind::Completed), 1);

    {
      QFile file(out.filePath("content/a.bin"));
      QVERIFY(file.open(QIODevice::ReadWrite));
      QVERIFY(file.seek(300000));
      char byte = 0;
      QVERIFY(file.getChar(&byte));
      QVERIFY(file.seek(300000));
      QVERIFY(file.putChar(static_cast<char>(byte ^ 0x5A)));
    }
    session.engine().recheck(id);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.verifiedBytes < s.totalBytes; }, 30s));
    QVERIFY(session.waitForSnapshot(id, seedingAndWhole, 120s));
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot after = session.settledSnapshot(id);
    const std::uint64_t pieceLength = after.torrent->pieceLength;
    QVERIFY2(after.traffic.bt >= before.traffic.bt + pieceLength / 2,
             qPrintable(QString::number(after.traffic.bt - before.traffic.bt)));
    QVERIFY2(after.traffic.bt <= before.traffic.bt + 8 * pieceLength,
             qPrintable(QString::number(after.traffic.bt - before.traffic.bt)));
  }

  // Peers from a real opentracker, over HTTP and over UDP: the seeder
  // announces there, and our client finds it only through the tracker.
  void peersFromOpentracker_data() {
    QTest::addColumn<bool>("udp");
    QTest::newRow("http") << false;
    QTest::newRow("udp") << true;
  }
  void peersFromOpentracker() {
    QFETCH(bool, udp);
    if (test::OpenTracker::executable().isEmpty()) {
      QSKIP("opentracker is not installed");
    }
    QTemporaryDir work;
    const QString infoHash = test::TorrentFixture::infoHashOf(fixture_.torrentFile());
    QVERIFY(!infoHash.isEmpty());
    test::OpenTracker tracker;
    QCOMPARE(tracker.start({infoHash}), QString());
    const QString torrent = work.filePath("tracked.torrent");
    const QString url = udp ? tracker.udpAnnounceUrl() : tracker.httpAnnounceUrl();
    QCOMPARE(fixture_.makeTorrent({url}, torrent), QString());
    QCOMPARE(test::TorrentFixture::infoHashOf(torrent), infoHash);  // the same info dict

    test::LibtorrentPeer seeder({torrent, fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    // Only once the tracker knows the seeder: our first announce then finds it
    // (otherwise the next announce would come after the tracker's interval).
    QVERIFY(tracker.waitForSwarm(infoHash, 1, 30000));
    QTemporaryDir out;
    Session session;
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = out.path().toStdString();
    const TaskId id = session.add(params);
    auto end = session.waitForEnd(id, 60s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot s = session.latest(id);
    QVERIFY(s.torrent.has_value());
    QCOMPARE(s.torrent->trackers.size(), std::size_t{1});
    QCOMPARE(s.torrent->trackers[0].url, url.toStdString());
    QVERIFY(s.torrent->trackers[0].peers >= 1);
  }

  void seedToLibtorrent() {
    QTemporaryDir leech;
    test::LibtorrentPeer leecher({fixture_.torrentFile(), leech.path(), {}});
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
