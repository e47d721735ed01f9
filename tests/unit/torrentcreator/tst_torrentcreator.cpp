// bt::makeTorrent(): what it writes, read back through bt::parseMetainfo, with
// the piece hashes checked against a plain SHA-1 of the content.
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <vector>

#include "CreatorFiles.h"
#include "engine/bt/Metainfo.h"
#include "engine/bt/TorrentCreator.h"
#include "engine/codec/Bencode.h"

using namespace tributary;
using namespace tributary::bt;
using test::pieceHashes;
using test::writePatternFile;

namespace {

constexpr std::int64_t kDate = 1700000000;

CreateTorrentParams paramsFor(const QString& path, std::uint64_t pieceSize) {
  CreateTorrentParams params;
  params.path = path.toStdString();
  params.pieceSize = pieceSize;
  params.creationDate = kDate;
  return params;
}

QByteArray hashesOf(const Metainfo& meta) {
  return QByteArray::fromStdString(meta.pieceHashes);
}

std::vector<std::string> pathsOf(const Metainfo& meta) {
  std::vector<std::string> out;
  for (const auto& file : meta.files) {
    out.push_back(file.path);
  }
  return out;
}

}  // namespace

class TestTorrentCreator : public QObject {
  Q_OBJECT

 private slots:
  void singleFile() {
    QTemporaryDir dir;
    const QByteArray data = writePatternFile(dir.filePath("movie.mkv"), 100'000, 1);
    CreateTorrentParams params = paramsFor(dir.filePath("movie.mkv"), 16 * 1024);
    params.trackers = {"http://127.0.0.1:6969/announce"};
    params.webSeeds = {"http://127.0.0.1/movie.mkv"};
    params.comment = "a comment";
    params.createdBy = "Tributary 9.9";
    const auto created = makeTorrent(params, {});
    QVERIFY2(created, created ? "" : created.error().toString().c_str());
    const auto meta = parseMetainfo(created.value().bytes);
    QVERIFY2(meta, meta ? "" : meta.error().toString().c_str());
    const Metainfo& m = meta.value();
    QCOMPARE(m.name, std::string("movie.mkv"));
    QVERIFY(!m.multiFile);
    QCOMPARE(m.totalLength, 100'000);
    QCOMPARE(m.pieceLength, 16 * 1024);
    QCOMPARE(m.pieceCount(), 7u);
    QCOMPARE(hashesOf(m), pieceHashes(data, 16 * 1024));
    QCOMPARE(m.trackerTiers,
             std::vector<std::vector<std::string>>{{"http://127.0.0.1:6969/announce"}});
    QCOMPARE(m.webSeeds, std::vector<std::string>{"http://127.0.0.1/movie.mkv"});
    QCOMPARE(m.comment, std::string("a comment"));
    QCOMPARE(m.createdBy, std::string("Tributary 9.9"));
    QCOMPARE(m.creationDate, std::optional<std::int64_t>(kDate));
    QVERIFY(!m.isPrivate);

    const CreatedTorrent& c = created.value();
    QCOMPARE(c.infoHashHex, m.infoHashHex());
    QCOMPARE(c.name, std::string("movie.mkv"));
    QCOMPARE(c.totalBytes, 100'000u);
    QCOMPARE(c.pieceSize, 16u * 1024);
    QCOMPARE(c.pieceCount, 7u);
    QCOMPARE(c.fileCount, 1u);
  }

  // The info dictionary holds exactly what mktorrent puts there, so the hashes agree.
  void infoDictionaryKeys() {
    QTemporaryDir dir;
    writePatternFile(dir.filePath("c/a"), 10, 2);
    CreateTorrentParams params = paramsFor(dir.filePath("c"), 16 * 1024);
    params.isPrivate = true;
    const auto created = makeTorrent(params, {});
    QVERIFY(created);
    const auto doc = codec::decodeBencode(created.value().bytes);
    QVERIFY(doc);
    std::vector<std::string> keys;
    for (const auto& entry : doc.value().root().findDict("info").entries()) {
      keys.emplace_back(entry.key);
    }
    QCOMPARE(keys,
             (std::vector<std::string>{"files", "name", "piece length", "pieces", "private"}));
    std::vector<std::string> top;
    for (const auto& entry : doc.value().root().entries()) {
      top.emplace_back(entry.key);
    }
    // No tracker, no web seed, no comment: those keys are left out.
    QCOMPARE(top, (std::vector<std::string>{"created by", "creation date", "info"}));
    QVERIFY(parseMetainfo(created.value().bytes).value().isPrivate);
  }

  void folderWithNestedDirsAndEmptyFile() {
    QTemporaryDir dir;
    const QString root = dir.filePath("content");
    // Written out of order; sizes make pieces straddle every file boundary.
    struct Entry {
      const char* path;
      qint64 size;
    };
    const std::vector<Entry> sorted = {
        {".hidden", 5},           {"B/upper.bin", 20'000}, {"a-x", 1},           {"a.txt", 40'000},
        {"a/b/deep.bin", 70'001}, {"a/empty.dat", 0},      {"z.bin", 16 * 1024},
    };
    QByteArray stream;
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
      writePatternFile(root + '/' + it->path, it->size, static_cast<quint32>(it->size));
    }
    for (const auto& entry : sorted) {
      stream += test::patternBytes(entry.size, static_cast<quint32>(entry.size));
    }
    const auto created = makeTorrent(paramsFor(root, 32 * 1024), {});
    QVERIFY2(created, created ? "" : created.error().toString().c_str());
    const auto meta = parseMetainfo(created.value().bytes);
    QVERIFY(meta);
    const Metainfo& m = meta.value();
    QVERIFY(m.multiFile);
    QCOMPARE(m.name, std::string("content"));
    std::vector<std::string> expected;
    for (const auto& entry : sorted) {
      expected.push_back(std::string("content/") + entry.path);
    }
    QCOMPARE(pathsOf(m), expected);  // byte order of the whole path, as mktorrent sorts
    QCOMPARE(m.files[5].length, 0);  // the zero-length file is kept
    QCOMPARE(m.totalLength, stream.size());
    QCOMPARE(hashesOf(m), pieceHashes(stream, 32 * 1024));
    QCOMPARE(created.value().fileCount, 7u);
  }

  void trackersAreTiersAndWebSeedsAList() {
    QTemporaryDir dir;
    writePatternFile(dir.filePath("f"), 1000, 3);
    CreateTorrentParams params = paramsFor(dir.filePath("f"), 0);
    params.trackers = {"http://a/announce", "udp://b:80", "http://a/announce", "https://c/x"};
    params.webSeeds = {"http://w1/", "http://w2/"};
    const auto created = makeTorrent(params, {});
    QVERIFY(created);
    const Metainfo m = parseMetainfo(created.value().bytes).value();
    QCOMPARE(m.trackerTiers, (std::vector<std::vector<std::string>>{
                                 {"http://a/announce"}, {"udp://b:80"}, {"https://c/x"}}));
    QCOMPARE(m.webSeeds, (std::vector<std::string>{"http://w1/", "http://w2/"}));
    const auto doc = codec::decodeBencode(created.value().bytes);
    QCOMPARE(doc.value().root().findString("announce"),
             std::optional<std::string_view>("http://a/announce"));
  }

  void threadsDoNotChangeTheResult() {
    QTemporaryDir dir;
    const QString root = dir.filePath("t");
    for (int i = 0; i < 9; ++i) {
      writePatternFile(root + "/f" + QString::number(i), 1'000'003 * (i + 1), i);
    }
    CreateTorrentParams params = paramsFor(root, 16 * 1024);
    params.hashThreads = 1;
    const auto one = makeTorrent(params, {});
    params.hashThreads = 4;
    const auto four = makeTorrent(params, {});
    params.pieceSize = 0;  // 45 MB: 32 KiB pieces
    const auto automatic = makeTorrent(params, {});
    QVERIFY(one && four && automatic);
    QCOMPARE(one.value().bytes, four.value().bytes);
    QCOMPARE(automatic.value().pieceSize, 32u * 1024);
  }

  void automaticPieceSizes_data() {
    QTest::addColumn<quint64>("total");
    QTest::addColumn<quint64>("expected");
    QTest::newRow("tiny") << quint64{1} << quint64{16 * 1024};
    QTest::newRow("32 MiB - 1") << ((quint64{32} << 20) - 1) << quint64{16 * 1024};
    QTest::newRow("32 MiB") << (quint64{32} << 20) << quint64{32 * 1024};
    QTest::newRow("700 MB") << quint64{700'000'000} << quint64{512 * 1024};
    QTest::newRow("4.7 GB") << quint64{4'700'000'000} << quint64{4 << 20};
    QTest::newRow("1 TiB: capped") << (quint64{1} << 40) << quint64{16 << 20};
  }
  void automaticPieceSizes() {
    QFETCH(quint64, total);
    QFETCH(quint64, expected);
    QCOMPARE(automaticPieceLength(total), expected);
  }

  // Every size gives 1024 to 2048 pieces unless a bound of the piece size stops it.
  void automaticPieceCountStaysNearTheTarget() {
    for (std::uint64_t total = 1000; total < (std::uint64_t{1} << 42); total = total * 7 / 5 + 1) {
      const std::uint64_t size = automaticPieceLength(total);
      const std::uint64_t pieces = (total + size - 1) / size;
      QVERIFY((size & (size - 1)) == 0);
      QVERIFY(size >= 16 * 1024 && size <= 16 << 20);
      if (size > 16 * 1024 && size < (16 << 20)) {
        QVERIFY2(pieces >= 1024 && pieces <= 2048, qPrintable(QString::number(total)));
      }
    }
  }

  void progressReachesTheTotalAndCanCancel() {
    QTemporaryDir dir;
    writePatternFile(dir.filePath("big"), 9 << 20, 4);
    CreateTorrentParams params = paramsFor(dir.filePath("big"), 0);
    params.hashThreads = 1;
    std::vector<std::uint64_t> seen;
    const auto created = makeTorrent(params, [&](std::uint64_t done, std::uint64_t total) {
      seen.push_back(done);
      return total == (9u << 20);
    });
    QVERIFY(created);
    QVERIFY(seen.size() >= 3);  // 4 MiB chunks, then the final call
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QCOMPARE(seen.back(), 9u << 20);

    int calls = 0;
    const auto cancelled = makeTorrent(params, [&](std::uint64_t, std::uint64_t) {
      ++calls;
      return false;
    });
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().code, ErrorCode::ShuttingDown);
    QCOMPARE(calls, 1);
  }

  void contentChangingWhileHashingFails() {
    QTemporaryDir dir;
    const QString root = dir.filePath("c");
    writePatternFile(root + "/a", 5 << 20, 5);
    writePatternFile(root + "/b", 1000, 6);
    CreateTorrentParams params = paramsFor(root, 16 * 1024);
    params.hashThreads = 1;
    // After the first chunk of "a", "b" shrinks: its read comes up short.
    auto shrunk = makeTorrent(params, [&](std::uint64_t, std::uint64_t) {
      QFile::resize(root + "/b", 10);
      return true;
    });
    QVERIFY(!shrunk);
    QCOMPARE(shrunk.error().code, ErrorCode::IoError);
    QVERIFY(QString::fromStdString(shrunk.error().detail).contains("changed"));

    writePatternFile(root + "/b", 1000, 6);
    auto grown = makeTorrent(params, [&](std::uint64_t, std::uint64_t) {
      QFile::resize(root + "/b", 2000);
      return true;
    });
    QVERIFY(!grown);
    QCOMPARE(grown.error().code, ErrorCode::IoError);
  }
};

QTEST_GUILESS_MAIN(TestTorrentCreator)
#include "tst_torrentcreator.moc"
