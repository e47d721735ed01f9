// Fast resume (issue 8): a torrent downloaded with a state folder comes back
// after a restart without hashing its data again where the files are as they
// were saved, and hashes again exactly the files that changed since.
//
// How the test tells: one byte of a file is changed behind the engine's back
// and the file's time put back. Trusted, the task is Completed at once and the
// byte stays wrong (nothing was read). Then the file's time is moved, as a
// write after the last save would: now it is hashed, the piece fails, comes
// again from the seeder, and the content is right.
#include <fcntl.h>
#include <sys/stat.h>

#include <QDirIterator>
#include <QFile>
#include <QtTest>

#include <chrono>
#include <functional>

#include "../bt_download/TorrentFixture.h"
#include "ResumeTestSteps.h"
#include "engine/api/Engine.h"
#include "engine/storage/FaultInjectingFileIo.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

char byteAt(const QString& path, qint64 offset) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly) || !f.seek(offset)) {
    return 0;
  }
  char c = 0;
  f.getChar(&c);
  return c;
}

// Flips one byte in place and puts the modification time back, to the nanosecond.
bool flipByteKeepingTime(const QString& path, qint64 offset) {
  struct stat before {};
  if (::stat(path.toLocal8Bit().constData(), &before) != 0) {
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::ReadWrite) || !f.seek(offset)) {
    return false;
  }
  char c = 0;
  f.getChar(&c);
  f.seek(offset);
  f.putChar(static_cast<char>(c ^ 0x5a));
  f.close();
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  return ::utimensat(AT_FDCWD, path.toLocal8Bit().constData(), times, 0) == 0;
}

bool moveTime(const QString& path) {
  struct stat st {};
  if (::stat(path.toLocal8Bit().constData(), &st) != 0) {
    return false;
  }
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  times[1].tv_sec += 7;
  return ::utimensat(AT_FDCWD, path.toLocal8Bit().constData(), times, 0) == 0;
}

}  // namespace

