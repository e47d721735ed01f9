#include <QtTest>

#include "TorrentBuilder.h"
#include "engine/bt/Metainfo.h"
#include "engine/util/Sha.h"

using namespace tributary;
using namespace tributary::bt;
using testing::BencodeNode;
using testing::FileSpec;

class TstMetainfo : public QObject {
  Q_OBJECT
 private slots:
  void singleFile() {
    const BencodeNode info = testing::singleFileInfo("movie.mkv", 40000);
    const std::string torrent = testing::torrentWith(info);
    auto meta = parseMetainfo(torrent);
    QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
    const Metainfo& m = meta.value();
    QCOMPARE(m.name, std::string("movie.mkv"));
    QVERIFY(!m.multiFile);
    QCOMPARE(m.files.size(), std::size_t{1});
    QCOMPARE(m.files[0].path, std::string("movie.mkv"));
    QCOMPARE(m.files[0].length, std::int64_t{40000});
    QCOMPARE(m.totalLength, std::int64_t{40000});
    QCOMPARE(m.pieceLength, std::int64_t{16384});
    QCOMPARE(m.pieceCount(), std::uint32_t{3});
    QCOMPARE(m.pieceSize(0), std::int64_t{16384});
    QCOMPARE(m.pieceSize(2), std::int64_t{40000 - 2 * 16384});
    QCOMPARE(m.pieceSize(3), std::int64_t{0});
    QCOMPARE(m.pieceHash(1).size(), std::size_t{20});
    QCOMPARE(m.pieceHash(1)[0], '\x01');
    QVERIFY(m.pieceHash(3).empty());
    // The info-hash is SHA-1 over the info dictionary's exact bytes.
    const std::string infoBytes = info.encode();
    QCOMPARE(m.infoBytes, infoBytes);
    QVERIFY(m.infoHash == util::sha1(infoBytes));
    QCOMPARE(m.infoHashHex(), util::toHex(util::sha1(infoBytes)));
    QCOMPARE(m.trackerTiers.size(), std::size_t{1});
    QCOMPARE(m.trackerTiers[0][0], std::string("http://127.0.0.1:6969/announce"));
    QVERIFY(!m.isPrivate);
    QVERIFY(!m.hybrid);
  }

  void multiFile() {
    const std::vector<FileSpec> files = {
        {{"a.txt"}, 10000}, {{"sub", "b.bin"}, 30000}, {{"empty"}, 0}, {{"sub", "c"}, 5}};
    auto meta = parseMetainfo(testing::torrentWith(testing::multiFileInfo("pack", files)));
    QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
    const Metainfo& m = meta.value();
    QVERIFY(m.multiFile);
    QCOMPARE(m.files.size(), std::size_t{4});
    QCOMPARE(m.files[0].path, std::string("pack/a.txt"));
    QCOMPARE(m.files[1].path, std::string("pack/sub/b.bin"));
    QCOMPARE(m.files[2].path, std::string("pack/empty"));
    QCOMPARE(m.files[3].path, std::string("pack/sub/c"));
    QCOMPARE(m.files[1].offset, std::int64_t{10000});
    QCOMPARE(m.files[2].offset, std::int64_t{40000});
    QCOMPARE(m.files[3].offset, std::int64_t{40000});
    QCOMPARE(m.totalLength, std::int64_t{40005});
    QCOMPARE(m.pieceCount(), std::uint32_t{3});
  }

  void pieceToFileMapping() {
    const std::vector<FileSpec> files = {
        {{"a"}, 10000}, {{"z1"}, 0}, {{"b"}, 30000}, {{"z2"}, 0}, {{"c"}, 5}};
    auto meta = parseMetainfo(testing::torrentWith(testing::multiFileInfo("t", files)));
    QVERIFY(meta.ok());
    const Metainfo& m = meta.value();
    // Piece 0 = [0, 16384): all of a, then b from its start; the empty file is skipped.
    QCOMPARE(m.mapPiece(0), (std::vector<FileSlice>{{0, 0, 10000}, {2, 0, 6384}}));
    QCOMPARE(m.mapPiece(1), (std::vector<FileSlice>{{2, 6384, 16384}}));
    // The last piece: the rest of b, then c (past the second empty file).
    QCOMPARE(m.mapPiece(2), (std::vector<FileSlice>{{2, 22768, 7232}, {4, 0, 5}}));
    QVERIFY(m.mapPiece(3).empty());
    QVERIFY(m.mapRange(40000, 6).empty());  // past the end
    QVERIFY(m.mapRange(-1, 2).empty());
    QVERIFY(m.mapRange(0, 0).empty());
    QCOMPARE(m.mapRange(9999, 2), (std::vector<FileSlice>{{0, 9999, 1}, {2, 0, 1}}));
    QCOMPARE(m.fileAt(0).value_or(99), std::uint32_t{0});
    QCOMPARE(m.fileAt(10000).value_or(99), std::uint32_t{2});
    QCOMPARE(m.fileAt(40004).value_or(99), std::uint32_t{4});
    QVERIFY(!m.fileAt(40005));
    QVERIFY(!m.filePieces(1));
    QCOMPARE(m.filePieces(2).value(), (std::pair<std::uint32_t, std::uint32_t>{0, 2}));
    QCOMPARE(m.filePieces(4).value(), (std::pair<std::uint32_t, std::uint32_t>{2, 2}));
    // Every byte is covered exactly once across all pieces.
    std::int64_t covered = 0;
    for (std::uint32_t p = 0; p < m.pieceCount(); ++p) {
      for (const FileSlice& s : m.mapPiece(p)) {
        covered += s.length;
      }
    }
    QCOMPARE(covered, m.totalLength);
  }

