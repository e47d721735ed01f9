// Issue 8, item 3: a read-only folder. We run as root, and root ignores
// permission bits, so the test mounts a small tmpfs of its own and remounts it
// read-only (root only; else it skips). A torrent (from a libtorrent seeder)
// and an HTTP download (from nginx) saving there must each stop with
// PermissionDenied naming the folder or saying why, the engine must stay up
// and idle (no retrying the disk at full CPU), and nothing may land anywhere
// else instead. Once the folder is writable again, Resume finishes both
// sha256-exact.
//
// A folder that turns read-only mid-download cannot be made for real: the
// kernel refuses to remount read-only (EBUSY) while the engine holds files
// open for writing. There the engine's file I/O is a ReadOnlyFileIo that
// answers EROFS from some moment on, as a kernel that turned a file system
// read-only after an error does, and the torrent must keep every piece it had
// verified.
#include <sys/resource.h>

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QtTest>

#include <cerrno>
#include <chrono>

#include "../bt_download/TorrentFixture.h"
#include "../crash_recovery/ScratchMount.h"
#include "../resume/ResumeTestSteps.h"
#include "ReadOnlyFileIo.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr qint64 kMiB = 1 << 20;
constexpr int kContentMiB = 8;

// User and system CPU time this process has used so far, in seconds.
double cpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Empty when `dir` holds nothing named after the tasks' files; else what it holds.
QString strayFiles(const QString& dir, const QStringList& names) {
  QStringList found;
  for (const QString& name : names) {
    const QStringList hits = QDir(dir).entryList({name + "*"}, QDir::AllEntries | QDir::Hidden);
    for (const QString& hit : hits) {
      found << dir + "/" + hit;
    }
  }
  return found.join(", ");
}

bool explainsReadOnly(const std::string& detail, const QString& folder) {
  const QString text = QString::fromStdString(detail);
  return text.contains(folder) || text.contains("read-only", Qt::CaseInsensitive) ||
         text.contains("permission", Qt::CaseInsensitive);
}

}  // namespace

