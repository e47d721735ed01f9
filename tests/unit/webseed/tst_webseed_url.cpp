// hybrid/WebSeedUrl: BEP 19 file URLs (single- and multi-file, a trailing
// '/', a query, names that need percent-encoding), BEP 17 piece URLs, a
// range of the torrent split into one part per file (zero-length files skipped,
// padding files marked), and BEP 17's retry seconds.
#include <QtTest>

#include "engine/bt/WebSeed.h"
#include "engine/hybrid/WebSeedUrl.h"

using namespace tributary;
using namespace tributary::hybrid;

namespace {

// Files laid end to end in 16 KiB pieces.
bt::Metainfo makeMeta(bool multiFile, std::string name,
                      const std::vector<std::pair<std::string, std::int64_t>>& files,
                      const std::vector<bool>& padding = {}) {
  bt::Metainfo meta;
  meta.name = std::move(name);
  meta.multiFile = multiFile;
  meta.pieceLength = 16 * 1024;
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    bt::TorrentFile file;
    file.path = files[i].first;
    file.offset = offset;
    file.length = files[i].second;
    file.padding = i < padding.size() && padding[i];
    offset += file.length;
    meta.files.push_back(file);
  }
  meta.totalLength = offset;
  const auto pieces = static_cast<std::size_t>((offset + meta.pieceLength - 1) / meta.pieceLength);
  meta.pieceHashes.assign(pieces * 20, 'x');
  return meta;
}

codec::Url url(const char* text) {
  return codec::parseUrl(text).value();
}

}  // namespace

class TstWebSeedUrl : public QObject {
  Q_OBJECT
 private slots:
  void singleFileUrlIsTheFile() {
    const auto meta = makeMeta(false, "disk image.iso", {{"disk image.iso", 100}});
    QCOMPARE(webSeedFileUrl(url("http://m.example/pub/other-name.iso"), meta, 0).toString(),
             std::string("http://m.example/pub/other-name.iso"));
  }

  void singleFileFolderGetsTheName() {
    const auto meta = makeMeta(false, "disk image.iso", {{"disk image.iso", 100}});
    QCOMPARE(webSeedFileUrl(url("http://m.example/pub/"), meta, 0).toString(),
             std::string("http://m.example/pub/disk%20image.iso"));
  }

  void multiFileAppendsNameAndPath() {
    const auto meta = makeMeta(
        true, "My Album", {{"My Album/cd 1/01 #intro?.flac", 10}, {"My Album/caf\xc3\xa9.txt", 5}});
    // No trailing slash: one is added before the torrent's name.
    QCOMPARE(webSeedFileUrl(url("http://m.example/seed"), meta, 0).toString(),
             std::string("http://m.example/seed/My%20Album/cd%201/01%20%23intro%3F.flac"));
    QCOMPARE(webSeedFileUrl(url("https://m.example:8443/seed/"), meta, 1).toString(),
             std::string("https://m.example:8443/seed/My%20Album/caf%C3%A9.txt"));
  }

  void queryStaysOnEveryFile() {
    const auto meta = makeMeta(true, "t", {{"t/a", 10}});
    const codec::Url got = webSeedFileUrl(url("http://cdn.example/b/?token=abc%2F1"), meta, 0);
    QCOMPARE(got.path, std::string("/b/t/a"));
    QCOMPARE(got.query.value_or(""), std::string("token=abc%2F1"));
  }

  void httpSeedPieceUrl() {
    util::Sha1::Digest hash{};
    for (std::size_t i = 0; i < hash.size(); ++i) {
      hash[i] = static_cast<std::byte>(i * 13);  // 0x00, 0x0d, 0x1a, ... some unreserved
    }
    const codec::Url plain = hybrid::httpSeedPieceUrl(url("http://s.example/seed.php"), hash, 7);
    QCOMPARE(plain.toString(),
             std::string("http://s.example/seed.php?info_hash=%00%0D%1A%274AN%5Bhu%82%8F%9C%A9%B6%"
                         "C3%D0%DD%EA%F7&piece=7"));
    const codec::Url withQuery =
        hybrid::httpSeedPieceUrl(url("http://s.example/seed.php?key=1"), hash, 0);
    QVERIFY(withQuery.query->rfind("key=1&info_hash=", 0) == 0);
    QVERIFY(withQuery.query->size() > 3 &&
            withQuery.query->compare(withQuery.query->size() - 8, 8, "&piece=0") == 0);
  }