  void announceListTiers() {
    BencodeNode torrent;
    torrent.set("announce", "http://ignored/announce");
    BencodeNode tiers = BencodeNode::makeList();
    tiers.push(testing::pathNode({"udp://a:1/announce", "http://b/announce"}));
    tiers.push(testing::pathNode({}));                                       // empty: dropped
    tiers.push(testing::pathNode({"http://b/announce", "  http://c/x  "}));  // b again: dropped
    tiers.push(testing::pathNode({"", "bad\nurl"}));                         // unusable: dropped
    tiers.push(testing::pathNode({"https://d/announce"}));
    torrent.set("announce-list", std::move(tiers));
    torrent.set("info", testing::singleFileInfo("f", 100));
    auto meta = parseMetainfo(torrent.encode());
    QVERIFY(meta.ok());
    const auto& t = meta.value().trackerTiers;
    QCOMPARE(t.size(), std::size_t{3});
    QCOMPARE(t[0], (std::vector<std::string>{"udp://a:1/announce", "http://b/announce"}));
    QCOMPARE(t[1], (std::vector<std::string>{"http://c/x"}));
    QCOMPARE(t[2], (std::vector<std::string>{"https://d/announce"}));
  }

  void announceFallbackAndTrackerless() {
    BencodeNode torrent;
    torrent.set("announce", "http://only/announce");
    torrent.set("announce-list", BencodeNode::makeList());
    torrent.set("info", testing::singleFileInfo("f", 100));
    auto meta = parseMetainfo(torrent.encode());
    QVERIFY(meta.ok());
    QCOMPARE(meta.value().trackerTiers,
             (std::vector<std::vector<std::string>>{{"http://only/announce"}}));

    auto none = parseMetainfo(testing::torrentWith(testing::singleFileInfo("f", 100), ""));
    QVERIFY(none.ok());
    QVERIFY(none.value().trackerTiers.empty());
  }

  void urlListBothForms() {
    BencodeNode torrent;
    torrent.set("url-list", "http://mirror/files/");
    torrent.set("info", testing::singleFileInfo("f", 100));
    auto single = parseMetainfo(torrent.encode());
    QVERIFY(single.ok());
    QCOMPARE(single.value().webSeeds, (std::vector<std::string>{"http://mirror/files/"}));

    torrent.set("url-list", testing::pathNode({"http://m1/", "http://m2/", "http://m1/", ""}));
    torrent.set("httpseeds", testing::pathNode({"http://seed/hoffman"}));
    auto list = parseMetainfo(torrent.encode());
    QVERIFY(list.ok());
    QCOMPARE(list.value().webSeeds, (std::vector<std::string>{"http://m1/", "http://m2/"}));
    QCOMPARE(list.value().httpSeeds, (std::vector<std::string>{"http://seed/hoffman"}));

    torrent.set("url-list", 5);  // the wrong type is ignored, not fatal
    auto wrong = parseMetainfo(torrent.encode());
    QVERIFY(wrong.ok());
    QVERIFY(wrong.value().webSeeds.empty());
  }

  void privateFlagAndTexts() {
    BencodeNode info = testing::singleFileInfo("f", 100);
    info.set("private", 1);
    BencodeNode torrent;
    torrent.set("info", info);
    torrent.set("comment", "caf\xE9");  // Latin-1: made valid UTF-8
    torrent.set("created by", "mktorrent 1.1");
    torrent.set("creation date", 1700000000);
    auto meta = parseMetainfo(torrent.encode());
    QVERIFY(meta.ok());
    QVERIFY(meta.value().isPrivate);
    QCOMPARE(meta.value().comment, std::string("caf\xEF\xBF\xBD"));
    QCOMPARE(meta.value().createdBy, std::string("mktorrent 1.1"));
    QCOMPARE(meta.value().creationDate.value_or(0), std::int64_t{1700000000});

    torrent.set("comment.utf-8", "caf\xC3\xA9");
    auto utf8 = parseMetainfo(torrent.encode());
    QVERIFY(utf8.ok());
    QCOMPARE(utf8.value().comment, std::string("caf\xC3\xA9"));

    info.set("private", 0);
    torrent.set("info", info);
    auto pub = parseMetainfo(torrent.encode());
    QVERIFY(pub.ok());
    QVERIFY(!pub.value().isPrivate);
    QVERIFY(!pub.value().creationDate || *pub.value().creationDate == 1700000000);
  }

