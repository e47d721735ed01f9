// inspectTorrentFile(): what the add dialog shows of a .torrent before it is
// added: name, size without padding, info-hash, every file with its path split
// into elements and its padding flag at the index setFilePriorities uses; and
// the refusals (missing, oversize, garbage), each naming the file.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/api/TorrentCreator.h"
#include "engine/api/TorrentInspect.h"
#include "unit/metainfo/TorrentBuilder.h"
#include "unit/torrentcreator/CreatorFiles.h"

using namespace tributary;
using testing::FileSpec;
using Path = std::vector<std::string>;

namespace {

bool writeFile(const QString& path, const std::string& bytes) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) &&
         file.write(bytes.data(), static_cast<qint64>(bytes.size())) ==
             static_cast<qint64>(bytes.size());
}

}  // namespace

class TestTorrentInspect : public QObject {
  Q_OBJECT

 private slots:
  void matchesTheCreatorsSummary() {
    QTemporaryDir dir;
    test::writePatternFile(dir.filePath("share/one.bin"), 50'000, 1);
    test::writePatternFile(dir.filePath("share/sub/two.bin"), 70'000, 2);
    CreateTorrentParams params;
    params.path = dir.filePath("share").toStdString();
    params.creationDate = 1'700'000'000;
    const auto created = createTorrent(params);
    QVERIFY2(created, created ? "" : created.error().toString().c_str());
    const QString torrent = dir.filePath("share.torrent");
    QVERIFY(writeFile(torrent, created.value().bytes));

    const auto info = inspectTorrentFile(torrent.toStdString());
    QVERIFY2(info, info ? "" : info.error().toString().c_str());
    const TorrentInfo& t = info.value();
    QCOMPARE(t.name, std::string("share"));
    QCOMPARE(t.infoHashHex, created.value().infoHashHex);
    QCOMPARE(t.totalBytes, std::uint64_t{120'000});
    QCOMPARE(t.pieceSize, created.value().pieceSize);
    QVERIFY(t.multiFile);
    QCOMPARE(t.files.size(), std::size_t{2});
    QCOMPARE(t.files[0].path, (Path{"share", "one.bin"}));
    QCOMPARE(t.files[0].size, std::uint64_t{50'000});
    QCOMPARE(t.files[1].path, (Path{"share", "sub", "two.bin"}));
    QCOMPARE(t.files[1].size, std::uint64_t{70'000});
    QVERIFY(!t.files[0].padding && !t.files[1].padding);
  }

  void singleFileIsItsName() {
    QTemporaryDir dir;
    const QString torrent = dir.filePath("one.torrent");
    QVERIFY(writeFile(torrent, testing::torrentWith(testing::singleFileInfo("disc.iso", 40'000))));
    const auto info = inspectTorrentFile(torrent.toStdString());
    QVERIFY2(info, info ? "" : info.error().toString().c_str());
    QVERIFY(!info.value().multiFile);
    QCOMPARE(info.value().totalBytes, std::uint64_t{40'000});
    QCOMPARE(info.value().files.size(), std::size_t{1});
    QCOMPARE(info.value().files[0].path, (Path{"disc.iso"}));
  }

  void paddingKeepsItsIndexButNotItsBytes() {
    const std::vector<FileSpec> files = {{{"a.bin"}, 1000},
                                         {{".pad", "15384"}, 15384, "p"},
                                         {{"dir", "b.bin"}, 2000},
                                         {{".pad", "14384"}, 14384, "p"},
                                         {{"c.bin"}, 100}};
    const auto info =
        inspectTorrent(testing::torrentWith(testing::multiFileInfo("t", files), std::string()));
    QVERIFY2(info, info ? "" : info.error().toString().c_str());
    const auto& f = info.value().files;
    QCOMPARE(f.size(), std::size_t{5});
    QVERIFY(!f[0].padding && f[1].padding && !f[2].padding && f[3].padding && !f[4].padding);
    QCOMPARE(f[2].path, (Path{"t", "dir", "b.bin"}));
    QCOMPARE(f[3].size, std::uint64_t{14384});
    QCOMPARE(info.value().totalBytes, std::uint64_t{3100});
    QCOMPARE(info.value().infoHashHex.size(), std::size_t{40});
  }

  void refusesAMissingFile() {
    const auto info = inspectTorrentFile("/nonexistent/tributary/x.torrent");
    QVERIFY(!info);
    QCOMPARE(info.error().code, ErrorCode::FileMissing);
    QVERIFY(info.error().detail.find("x.torrent") != std::string::npos);
  }

  void refusesGarbageNamingTheFile() {
    QTemporaryDir dir;
    const QString torrent = dir.filePath("garbage.torrent");
    QVERIFY(writeFile(torrent, "this is not bencode at all"));
    const auto info = inspectTorrentFile(torrent.toStdString());
    QVERIFY(!info);
    QCOMPARE(info.error().code, ErrorCode::InvalidTorrent);
    QVERIFY(info.error().detail.find("garbage.torrent") != std::string::npos);
    // Valid bencode, but no info dictionary.
    QVERIFY(writeFile(torrent, "d4:name1:xe"));
    QCOMPARE(inspectTorrentFile(torrent.toStdString()).error().code, ErrorCode::InvalidTorrent);
  }

  void refusesAFileOverTheCap() {
    QTemporaryDir dir;
    const QString torrent = dir.filePath("huge.torrent");
    QFile file(torrent);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Sparse, so the test costs no disk; one byte over the engine's 100 MiB cap.
    QVERIFY(file.resize(qint64{100} * 1024 * 1024 + 1));
    file.close();
    const auto info = inspectTorrentFile(torrent.toStdString());
    QVERIFY(!info);
    QCOMPARE(info.error().code, ErrorCode::InvalidArgument);
    QVERIFY(info.error().detail.find("too large") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestTorrentInspect)
#include "tst_torrentinspect.moc"
