// The check of existing data on a sparse file (what a download leaves after a
// crash, or what a user adds beside a partial file): pieces that are all
// holes read as zeros, so the check compares their hash with that of zeros
// instead of reading and hashing them (storage::File::hasDataIn, SEEK_DATA).
// A piece whose real content is zeros is found in a hole; a hole where the
// torrent wants other bytes is not taken; written pieces are hashed as ever,
// and a damaged one is not taken either. No network: the task has no peers.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>
#include <chrono>

#include "engine/api/TorrentCreator.h"
#include "engine/storage/FaultInjectingFileIo.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kPiece = 256 * 1024;
constexpr int kPieces = 8;
constexpr int kZeroPiece = 2;     // its real content is zeros
constexpr int kDamagedPiece = 5;  // written, with the wrong bytes

bool writeAt(QFile& file, qint64 offset, const QByteArray& bytes) {
  return file.seek(offset) && file.write(bytes) == bytes.size();
}

// Whether this folder's file system reports holes (SEEK_DATA): a fresh
// sparse file with data only at its end.
bool reportsHoles(const QString& dir) {
  const QString path = dir + "/probe";
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !writeAt(file, 8 * kPiece, "x")) {
    return false;
  }
  file.close();
  const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
  const off_t next = fd >= 0 ? ::lseek(fd, 0, SEEK_DATA) : -1;
  if (fd >= 0) {
    ::close(fd);
  }
  QFile::remove(path);
  return next > 0;
}

}  // namespace

class TstSparseCheck : public QObject {
  Q_OBJECT

 private slots:
  void holesAreNotReadAndZerosAreFound() {
    QTemporaryDir seed;
    QTemporaryDir out;
    if (!reportsHoles(out.path())) {
      QSKIP("this file system does not report holes (SEEK_DATA)");
    }
    QByteArray content = test::randomBytes(kPieces * kPiece, 5);
    content.replace(kZeroPiece * kPiece, kPiece, QByteArray(kPiece, '\0'));
    {
      QFile file(seed.filePath("s.bin"));
      QVERIFY(file.open(QIODevice::WriteOnly) && file.write(content) == content.size());
    }
    CreateTorrentParams create;
    create.path = seed.filePath("s.bin").toStdString();
    create.pieceSize = kPiece;
    create.creationDate = 0;
    auto made = createTorrent(create);
    QVERIFY(made);
    const QString torrent = seed.filePath("s.torrent");
    {
      QFile file(torrent);
      QVERIFY(file.open(QIODevice::WriteOnly));
      QVERIFY(file.write(QByteArray::fromStdString(made.value().bytes)) > 0);
    }
    // The download as a crash may leave it: full length, pieces 0 and 1
    // written, one piece damaged, the rest never written (holes).
    {
      QFile file(out.filePath("s.bin"));
      QVERIFY(file.open(QIODevice::WriteOnly));
      QVERIFY(file.resize(content.size()));
      QVERIFY(writeAt(file, 0, content.left(2 * kPiece)));
      QVERIFY(writeAt(file, kDamagedPiece * kPiece, QByteArray(kPiece, 'z')));
    }

    auto io = std::make_shared<storage::FaultInjectingFileIo>(storage::systemFileIo());
    test::EngineSession session(io);
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = out.path().toStdString();
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading && s.torrent; },
        20s));
    const TaskSnapshot s = session.settledSnapshot(id);
    // Pieces 0, 1 (written) and 2 (zeros, in a hole); not 5 nor the holes
    // that should hold other bytes.
    QCOMPARE(s.torrent->piecesHave, std::uint32_t(3));
    QCOMPARE(s.verifiedBytes, std::uint64_t(3 * kPiece));
    // Only the three written pieces were read, not the five holes.
    QVERIFY2(io->bytesReadSeen() <= std::uint64_t(3 * kPiece),
             qPrintable(QString::number(io->bytesReadSeen())));
  }
};

QTEST_GUILESS_MAIN(TstSparseCheck)
#include "tst_sparse_check.moc"