  void paddingAndAttributes() {
    const std::vector<FileSpec> files = {{{"a.bin"}, 1000, "x"},
                                         {{".pad", "15384"}, 15384, "p"},
                                         {{"b.bin"}, 2000, "hx"},
                                         {{".pad", "15384"}, 14384, "p"},
                                         {{"c.bin"}, 100, "zq"}};  // unknown letters ignored
    auto meta = parseMetainfo(testing::torrentWith(testing::multiFileInfo("t", files)));
    QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
    const auto& f = meta.value().files;
    QVERIFY(f[0].executable && !f[0].hidden && !f[0].padding);
    QVERIFY(f[1].padding);
    QVERIFY(f[2].hidden && f[2].executable);
    QVERIFY(f[3].padding);
    QVERIFY(!f[4].padding && !f[4].executable && !f[4].hidden && !f[4].symlink);
    // Padding files are never written, so they are not renamed apart.
    QCOMPARE(f[1].path, std::string("t/.pad/15384"));
    QCOMPARE(f[3].path, std::string("t/.pad/15384"));
    QCOMPARE(f[2].offset, std::int64_t{16384});
    QCOMPARE(f[4].offset, std::int64_t{32768});
  }

  void symlinkInsideIsKept() {
    const std::vector<FileSpec> files = {{{"dir", "real.txt"}, 100},
                                         {{"link"}, 0, "l", {"dir", "real.txt"}}};
    auto meta = parseMetainfo(testing::torrentWith(testing::multiFileInfo("t", files)));
    QVERIFY(meta.ok());
    QVERIFY(meta.value().files[1].symlink);
    QCOMPARE(meta.value().files[1].symlinkTarget, std::string("t/dir/real.txt"));
  }

  void utf8VariantsPreferred() {
    BencodeNode info = testing::multiFileInfo("raw\xE9", {{{"x\xE9"}, 100}});
    info.set("name.utf-8", "caf\xC3\xA9");
    BencodeNode files = BencodeNode::makeList();
    BencodeNode entry;
    entry.set("length", 100);
    entry.set("path", testing::pathNode({"x\xE9"}));
    entry.set("path.utf-8", testing::pathNode({"\xE6\x96\x87.txt"}));
    files.push(entry);
    info.set("files", files);
    auto meta = parseMetainfo(testing::torrentWith(info));
    QVERIFY(meta.ok());
    QCOMPARE(meta.value().name, std::string("caf\xC3\xA9"));
    QCOMPARE(meta.value().files[0].path, std::string("caf\xC3\xA9/\xE6\x96\x87.txt"));

    // An invalid name.utf-8 falls back to name (whose bad byte is then replaced).
    info.set("name.utf-8", "bad\xFF");
    auto fallback = parseMetainfo(testing::torrentWith(info));
    QVERIFY(fallback.ok());
    QCOMPARE(fallback.value().name, std::string("raw_"));
  }

  void unsortedTopLevelKeysAreTolerated() {
    const std::string info = testing::singleFileInfo("f", 100).encode();
    const std::string torrent = "d4:info" + info + "8:announce9:http://t/e";
    auto meta = parseMetainfo(torrent);
    QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
    QCOMPARE(meta.value().trackerTiers[0][0], std::string("http://t/"));
  }

  void hybridReadsTheV1Part() {
    BencodeNode info = testing::singleFileInfo("f", 100);
    info.set("meta version", 2);
    info["file tree"]["f"][""].set("length", 100);
    auto meta = parseMetainfo(testing::torrentWith(info));
    QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
    QVERIFY(meta.value().hybrid);
    QCOMPARE(meta.value().totalLength, std::int64_t{100});
  }

  void bareInfoDictionary() {
    const BencodeNode info = testing::multiFileInfo("t", {{{"a"}, 5}, {{"b"}, 7}});
    auto full = parseMetainfo(testing::torrentWith(info));
    auto bare = parseInfoDictionary(info.encode());
    QVERIFY(full.ok() && bare.ok());
    QVERIFY(full.value().infoHash == bare.value().infoHash);
    QCOMPARE(bare.value().files, full.value().files);
    QVERIFY(bare.value().trackerTiers.empty());
  }

  void pieceLengthBounds() {
    for (const std::int64_t ok :
         {std::int64_t{16384}, std::int64_t{1} << 20, std::int64_t{64} << 20}) {
      auto meta = parseMetainfo(testing::torrentWith(testing::singleFileInfo("f", 100000, ok)));
      QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().toString().c_str());
      QCOMPARE(meta.value().pieceLength, ok);
    }
  }
};

QTEST_GUILESS_MAIN(TstMetainfo)
#include "tst_metainfo.moc"