class TestFastResume : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 23), QString());
  }

  void unchangedFilesAreTrustedChangedOnesHashed() {
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
    const QString resume = resumeFileIn(state);
    QVERIFY2(QFileInfo::exists(resume), qPrintable(resume));

    // The largest file, one byte in its middle.
    const QString target = largestFileIn(out.path());
    const qint64 offset = QFileInfo(target).size() / 2;
    const char good = byteAt(target, offset);
    QVERIFY(flipByteKeepingTime(target, offset));

    {
      Session session(keepState);  // the task comes back as task 1
      QVERIFY(session.waitForSnapshot(1, [](const TaskSnapshot& s) {
        return s.state == TaskState::Completed && s.verifiedBytes == s.totalBytes &&
               s.totalBytes > 0;
      }));
      QVERIFY2(byteAt(target, offset) != good, "the data was hashed: the resume data was not used");
      // Finished before the restart: not announced as newly finished.
      QCOMPARE(session.eventCount(1, Event::Kind::Completed), 0);
      session.stop();
    }

    QVERIFY(moveTime(target));
    Session session(keepState);
    auto end = session.waitForEnd(1, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(byteAt(target, offset), good);
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  // Issue 8: the disk fills up mid-download. The task stops with DiskFull
  // (nothing verified is lost), and resumed once there is room it finishes
  // without fetching again what was already written.
  void diskFullStopsAndResumeFinishes() {
    // ~4 s for the 16 MiB: time to fill the disk.
    test::LibtorrentPeer seeder(test::seederOf(fixture_, 4 * 1024 * 1024));
    QCOMPARE(seeder.start(), QString());
    auto disk = std::make_shared<storage::FaultInjectingFileIo>(storage::systemFileIo());
    QTemporaryDir out;
    Session session(disk);
    const TaskId id = session.add(test::torrentInto(fixture_, out.path(), seeder.address()));
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.verifiedBytes > 4 * 1024 * 1024; }, 60s));
    disk->failWritesAfter(0);  // full from now on
    auto failed = session.waitForEvent(id, {Event::Kind::Failed, Event::Kind::Completed}, 60s);
    QVERIFY(failed && failed->kind == Event::Kind::Failed);
    QCOMPARE(failed->error, ErrorCode::DiskFull);
    const TaskSnapshot atFailure = session.settledSnapshot(id);
    QCOMPARE(atFailure.state, TaskState::Failed);
    QVERIFY(atFailure.verifiedBytes > 4 * 1024 * 1024);

    disk->clearFaults();
    session.engine().resume(id);
    auto done = session.waitForEvent(id, {Event::Kind::Completed}, 120s);
    QVERIFY(done);
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot end = session.settledSnapshot(id);
    // What was verified before the disk filled is not fetched again (the
    // pieces in flight when it filled are, a few at most).
    const std::uint64_t again = end.traffic.bt - atFailure.traffic.bt;
    QVERIFY2(again + atFailure.verifiedBytes <= end.totalBytes + 4 * 1024 * 1024,
             qPrintable(QString("fetched %1 after the resume, %2 verified before, %3 in all")
                            .arg(again)
                            .arg(atFailure.verifiedBytes)
                            .arg(end.totalBytes)));
  }

  // A finished HTTP download comes back finished after a restart and is not
  // started again (it would fetch a second copy, "name (1).bin", next to the
  // first).
  void finishedHttpTaskIsNotFetchedAgain() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    QTemporaryDir root;
    QFile file(root.filePath("f.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(test::randomBytes(256 * 1024, 5));
    file.close();
    test::NginxOptions options;
    options.rootDir = root.path();
    test::NginxServer nginx(options);
    QCOMPARE(nginx.start(), QString());
    QTemporaryDir state;
    QTemporaryDir out;
    const auto keepState = test::keepStateIn(state);
    {
      Session session(keepState);
      const TaskId id = session.add((nginx.baseUrl() + "/f.bin").toStdString(), out.path());
      auto end = session.waitForEnd(id, 30s);
      QVERIFY(end && end->kind == Event::Kind::Completed);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Completed; }));
      session.stop();
    }
    const qsizetype requestsBefore = nginx.accessLog().count(QStringLiteral("/f.bin"));
    {
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(1, [](const TaskSnapshot& s) {
        return s.state == TaskState::Completed && s.totalBytes == 256 * 1024;
      }));
      QCOMPARE(session.eventCount(1, Event::Kind::Completed), 0);  // no news
      session.stop();
    }
    QCOMPARE(nginx.accessLog().count(QStringLiteral("/f.bin")),
             requestsBefore);  // nothing asked again
    QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList{"f.bin"});
  }

  // A damaged resume file costs a full check, never a wrong claim.
  void damagedResumeDataMeansAFullCheck() {
    test::LibtorrentPeer seeder({fixture_.torrentFile(), fixture_.contentParent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir state;
    QTemporaryDir out;
    const auto keepState = test::keepStateIn(state);
    test::downloadOnce(fixture_, keepState, out.path(), seeder.address());
    if (QTest::currentTestFailed()) {
      return;
    }
    const QString resume = resumeFileIn(state);
    QFile file(resume);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    file.seek(0);
    file.write(bytes);
    file.close();
    // And a byte of content changed with its time kept: only hashing finds it.
    const QString target = largestFileIn(out.path());
    QVERIFY(flipByteKeepingTime(target, 1));
    Session session(keepState);
    auto end = session.waitForEnd(1, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

 private:
  QString resumeFileIn(const QTemporaryDir& state) const {
    return state.filePath("st/resume/" + test::TorrentFixture::infoHashOf(fixture_.torrentFile()) +
                          ".resume");
  }
  static QString largestFileIn(const QString& dir) {
    QString largest;
    for (QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
      const QString path = it.next();
      if (largest.isEmpty() || QFileInfo(path).size() > QFileInfo(largest).size()) {
        largest = path;
      }
    }
    return largest;
  }
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestFastResume)
#include "tst_fast_resume.moc"
