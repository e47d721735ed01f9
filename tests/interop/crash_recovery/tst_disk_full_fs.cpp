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
    test::LibtorrentPeerOptions options;
    options.torrentFile = fixture_.torrentFile();
    options.dataDir = fixture_.contentParent();
    test::LibtorrentPeer seeder(options);
    QCOMPARE(seeder.start(), QString());
    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = (disk.path() + "/out").toStdString();
    params.peers = {seeder.address().toStdString()};
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

    auto failed = session.waitForEvent(id, {Event::Kind::Failed, Event::Kind::Completed}, 60s);
    QVERIFY2(failed, "neither failed nor completed within 60 s");
    QVERIFY2(failed->kind == Event::Kind::Failed, "completed on a disk with no room for it");
    QVERIFY2(failed->error == ErrorCode::DiskFull, failed->message.c_str());
    const TaskSnapshot atFailure = session.settledSnapshot(id);
    QCOMPARE(atFailure.state, TaskState::Failed);
    QCOMPARE(atFailure.error, ErrorCode::DiskFull);
    QVERIFY(atFailure.verifiedBytes >= verifiedFirst);
    QVERIFY(atFailure.verifiedBytes <= static_cast<std::uint64_t>(kLeftFree));
    // It stays stopped and keeps what it had; the engine still answers.
    const TaskSnapshot later = session.settledSnapshot(id);
    QCOMPARE(later.state, TaskState::Failed);
    QCOMPARE(later.verifiedBytes, atFailure.verifiedBytes);

    QVERIFY(QFile::remove(filler));
    const int failures = session.eventCount(id, Event::Kind::Failed);
    session.engine().resume(id);
    // Until it completes: what it verified before is never lost on the way
    // (no reset to 0 and download again).
    std::uint64_t leastVerified = atFailure.verifiedBytes;
    std::optional<Event> done;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (!done && session.eventCount(id, Event::Kind::Failed) == failures &&
           std::chrono::steady_clock::now() < deadline) {
      done = session.waitForEvent(id, {Event::Kind::Completed}, 50ms);
      leastVerified = std::min(leastVerified, session.latest(id).verifiedBytes);
    }
    QVERIFY2(done, qPrintable("not completed after the resume: " +
                              QString::fromStdString(session.latest(id).errorDetail)));
    QCOMPARE(leastVerified, atFailure.verifiedBytes);
    QCOMPARE(verify(), QString());
    const TaskSnapshot end = session.settledSnapshot(id);
    const std::uint64_t again = end.traffic.downloaded() - atFailure.traffic.downloaded();
    QVERIFY2(again + atFailure.verifiedBytes <= end.totalBytes + 4 * kMiB,
             qPrintable(QString("fetched %1 after the resume, %2 verified before, %3 in all")
                            .arg(again)
                            .arg(atFailure.verifiedBytes)
                            .arg(end.totalBytes)));
    session.stop();
  }

  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestDiskFullFs)
#include "tst_disk_full_fs.moc"
