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
#include <fcntl.h>
#include <sys/stat.h>

#include <QCryptographicHash>
#include <QFile>
#include <QtTest>

#include <chrono>

#include "support/EngineSession.h"

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

bool writeKeepingTime(const QString& path, qint64 offset, const QByteArray& bytes) {
  struct stat before {};
  if (::stat(path.toLocal8Bit().constData(), &before) != 0) {
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::ReadWrite) || !f.seek(offset) || f.write(bytes) != bytes.size()) {
    return false;
  }
  f.close();
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  return ::utimensat(AT_FDCWD, path.toLocal8Bit().constData(), times, 0) == 0;
}

}  // namespace

class TestDirtyMarkerRestore : public QObject {
  Q_OBJECT

 private slots:
  void unclaimedPiecesAreHashedOnlyAfterAnUncleanExit() {
    QTemporaryDir state;
    QTemporaryDir out;
    const QString stateDir = state.filePath("st");
    const QString marker = stateDir + "/engine.dirty";
    const auto keepState = [&](EngineConfig& config) { config.stateDir = stateDir.toStdString(); };
    const QByteArray content = test::randomBytes(kPieces * kPiece, 11);
    const QString torrent = out.filePath("t.torrent");
    const QString data = out.filePath("a.bin");
    {
      QFile t(torrent);
      QVERIFY(t.open(QIODevice::WriteOnly));
      t.write(torrentFor(content));
      // Pieces 0 and 1 there; the rest zeros (the file at its full size).
      QFile d(data);
      QVERIFY(d.open(QIODevice::WriteOnly));
      d.write(content.left(2 * kPiece) + QByteArray((kPieces - 2) * kPiece, '\0'));
    }
    const auto checked = [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; };
    {
      Session session(keepState);
      AddParams params;
      params.source = torrent.toStdString();
      params.saveDir = out.path().toStdString();
      const TaskId id = session.add(params);
      QVERIFY(session.waitForSnapshot(id, checked, 30s));
      QCOMPARE(session.latest(id).verifiedBytes, std::uint64_t(2 * kPiece));
      QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 10000);
      session.stop();
    }
    QVERIFY2(!QFileInfo::exists(marker), "a clean exit left the marker");

    // Written after the last save: piece 2 right, piece 3 torn.
    QVERIFY(writeKeepingTime(data, 2 * kPiece, content.mid(2 * kPiece, kPiece)));
    QVERIFY(writeKeepingTime(data, 3 * kPiece, test::randomBytes(kPiece, 12)));
    {
      Session session(keepState);  // after a clean exit: the resume data as it is
      QVERIFY(session.waitForSnapshot(1, checked, 30s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, std::uint64_t(2 * kPiece));
      session.stop();
    }
    {
      QFile left(marker);  // as a crash leaves it
      QVERIFY(left.open(QIODevice::WriteOnly));
    }
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
};

QTEST_GUILESS_MAIN(TestDirtyMarkerRestore)
#include "tst_dirty_marker_restore.moc"
