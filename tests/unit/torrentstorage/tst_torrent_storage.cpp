// TorrentLayout and TorrentStorage: spans across file boundaries, zero-length and
// padding files, skipped files never created, paths that could leave the task's
// folder refused, the open-file cap, removal, and a full disk.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "engine/storage/FaultInjectingFileIo.h"
#include "engine/storage/TorrentStorage.h"

using namespace tributary;
using namespace tributary::storage;

namespace {

std::vector<std::byte> randomStream(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> bytes(size);
  for (auto& b : bytes) {
    b = static_cast<std::byte>(rng());
  }
  return bytes;
}

QByteArray slice(const std::vector<std::byte>& stream, std::uint64_t from, std::uint64_t n) {
  return QByteArray(reinterpret_cast<const char*>(stream.data() + from), static_cast<qsizetype>(n));
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// a (100) | empty (0) | pad (28, padding) | dir/b (300) | dir/sub/c (50): 478 bytes, pieces of 64.
std::vector<LayoutFile> sampleFiles() {
  return {{"a", 100, false},
          {"empty", 0, false},
          {".pad/28", 28, true},
          {"dir/b", 300, false},
          {"dir/sub/c", 50, false}};
}

}  // namespace

class TstTorrentStorage : public QObject {
  Q_OBJECT

 private slots:
  void layoutMapsPiecesToFiles() {
    auto layout = TorrentLayout::create(sampleFiles(), 64);
    QVERIFY(layout);
    const TorrentLayout& l = layout.value();
    QCOMPARE(l.totalLength(), std::uint64_t{478});
    QCOMPARE(l.pieceCount(), std::uint32_t{8});
    QCOMPARE(l.pieceSize(7), std::uint64_t{478 - 7 * 64});
    std::vector<FileSpan> spans;
    l.spans(64, 128, spans);  // pieces 1-2: the end of a, the padding, the start of b
    QCOMPARE(spans.size(), std::size_t{3});
    QCOMPARE(spans[0].file, std::size_t{0});
    QCOMPARE(spans[0].fileOffset, std::uint64_t{64});
    QCOMPARE(spans[0].length, std::uint64_t{36});
    QCOMPARE(spans[1].file, std::size_t{2});
    QCOMPARE(spans[1].length, std::uint64_t{28});
    QCOMPARE(spans[2].file, std::size_t{3});
    QCOMPARE(spans[2].fileOffset, std::uint64_t{0});
    QCOMPARE(spans[2].length, std::uint64_t{64});
    QCOMPARE(spans[2].streamOffset, std::uint64_t{128});
    QCOMPARE(l.piecesOfFile(0), std::make_pair(std::uint32_t{0}, std::uint32_t{1}));
    QCOMPARE(l.piecesOfFile(3), std::make_pair(std::uint32_t{2}, std::uint32_t{6}));
    QVERIFY(l.piecesOfFile(1).first > l.piecesOfFile(1).second);  // zero-length: none
  }

  void unsafePathsAreRefused_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("parent") << "../x";
    QTest::newRow("inner parent") << "a/../../x";
    QTest::newRow("absolute") << "/etc/passwd";
    QTest::newRow("dot") << "a/./b";
    QTest::newRow("empty part") << "a//b";
    QTest::newRow("drive") << "C:/x";
    QTest::newRow("backslash") << "a\\..\\x";
    QTest::newRow("empty") << "";
  }
  void unsafePathsAreRefused() {
    QFETCH(QString, path);
    QVERIFY(!TorrentLayout::create({{path.toStdString(), 10, false}}, 16));
  }

  void writesAndReadsAcrossFiles() {
    QTemporaryDir dir;
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(systemFileIo(), dir.path().toStdString(), layout, 2);
    const auto stream = randomStream(478, 7);
    // Piece by piece, out of order, as a swarm delivers them.
    for (std::uint32_t piece : {3u, 0u, 7u, 1u, 5u, 2u, 6u, 4u}) {
      const auto begin = layout->pieceOffset(piece);
      const auto size = layout->pieceSize(piece);
      QVERIFY(storage.write(begin, std::span(stream).subspan(begin, size)));
    }
    QVERIFY(storage.createEmptyFiles());
    QVERIFY(storage.sync());
    QCOMPARE(readAll(dir.filePath("a")), slice(stream, 0, 100));
    QCOMPARE(readAll(dir.filePath("dir/b")), slice(stream, 128, 300));
    QCOMPARE(readAll(dir.filePath("dir/sub/c")), slice(stream, 428, 50));
    QVERIFY(QFileInfo::exists(dir.filePath("empty")));
    QVERIFY(!QFileInfo::exists(dir.filePath(".pad")));  // padding never reaches the disk

    std::vector<std::byte> back(478);
    QVERIFY(storage.read(0, back));
    // The padding reads as zeros, the rest as written.
    QCOMPARE(slice(back, 0, 100), slice(stream, 0, 100));
    QCOMPARE(slice(back, 100, 28), QByteArray(28, '\0'));
    QCOMPARE(slice(back, 128, 350), slice(stream, 128, 350));
    const auto sizes = storage.fileSizes();
    QCOMPARE(sizes[3], std::int64_t{300});
  }