class TestReadOnlyFolder : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::LibtorrentPeer::available()) {
      QCOMPARE(fixture_.create(kContentMiB, 71), QString());
    }
    content_ = test::randomBytes(kContentMiB * kMiB, 73);
    QFile file(webRoot_.filePath("big.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content_), content_.size());
  }

  void readOnlyFolderStopsBothTasksAndResumeFinishesThem() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    test::ScratchMount disk;
    if (const QString why = disk.mountTmpfs(64 * kMiB); !why.isEmpty()) {
      QSKIP(qPrintable("no tmpfs to make read-only: " + why));
    }
    const QString out = disk.path() + "/out";
    QVERIFY(QDir().mkpath(out));
    if (const QString why = test::runTool("mount", {"-o", "remount,ro", disk.path()});
        !why.isEmpty()) {
      QSKIP(qPrintable("cannot remount the tmpfs read-only: " + why));
    }
    QVERIFY2(!QFile(out + "/probe").open(QIODevice::WriteOnly), "the folder is still writable");

    // A relative path gone wrong would land in the working folder: make it
    // one the test can see is left empty.
    QTemporaryDir cwd;
    const QString oldCwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(cwd.path()));
    const auto restoreCwd = qScopeGuard([&] { QDir::setCurrent(oldCwd); });

    test::LibtorrentPeer seeder(test::seederOf(fixture_));
    QCOMPARE(seeder.start(), QString());
    test::NginxOptions nginxOptions;
    nginxOptions.rootDir = webRoot_.path();
    test::NginxServer nginx(nginxOptions);
    QCOMPARE(nginx.start(), QString());

    // Shared with other processes: only what appears during the test counts.
    const QStringList names{fixture_.name(), "big.bin"};
    const QString strayInTempBefore = strayFiles(QDir::tempPath(), names);

    Session session;  // goes before `disk` is unmounted
    const TaskId torrent = session.add(test::torrentInto(fixture_, out, seeder.address()));
    QVERIFY(torrent != kInvalidTaskId);
    const TaskId http = session.add((nginx.baseUrl() + "/big.bin").toStdString(), out);
    QVERIFY(http != kInvalidTaskId);

    for (const TaskId id : {torrent, http}) {
      const TaskSnapshot failed =
          test::waitForFailure(session, id, ErrorCode::PermissionDenied, 30s);
      if (QTest::currentTestFailed()) {
        return;
      }
      QVERIFY2(explainsReadOnly(failed.errorDetail, out), failed.errorDetail.c_str());
      QCOMPARE(failed.verifiedBytes, std::uint64_t{0});
      qInfo("task %llu stopped: %s", static_cast<unsigned long long>(id),
            failed.errorDetail.c_str());
    }

    // Stopped means stopped: no retrying the disk in a loop, no new failures.
    const double cpuBefore = cpuSeconds();
    const int torrentFailures = session.eventCount(torrent, Event::Kind::Failed);
    const int httpFailures = session.eventCount(http, Event::Kind::Failed);
    QTest::qWait(2000);
    const double cpuUsed = cpuSeconds() - cpuBefore;
    QVERIFY2(cpuUsed < 1.0, qPrintable(QString("%1 s of CPU in 2 s while failed").arg(cpuUsed)));
    QCOMPARE(session.eventCount(torrent, Event::Kind::Failed), torrentFailures);
    QCOMPARE(session.eventCount(http, Event::Kind::Failed), httpFailures);
    QCOMPARE(session.latest(torrent).state, TaskState::Failed);
    QCOMPARE(session.latest(http).state, TaskState::Failed);

    // Nothing went anywhere else instead.
    QCOMPARE(strayFiles(cwd.path(), names), QString());
    QCOMPARE(strayFiles(QDir::tempPath(), names), strayInTempBefore);
    QCOMPARE(strayFiles(disk.path(), names), QString());
    QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());

    QCOMPARE(test::runTool("mount", {"-o", "remount,rw", disk.path()}), QString());
    session.engine().resume(torrent);
    session.engine().resume(http);
    for (const TaskId id : {torrent, http}) {
      auto end = session.waitForEvent(id, {Event::Kind::Completed}, 60s);
      QVERIFY2(end, qPrintable("not completed after the folder became writable: " +
                               QString::fromStdString(session.latest(id).errorDetail)));
      QCOMPARE(session.eventCount(id, Event::Kind::Failed),
               id == torrent ? torrentFailures : httpFailures);
    }
    QCOMPARE(fixture_.verify(out), QString());
    QVERIFY2(test::fileContent(out + "/big.bin") == content_, "big.bin differs from nginx's");
    session.stop();
  }

  void folderTurningReadOnlyMidDownloadKeepsVerifiedPieces() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    // ~2 s for the content: room to turn read-only midway.
    test::LibtorrentPeer seeder(test::seederOf(fixture_, 4 * kMiB));
    QCOMPARE(seeder.start(), QString());

    auto disk = std::make_shared<test::ReadOnlyFileIo>();
    QTemporaryDir out;
    Session session(disk);
    const TaskId id = session.add(test::torrentInto(fixture_, out.path(), seeder.address()));
    QVERIFY(id != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.verifiedBytes >= 2 * kMiB; }, 30s));
    const std::uint64_t verifiedBefore = session.latest(id).verifiedBytes;
    disk->setReadOnly(true);

    const TaskSnapshot atFailure =
        test::waitForFailure(session, id, ErrorCode::PermissionDenied, 30s);
    if (QTest::currentTestFailed()) {
      return;
    }
    QVERIFY2(explainsReadOnly(atFailure.errorDetail, out.path()), atFailure.errorDetail.c_str());
    QVERIFY(atFailure.verifiedBytes >= verifiedBefore);
    QVERIFY(atFailure.verifiedBytes < atFailure.totalBytes);
    qInfo("verified %llu bytes when the folder turned read-only, %llu when the task stopped",
          static_cast<unsigned long long>(verifiedBefore),
          static_cast<unsigned long long>(atFailure.verifiedBytes));

    // Stopped, keeping its pieces, and not knocking on the disk again.
    const int refusals = disk->refusals();
    QTest::qWait(1000);
    const TaskSnapshot later = session.latest(id);
    QCOMPARE(later.state, TaskState::Failed);
    QCOMPARE(later.verifiedBytes, atFailure.verifiedBytes);
    QCOMPARE(disk->refusals(), refusals);

    disk->setReadOnly(false);
    test::resumeToCompletion(session, id, atFailure, 60s, 2 * kMiB,
                             [&] { return fixture_.verify(out.path()); });
    session.stop();
  }

 private:
  test::TorrentFixture fixture_;
  QTemporaryDir webRoot_;
  QByteArray content_;
};

QTEST_GUILESS_MAIN(TestReadOnlyFolder)
#include "tst_read_only_folder.moc"
