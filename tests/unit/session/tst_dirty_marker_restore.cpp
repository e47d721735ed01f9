// The dirty marker (issue 8), without a network: an engine with a state folder
// marks it while it runs and unmarks it at a clean exit; a start that finds
// the marker makes a restored torrent hash the pieces its resume data does not
// claim but that are on disk (and keep the good ones), where a start after a
// clean exit trusts the resume data as it is.
//
// The pieces "written after the last save" are written by the test with the
// file's time put back, as a piece landing between the save's snapshot of
// verified pieces and its stat of the files looks (tst_dirty_marker in
// tests/interop/crash_recovery does the same against a seeder).
#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <functional>

#include "support/EngineSession.h"
#include "support/TestFiles.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr qint64 kPiece = 16384;
constexpr int kPieces = 6;

QByteArray torrentFor(const QByteArray& content) {
  QByteArray hashes;
  for (int i = 0; i < kPieces; ++i) {
    hashes += QCryptographicHash::hash(content.mid(i * kPiece, kPiece), QCryptographicHash::Sha1);
  }
  return "d4:infod6:lengthi" + QByteArray::number(content.size()) +
         "e4:name5:a.bin12:piece lengthi" + QByteArray::number(kPiece) + "e6:pieces" +
         QByteArray::number(hashes.size()) + ":" + hashes + "ee";
}

// A torrent of kPieces pieces in `out`, pieces 0 and 1 on disk and the rest
// zeros (the file at its full size), and an engine state folder.
struct Scene {
  QTemporaryDir state;
  QTemporaryDir out;
  QString stateDir = state.filePath("st");
  QString marker = stateDir + "/engine.dirty";
  QString torrent = out.filePath("t.torrent");
  QString data = out.filePath("a.bin");
  QByteArray content;

  bool create(unsigned seed) {
    content = test::randomBytes(kPieces * kPiece, seed);
    QFile t(torrent);
    QFile d(data);
    return t.open(QIODevice::WriteOnly) && t.write(torrentFor(content)) > 0 &&
           d.open(QIODevice::WriteOnly) &&
           d.write(content.left(2 * kPiece) + QByteArray((kPieces - 2) * kPiece, '\0')) ==
               kPieces * kPiece;
  }
  std::function<void(EngineConfig&)> keepState() const {
    return [dir = stateDir.toStdString()](EngineConfig& config) { config.stateDir = dir; };
  }
  TaskId add(Session& session) const {
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = out.path().toStdString();
    return session.add(params);
  }
  bool leaveMarker() const {  // as a crash leaves it
    QFile left(marker);
    return left.open(QIODevice::WriteOnly);
  }
};

}  // namespace

class TestDirtyMarkerRestore : public QObject {
  Q_OBJECT

 private slots:
  void unclaimedPiecesAreHashedOnlyAfterAnUncleanExit() {
    Scene scene;
    QVERIFY(scene.create(11));
    const QString& marker = scene.marker;
    const QString& data = scene.data;
    const QByteArray& content = scene.content;
    const auto keepState = scene.keepState();
    const auto checked = [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; };
    {
      Session session(keepState);
      const TaskId id = scene.add(session);
      QVERIFY(session.waitForSnapshot(id, checked, 30s));
      QCOMPARE(session.latest(id).verifiedBytes, std::uint64_t(2 * kPiece));
      QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 10000);
      session.stop();
    }
    QVERIFY2(!QFileInfo::exists(marker), "a clean exit left the marker");

    // Written after the last save: piece 2 right, piece 3 torn.
    QVERIFY(test::overwriteKeepingTime(data, 2 * kPiece, content.mid(2 * kPiece, kPiece)));
    QVERIFY(test::overwriteKeepingTime(data, 3 * kPiece, test::randomBytes(kPiece, 12)));
    {
      Session session(keepState);  // after a clean exit: the resume data as it is
      QVERIFY(session.waitForSnapshot(1, checked, 30s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, std::uint64_t(2 * kPiece));
      session.stop();
    }
    QVERIFY(scene.leaveMarker());
    {
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(1, checked, 30s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, std::uint64_t(3 * kPiece));
      session.stop();
    }
    QVERIFY(!QFileInfo::exists(marker));
    {
      // Its resume data now claims piece 2: kept after a clean exit too.
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(1, checked, 30s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, std::uint64_t(3 * kPiece));
      session.stop();
    }
  }

  // A task that stays paused through the run after a crash has not checked
  // its data yet: a clean exit then keeps the marker, so the check is owed to
  // the next run instead of forgotten; that run, once resumed, finds the
  // piece written after the last save.
  void aPausedTaskKeepsItsCheckOwed() {
    Scene scene;
    QVERIFY(scene.create(13));
    const auto keepState = scene.keepState();
    const auto paused = [](const TaskSnapshot& s) { return s.state == TaskState::Paused; };
    {
      Session session(keepState);
      const TaskId id = scene.add(session);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 30s));
      session.engine().pause(id);
      QVERIFY(session.waitForSnapshot(id, paused, 10s));
      session.stop();
    }
    QVERIFY(
        test::overwriteKeepingTime(scene.data, 2 * kPiece, scene.content.mid(2 * kPiece, kPiece)));
    QVERIFY(scene.leaveMarker());
    std::uint64_t verifiedWhilePaused = 0;
    {
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(1, paused, 30s));
      verifiedWhilePaused = session.settledSnapshot(1).verifiedBytes;
      session.stop();
    }
    // Either the paused task checked at start (and found piece 2), or the
    // check is still owed and the marker says so.
    QVERIFY2(verifiedWhilePaused == std::uint64_t(3 * kPiece) || QFileInfo::exists(scene.marker),
             "a clean exit forgot a check owed since the crash");
    {
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(1, paused, 30s));
      session.engine().resume(1);
      QVERIFY(session.waitForSnapshot(
          1, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 30s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, std::uint64_t(3 * kPiece));
      session.stop();
    }
    QVERIFY(!QFileInfo::exists(scene.marker));
  }
};

QTEST_GUILESS_MAIN(TestDirtyMarkerRestore)
#include "tst_dirty_marker_restore.moc"
