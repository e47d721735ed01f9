// Issue 8, disk full on a real file system: the test mounts a small one of its
// own (root only; else it skips, and the fault-injection cases in
// tst_fast_resume and tst_http_download cover it), fills it to leave ~10 MiB,
// and downloads 40 MiB into it. The task must stop with DiskFull, keep every
// piece it had verified, the engine must keep running; once the test deletes
// its filler, Resume finishes the download sha256-exact without fetching
// again what was verified before.
//
// A torrent from a libtorrent seeder on two file systems: tmpfs, and an ext4
// image on a loop device, where piece writes go through O_DIRECT
// (File::bypassCacheForAlignedWrites), so ENOSPC comes back through that path
// too. An HTTP download from nginx on tmpfs: its .part file is allocated in
// full when it opens (PartFile), so there the disk is full before the first
// byte, not midway.
#include <QFile>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <functional>

#include "../bt_download/TorrentFixture.h"
#include "../resume/ResumeTestSteps.h"
#include "ScratchMount.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr qint64 kMiB = 1 << 20;
constexpr int kContentMiB = 40;
constexpr qint64 kLeftFree = 10 * kMiB;

// A file of `bytes` real bytes (not a hole) to take the room; empty on success.
QString fill(const QString& path, qint64 bytes) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return "cannot create " + path;
  }
  const QByteArray chunk(static_cast<int>(kMiB), '\x5a');
  for (qint64 left = bytes; left > 0;) {
    const qint64 n = std::min<qint64>(left, chunk.size());
    if (file.write(chunk.constData(), n) != n) {
      return "cannot fill " + path + ": " + file.errorString();
    }
    left -= n;
  }
  if (!file.flush()) {
    return "cannot fill " + path + ": " + file.errorString();
  }
  return {};
}

}  // namespace

class TestDiskFullFs : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::LibtorrentPeer::available()) {
      QCOMPARE(fixture_.create(kContentMiB, 53), QString());
    }
  }

  void tmpfsFillsUpAndTheTaskRecovers() {
    test::ScratchMount disk;
    if (const QString why = disk.mountTmpfs(64 * kMiB); !why.isEmpty()) {
      QSKIP(qPrintable("no tmpfs to fill: " + why));
    }
    torrentFillsUpAndRecovers(disk);
  }

  void ext4ImageFillsUpAndTheTaskRecovers() {
    test::ScratchMount disk;
    if (const QString why = disk.mountExt4Image(72 * kMiB); !why.isEmpty()) {
      QSKIP(qPrintable("no loop-mounted ext4 image: " + why));
    }
    QVERIFY2(disk.takesDirectWrites(),
             "O_DIRECT refused on ext4: this case would test nothing new");
    torrentFillsUpAndRecovers(disk);
  }

  void tmpfsFillsUpAndAnHttpTaskRecovers() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    test::ScratchMount disk;
    if (const QString why = disk.mountTmpfs(64 * kMiB); !why.isEmpty()) {
      QSKIP(qPrintable("no tmpfs to fill: " + why));
    }
    QTemporaryDir root;
    const QByteArray content = test::randomBytes(kContentMiB * kMiB, 59);
    {
      QFile file(root.filePath("big.bin"));
      QVERIFY(file.open(QIODevice::WriteOnly));
      QCOMPARE(file.write(content), content.size());
    }
    test::NginxOptions options;
    options.rootDir = root.path();
    test::NginxServer nginx(options);
    QCOMPARE(nginx.start(), QString());
    AddParams params;
    params.source = (nginx.baseUrl() + "/big.bin").toStdString();
    params.saveDir = (disk.path() + "/out").toStdString();
    fillUpDownloadAndRecover(disk, params, 0, [&]() -> QString {
      return test::fileContent(disk.path() + "/out/big.bin") == content
                 ? QString()
                 : QStringLiteral("big.bin differs from what nginx served");
    });
  }

 private:
  void torrentFillsUpAndRecovers(const test::ScratchMount& disk) {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    test::LibtorrentPeer seeder(test::seederOf(fixture_));
    QCOMPARE(seeder.start(), QString());
    const AddParams params = test::torrentInto(fixture_, disk.path() + "/out", seeder.address());
    // Pieces land until ~10 MiB are used: most of those are verified.
    fillUpDownloadAndRecover(disk, params, kLeftFree / 2,
                             [&] { return fixture_.verify(disk.path() + "/out"); });
  }

  // `verify`: empty when the download is right. `verifiedFirst`: what the
  // task must have verified before the disk filled.
  void fillUpDownloadAndRecover(const test::ScratchMount& disk, const AddParams& params,
                                std::uint64_t verifiedFirst,
                                const std::function<QString()>& verify) {
    const qint64 free = disk.freeBytes();
    QVERIFY2(free > kContentMiB * kMiB + 2 * kMiB,
             qPrintable(QString("only %1 bytes free on the new file system").arg(free)));
    const QString filler = disk.path() + "/filler.bin";
    QCOMPARE(fill(filler, free - kLeftFree), QString());

    Session session;  // goes before `disk` is unmounted: its files are closed by then
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);

    const TaskSnapshot atFailure = test::waitForFailure(session, id, ErrorCode::DiskFull, 60s);
    if (QTest::currentTestFailed()) {
      return;
    }
    QVERIFY(atFailure.verifiedBytes >= verifiedFirst);
    QVERIFY(atFailure.verifiedBytes <= static_cast<std::uint64_t>(kLeftFree));
    // It stays stopped and keeps what it had; the engine still answers.
    const TaskSnapshot later = session.settledSnapshot(id);
    QCOMPARE(later.state, TaskState::Failed);
    QCOMPARE(later.verifiedBytes, atFailure.verifiedBytes);

    QVERIFY(QFile::remove(filler));
    test::resumeToCompletion(session, id, atFailure, 120s, 4 * kMiB, verify);
    session.stop();
  }

  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestDiskFullFs)
#include "tst_disk_full_fs.moc"