  void skippedFilesAreNeverCreated() {
    QTemporaryDir dir;
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(systemFileIo(), dir.path().toStdString(), layout);
    storage.setWanted({true, false, true, false, true});
    const auto stream = randomStream(478, 8);
    QVERIFY(storage.write(0, stream));
    QVERIFY(storage.createEmptyFiles());
    QVERIFY(QFileInfo::exists(dir.filePath("a")));
    QVERIFY(!QFileInfo::exists(dir.filePath("empty")));
    QVERIFY(!QFileInfo::exists(dir.filePath("dir/b")));
    QCOMPARE(readAll(dir.filePath("dir/sub/c")), slice(stream, 428, 50));
    std::vector<std::byte> b(10);
    auto missing = storage.read(200, b);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::FileMissing);
    QCOMPARE(storage.fileSizes()[3], std::int64_t{-1});
  }

  void shortFileReadsAsMissing() {
    QTemporaryDir dir;
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(systemFileIo(), dir.path().toStdString(), layout);
    QFile a(dir.filePath("a"));
    QVERIFY(a.open(QIODevice::WriteOnly));
    a.write(QByteArray(80, 'x'));  // of 100: piece 0 is there, piece 1 is not
    a.close();
    std::vector<std::byte> piece(64);
    QVERIFY(storage.read(0, piece));
    auto shortRead = storage.read(64, piece);
    QVERIFY(!shortRead);
    QCOMPARE(shortRead.error().code, ErrorCode::FileMissing);
  }

  // onlyHoles: padding alone is zeros; a missing or short file is not "holes"
  // (the read must say what is wrong); a file of that length never written is,
  // where the file system reports holes; written bytes are not.
  void holesAreToldFromData() {
    QTemporaryDir dir;
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(systemFileIo(), dir.path().toStdString(), layout);
    QVERIFY(storage.onlyHoles(100, 28));  // the padding file
    QVERIFY(!storage.onlyHoles(0, 100));  // "a" does not exist
    QFile a(dir.filePath("a"));
    QVERIFY(a.open(QIODevice::WriteOnly) && a.resize(80));
    a.close();
    QVERIFY(!storage.onlyHoles(0, 100));  // short
    QVERIFY(a.open(QIODevice::ReadWrite) && a.resize(100));
    a.close();
    const bool fsReportsHoles = storage.onlyHoles(0, 100);
    QVERIFY(storage.write(64, randomStream(8, 3)));
    QVERIFY(!storage.onlyHoles(0, 128));  // written now
    if (!fsReportsHoles) {
      QSKIP("this file system does not report holes (SEEK_DATA)");
    }
  }

  void removeFilesLeavesTheUsersOwn() {
    QTemporaryDir dir;
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(systemFileIo(), dir.path().toStdString(), layout);
    QVERIFY(storage.write(0, randomStream(478, 9)));
    QFile mine(dir.filePath("dir/notes.txt"));
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.close();
    QVERIFY(storage.removeFiles());
    QVERIFY(!QFileInfo::exists(dir.filePath("a")));
    QVERIFY(!QFileInfo::exists(dir.filePath("dir/b")));
    QVERIFY(!QFileInfo::exists(dir.filePath("dir/sub")));  // made by us, now empty
    QVERIFY(QFileInfo::exists(dir.filePath("dir/notes.txt")));
  }

  void fullDiskIsAnError() {
    QTemporaryDir dir;
    auto io = std::make_shared<FaultInjectingFileIo>(systemFileIo());
    auto layout = std::make_shared<TorrentLayout>(TorrentLayout::create(sampleFiles(), 64).value());
    TorrentStorage storage(io, dir.path().toStdString(), layout);
    io->failWritesAfter(1);
    auto written = storage.write(0, randomStream(478, 10));  // a, then b fails
    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::DiskFull);
  }
};

QTEST_GUILESS_MAIN(TstTorrentStorage)
#include "tst_torrent_storage.moc"