  void paddingBytesInARange() {
    // a (10 KiB), padding (6 KiB), empty, b (30 KiB), padding (2 KiB), c (20 KiB).
    const auto meta = makeMeta(true, "t",
                               {{"t/a", 10240},
                                {"t/.pad/6144", 6144},
                                {"t/empty", 0},
                                {"t/b", 30720},
                                {"t/.pad/2048", 2048},
                                {"t/c", 20480}},
                               {false, true, false, false, true, false});
    QCOMPARE(bt::paddingBytesIn(meta, 0, 69632), std::uint64_t{6144 + 2048});
    QCOMPARE(bt::paddingBytesIn(meta, 0, 10240), std::uint64_t{0});
    QCOMPARE(bt::paddingBytesIn(meta, 10000, 10300),
             std::uint64_t{60});  // a's tail, padding's head
    QCOMPARE(bt::paddingBytesIn(meta, 12000, 13000), std::uint64_t{1000});  // inside one
    QCOMPARE(bt::paddingBytesIn(meta, 16384, 47104), std::uint64_t{0});     // b alone
    QCOMPARE(bt::paddingBytesIn(meta, 47000, 49500), std::uint64_t{2048});
    QCOMPARE(bt::paddingBytesIn(meta, 13000, 13000), std::uint64_t{0});
    QCOMPARE(bt::paddingBytesIn(meta, 60000, 1 << 20), std::uint64_t{0});  // past the end
  }

  void runCrossingFilesIsOnePartPerFile() {
    // Pieces of 16 KiB over: a (10 KiB), empty, b (30 KiB), padding (2 KiB), c (20 KiB).
    const auto meta = makeMeta(
        true, "t",
        {{"t/a", 10240}, {"t/empty", 0}, {"t/b", 30720}, {"t/.pad/2048", 2048}, {"t/c", 20480}},
        {false, false, false, true, false});
    QCOMPARE(meta.pieceCount(), 4u);
    // Pieces 0-1: bytes [0, 32768): a whole, b [0, 22528).
    auto parts = webSeedParts(meta, 0, 32768);
    QCOMPARE(parts.size(), std::size_t{2});
    QCOMPARE(parts[0].fileIndex, 0u);
    QCOMPARE(parts[0].offset, 0u);
    QCOMPARE(parts[0].length, 10240u);
    QCOMPARE(parts[1].fileIndex, 2u);
    QCOMPARE(parts[1].offset, 0u);
    QCOMPARE(parts[1].length, 22528u);
    // Pieces 2-3: [32768, 63488): b's rest, the padding, c whole (the last piece is short).
    parts = webSeedParts(meta, 32768, 30720);
    QCOMPARE(parts.size(), std::size_t{3});
    QCOMPARE(parts[0].fileIndex, 2u);
    QCOMPARE(parts[0].offset, 22528u);
    QCOMPARE(parts[0].length, 8192u);
    QVERIFY(parts[1].padding);
    QCOMPARE(parts[1].length, 2048u);
    QCOMPARE(parts[2].fileIndex, 4u);
    QCOMPARE(parts[2].length, 20480u);
    QVERIFY(!parts[2].padding);
    // Outside the torrent: nothing.
    QVERIFY(webSeedParts(meta, 49152, 32768).empty());
    QVERIFY(webSeedParts(meta, 63488, 1).empty());
    QVERIFY(webSeedParts(meta, 0, 0).empty());
    // A range inside one file: one part, at its offset.
    parts = webSeedParts(meta, 12288, 100);
    QCOMPARE(parts.size(), std::size_t{1});
    QCOMPARE(parts[0].fileIndex, 2u);
    QCOMPARE(parts[0].offset, 2048u);
    QCOMPARE(parts[0].length, 100u);
  }

  void retryAfterSeconds() {
    QCOMPARE(parseRetryAfterSeconds("120").value(), std::chrono::seconds(120));
    QCOMPARE(parseRetryAfterSeconds(" 5\r\n").value(), std::chrono::seconds(5));
    QVERIFY(!parseRetryAfterSeconds(""));
    QVERIFY(!parseRetryAfterSeconds("soon"));
    QVERIFY(!parseRetryAfterSeconds("-1"));
    QVERIFY(!parseRetryAfterSeconds("1.5"));
    QVERIFY(!parseRetryAfterSeconds("9999999999"));  // ten digits: not a real answer
    QVERIFY(!parseRetryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"));
  }
};

QTEST_GUILESS_MAIN(TstWebSeedUrl)
#include "tst_webseed_url.moc"
