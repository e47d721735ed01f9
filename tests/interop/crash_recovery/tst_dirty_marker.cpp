// Issue 8, the dirty marker: a run that ends without its final save (crash,
// SIGKILL, power cut) leaves <state>/engine.dirty, and the next start hashes
// the pieces the torrents' resume data does not claim but that may be on disk,
// instead of downloading them again; a clean exit removes it.
//
// How the test makes "pieces written after the last save": a torrent's files
// are copied in with a gap of zeros in b.bin; a first run checks them and saves
// resume data claiming all but the gap. Then most of the gap is written with
// the right bytes and its tail with garbage (a torn write), and b.bin's time
// is put back to the nanosecond, as it looks when a piece landed between the
// save's snapshot of verified pieces and its stat of the files, or within the
// file system's timestamp granularity. Without the marker such a file is
// trusted as the resume data says (the gap is absent); with it, the written
// part is hashed and kept, and only the torn tail is fetched from the seeder.
#include <QDirIterator>
#include <QFile>
#include <QtTest>

#include <chrono>

#include "../bt_download/TorrentFixture.h"
#include "../resume/ResumeTestSteps.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/TestFiles.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;
using test::overwriteKeepingTime;

namespace {

constexpr qint64 kMiB = 1 << 20;
constexpr qint64 kPiece = 256 * 1024;  // mktorrent -l 18
// In b.bin (8 MiB + 3): zeros at first, then right bytes and a torn tail.
constexpr qint64 kGapStart = 1 * kMiB;
constexpr qint64 kGapEnd = 7 * kMiB;
constexpr qint64 kTornStart = kGapEnd - 3 * kMiB / 2;

bool copyTree(const QString& from, const QString& to) {
  for (QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
    const QString path = it.next();
    const QString target = to + path.mid(from.size());
    if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(path, target)) {
      return false;
    }
  }
  return true;
}

QByteArray slice(const QString& path, qint64 offset, qint64 size) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly) || !f.seek(offset)) {
    return {};
  }
  return f.read(size);
}

}  // namespace

class TestDirtyMarker : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 41), QString());
  }

  void unclaimedPiecesAreVerifiedAfterAnUncleanExit() {
    QTemporaryDir state;
    QTemporaryDir out;
    const auto keepState = test::keepStateIn(state);
    const QString marker = state.filePath("st/engine.dirty");
    const QString seedB = fixture_.contentParent() + "/content/sub/b.bin";
    const QString b = out.filePath("content/sub/b.bin");
    QVERIFY(copyTree(fixture_.contentParent(), out.path()));
    QVERIFY(overwriteKeepingTime(b, kGapStart, QByteArray(kGapEnd - kGapStart, '\0')));

    AddParams params;
    params.source = fixture_.torrentFile().toStdString();
    params.saveDir = out.path().toStdString();
    std::uint64_t claimed = 0;
    {
      // Checks what is there, claims all but the gap; no peers.
      Session session(keepState);
      const TaskId id = session.add(params);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 60s));
      // The engine marks the folder while it runs.
      QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 10000);
      claimed = session.settledSnapshot(id).verifiedBytes;
      session.stop();
    }
    QVERIFY2(!QFileInfo::exists(marker), "a clean exit leaves the marker behind");
    const std::uint64_t total = 16 * kMiB;
    QVERIFY(claimed < total - static_cast<std::uint64_t>(kGapEnd - kGapStart) + 2 * kPiece);

    // Written since the last save: the right bytes, then a torn tail.
    QVERIFY(overwriteKeepingTime(b, kGapStart, slice(seedB, kGapStart, kTornStart - kGapStart)));
    QVERIFY(overwriteKeepingTime(b, kTornStart, test::randomBytes(kGapEnd - kTornStart, 7)));

    {
      // A clean exit before: nothing is verified again (the gap stays absent).
      Session session(keepState);
      QVERIFY(session.waitForSnapshot(
          1, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 60s));
      QCOMPARE(session.settledSnapshot(1).verifiedBytes, claimed);
      session.stop();
    }
    QVERIFY(!QFileInfo::exists(marker));

    // As a crash leaves it.
    {
      QFile left(marker);
      QVERIFY(left.open(QIODevice::WriteOnly));
    }
    {
      Session session(keepState);
      QVERIFY(session.waitForStats([](const EngineStats& s) { return s.listenPort != 0; }));
      const std::uint16_t port = session.stats().listenPort;
      // The check hashed the written part of the gap and kept it.
      QVERIFY(session.waitForSnapshot(
          1, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 60s));
      const std::uint64_t afterCheck = session.latest(1).verifiedBytes;
      QVERIFY2(afterCheck + 2 * kPiece >= claimed + (kTornStart - kGapStart),
               qPrintable(QString("%1 bytes verified after the check, %2 claimed before")
                              .arg(afterCheck)
                              .arg(claimed)));
      // Now the rest, from a seeder that dials us.
      test::LibtorrentPeerOptions options;
      options.torrentFile = fixture_.torrentFile();
      options.dataDir = fixture_.contentParent();
      options.connectTo = {QStringLiteral("127.0.0.1:%1").arg(port)};
      test::LibtorrentPeer seeder(options);
      QCOMPARE(seeder.start(), QString());
      auto end = session.waitForEnd(1, 120s);
      QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
      const TaskSnapshot done = session.settledSnapshot(1);
      session.stop();
      QCOMPARE(fixture_.verify(out.path()), QString());
      // The torn tail (and the piece it starts in) came again; the right
      // bytes written before it did not.
      const auto fetched = static_cast<qint64>(done.traffic.bt);
      const qint64 torn = kGapEnd - kTornStart;
      QVERIFY2(fetched >= torn && fetched <= torn + 3 * kPiece,
               qPrintable(QString("fetched %1 bytes; the torn tail is %2, the whole gap %3")
                              .arg(fetched)
                              .arg(torn)
                              .arg(kGapEnd - kGapStart)));
    }
    QVERIFY2(!QFileInfo::exists(marker), "a clean exit leaves the marker behind");
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestDirtyMarker)
#include "tst_dirty_marker.moc"
