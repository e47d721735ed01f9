// Issue 8, "files missing": a torrent whose downloaded files were deleted or
// moved while the engine was not running (or whose drive is not there) must
// say so and wait, never quietly start from 0% and fetch everything again.
// Resume keeps saying so; Recheck is the user's "download them again", and
// Set location the way to point the task at where the files are now.
#include <QDir>
#include <QFile>
#include <QtTest>

#include <chrono>
#include <functional>

#include "../bt_download/TorrentFixture.h"
#include "ResumeTestSteps.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

class TestFilesMissing : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(8, 29), QString());
  }

  void vanishedFilesStopTheTaskUntilRecheck() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir state;
    QTemporaryDir out;
    const auto keepState = test::keepStateIn(state);
    test::downloadOnce(fixture_, keepState, out.path(), seeder.address());
    if (QTest::currentTestFailed()) {
      return;
    }
    QCOMPARE(fixture_.verify(out.path()), QString());

    // The whole download folder moved away, as to another drive.
    QTemporaryDir elsewhere;
    const QString moved = elsewhere.filePath("moved");
    QVERIFY(QDir().rename(out.path(), moved));

    Session session(keepState);  // the task comes back as task 1
    auto failed = session.waitForEnd(1, 60s);
    QVERIFY2(failed && failed->kind == Event::Kind::Failed,
             failed ? failed->message.c_str() : "timeout");
    QCOMPARE(failed->error, ErrorCode::FileMissing);
    QVERIFY2(failed->message.find("files missing") != std::string::npos, failed->message.c_str());
    QVERIFY(session.waitForSnapshot(1, [](const TaskSnapshot& s) {
      return s.state == TaskState::Failed && s.error == ErrorCode::FileMissing;
    }));
    // Nothing claimed, fetched or created meanwhile.
    QCOMPARE(session.latest(1).verifiedBytes, std::uint64_t{0});
    QVERIFY(!QDir(out.path()).exists() || QDir(out.path()).isEmpty());

    // Resume is not a way round it: the files are still missing.
    session.engine().resume(1);
    QVERIFY(session.waitForSnapshot(1, [](const TaskSnapshot& s) {
      return s.state == TaskState::Failed && s.error == ErrorCode::FileMissing;
    }));
    QTRY_COMPARE_WITH_TIMEOUT(session.eventCount(1, Event::Kind::Failed), 2, 30000);
    QVERIFY(!QDir(out.path()).exists() || QDir(out.path()).isEmpty());
    session.stop();

    // Nor is a restart: what the task knew about its files survives it.
    Session again(keepState);
    auto stillMissing = again.waitForEnd(1, 60s);
    QVERIFY2(stillMissing && stillMissing->error == ErrorCode::FileMissing,
             stillMissing ? stillMissing->message.c_str() : "timeout");
    QVERIFY(!QDir(out.path()).exists() || QDir(out.path()).isEmpty());

    // Recheck: the user's choice to get them again.
    again.engine().recheck(1);
    auto end = again.waitForEvent(1, {Event::Kind::Completed}, 120s);
    QVERIFY2(end.has_value(), "the rechecked task did not complete");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  // The files were moved by hand: Set location to where they are now, and
  // the task is whole again without fetching a byte (a rename keeps the
  // files' size and time, so the resume data holds and nothing is hashed).
  void setLocationFindsMovedFiles() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir state;
    QTemporaryDir out;
    const auto keepState = test::keepStateIn(state);
    test::downloadOnce(fixture_, keepState, out.path(), seeder.address());
    if (QTest::currentTestFailed()) {
      return;
    }
    QTemporaryDir elsewhere;
    const QString moved = elsewhere.filePath("moved");
    QVERIFY(QDir().rename(out.path(), moved));

    Session session(keepState);
    auto failed = session.waitForEnd(1, 60s);
    QVERIFY(failed && failed->error == ErrorCode::FileMissing);
    const std::uint64_t btBefore = session.latest(1).traffic.bt;
    session.engine().setLocation(1, moved.toStdString());
    QVERIFY(session.waitForSnapshot(
        1,
        [&](const TaskSnapshot& s) {
          return s.state == TaskState::Completed && s.totalBytes > 0 &&
                 s.verifiedBytes == s.totalBytes && s.saveDir == moved.toStdString();
        },
        60s));
    QCOMPARE(session.latest(1).traffic.bt, btBefore);  // nothing fetched
    QCOMPARE(fixture_.verify(moved), QString());
    session.stop();

    // The new place is kept: the next start finds the task whole there.
    Session again(keepState);
    QVERIFY(again.waitForSnapshot(1, [&](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.verifiedBytes == s.totalBytes &&
             s.saveDir == moved.toStdString();
    }));
  }

  // A task whose files are where they should be: Set location moves them.
  void setLocationMovesTheFiles() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    QTemporaryDir target;
    Session session;
    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = out.path().toStdString();
    params.peers = {seeder.address().toStdString()};
    const TaskId id = session.add(params);
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    const QString to = target.filePath("new place");
    session.engine().setLocation(id, to.toStdString());
    QVERIFY(session.waitForSnapshot(
        id,
        [&](const TaskSnapshot& s) {
          return s.state == TaskState::Completed && s.verifiedBytes == s.totalBytes &&
                 s.saveDir == to.toStdString();
        },
        60s));
    QCOMPARE(fixture_.verify(to), QString());
    QVERIFY2(QDir(out.path()).isEmpty(), "the old folder still holds the files");
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestFilesMissing)
#include "tst_files_missing.moc"
