// Hostile .torrent files, built here: each is refused with a clear error, or
// sanitised so that every file lands inside the task's folder (checked by
// creating the files in a sandbox and looking for anything outside).
#include <QtTest>

#include "TorrentBuilder.h"
#include "engine/bt/Metainfo.h"
#include "engine/codec/Utf8.h"

using namespace tributary;
using namespace tributary::bt;
using testing::BencodeNode;
using testing::FileSpec;

namespace {

std::vector<std::string> pathsOf(const Metainfo& m) {
  std::vector<std::string> out;
  for (const TorrentFile& f : m.files) {
    out.push_back(f.path);
  }
  return out;
}

QByteArray bytes(const std::string& s) {
  return QByteArray(s.data(), qsizetype(s.size()));
}

}  // namespace

class TstMetainfoHostile : public QObject {
  Q_OBJECT

  // Parses, checks every path stays inside, creates the files in a sandbox and
  // checks nothing appeared outside the task folder.
  Metainfo parseAndPlace(const std::string& torrent) {
    auto meta = parseMetainfo(torrent);
    if (!meta.ok()) {
      qWarning("%s", meta.error().toString().c_str());
      return {};
    }
    QTemporaryDir sandbox;
    const QString task = sandbox.path() + "/task";
    QDir().mkpath(task);
    int files = 0;
    for (const TorrentFile& f : meta.value().files) {
      if (!testing::staysInside(task, f.path) || !codec::isValidUtf8(f.path)) {
        qWarning("escaping or invalid path: %s", f.path.c_str());
        return {};
      }
      if (f.symlink && !testing::staysInside(task, f.symlinkTarget)) {
        qWarning("escaping symlink: %s", f.symlinkTarget.c_str());
        return {};
      }
      files += f.padding ? 0 : 1;
    }
    if (testing::materialize(meta.value(), sandbox.path(), task) != files) {
      qWarning("files landed outside the task folder or collided");
      return {};
    }
    return std::move(meta).value();
  }

  void expectRejected(const std::string& torrent, ErrorCode code, const char* detailPart) {
    auto meta = parseMetainfo(torrent);
    QVERIFY2(!meta.ok(), "a hostile torrent was accepted");
    QCOMPARE(errorCodeName(meta.error().code), errorCodeName(code));
    QVERIFY2(meta.error().detail.find(detailPart) != std::string::npos,
             meta.error().detail.c_str());
  }

 private slots:
  void pathTraversalIsSanitised_data() {
    QTest::addColumn<QList<QByteArray>>("elements");
    QTest::addColumn<QByteArray>("expected");
    using L = QList<QByteArray>;
    QTest::newRow("dot-dot elements")
        << L{"..", "..", "etc", "passwd"} << QByteArray("t/etc/passwd");
    QTest::newRow("absolute") << L{"/etc/passwd"} << QByteArray("t/_etc_passwd");
    QTest::newRow("absolute split") << L{"", "etc", "passwd"} << QByteArray("t/etc/passwd");
    QTest::newRow("drive letter") << L{"C:\\x"} << QByteArray("t/C__x");
    QTest::newRow("drive letter element") << L{"C:", "Windows"} << QByteArray("t/C_/Windows");
    QTest::newRow("traversal inside element") << L{"a/../../b"} << QByteArray("t/a_.._.._b");
    QTest::newRow("backslash traversal") << L{"..\\..\\b"} << QByteArray("t/.._.._b");
    QTest::newRow("empty element") << L{"a", "", "b"} << QByteArray("t/a/b");
    QTest::newRow("dot element") << L{".", "a", ".", "b"} << QByteArray("t/a/b");
    QTest::newRow("only dots") << L{"..", "."} << QByteArray("t/_");
    QTest::newRow("empty path") << L{} << QByteArray("t/_");
    QTest::newRow("nul byte") << L{QByteArray("a\0b", 3)} << QByteArray("t/a_b");
    QTest::newRow("control chars") << L{"a\nb\tc\x7f"} << QByteArray("t/a_b_c_");
    QTest::newRow("windows chars") << L{"a<b>c:d\"e|f?g*h"} << QByteArray("t/a_b_c_d_e_f_g_h");
    QTest::newRow("trailing dots") << L{"dir. .", "file.txt."} << QByteArray("t/dir/file.txt");
    QTest::newRow("three dots") << L{"..."} << QByteArray("t/_");
    QTest::newRow("reserved CON") << L{"CON"} << QByteArray("t/_CON");
    QTest::newRow("reserved nul ext") << L{"nul.txt"} << QByteArray("t/_nul.txt");
    QTest::newRow("reserved com1") << L{"dir", "Com1.tar.gz"} << QByteArray("t/dir/_Com1.tar.gz");
    QTest::newRow("reserved lpt9 dir") << L{"lpt9", "x"} << QByteArray("t/_lpt9/x");
    QTest::newRow("reserved aux space") << L{"aux .h"} << QByteArray("t/_aux .h");
    QTest::newRow("not reserved com10") << L{"COM10"} << QByteArray("t/COM10");
    QTest::newRow("not reserved console") << L{"console.log"} << QByteArray("t/console.log");
    QTest::newRow("bidi override") << L{"evil\xE2\x80\xAEtxt.exe"} << QByteArray("t/evil_txt.exe");
    QTest::newRow("invalid utf8") << L{"caf\xE9.txt"} << QByteArray("t/caf_.txt");
  }
  void pathTraversalIsSanitised() {
    QFETCH(QList<QByteArray>, elements);
    QFETCH(QByteArray, expected);
    FileSpec spec;
    for (const QByteArray& e : elements) {
      spec.path.emplace_back(e.constData(), e.size());
    }
    spec.length = 100;
    const Metainfo m = parseAndPlace(testing::torrentWith(testing::multiFileInfo("t", {spec})));
    QCOMPARE(m.files.size(), std::size_t{1});
    QCOMPARE(bytes(m.files[0].path), expected);
  }

  void hostileNames_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("dot-dot") << QByteArray("..") << QByteArray();  // becomes the info-hash
    QTest::newRow("empty") << QByteArray("") << QByteArray();
    QTest::newRow("traversal") << QByteArray("../../x") << QByteArray(".._.._x");
    QTest::newRow("absolute") << QByteArray("/etc") << QByteArray("_etc");
    QTest::newRow("drive") << QByteArray("C:\\Windows") << QByteArray("C__Windows");
    QTest::newRow("reserved") << QByteArray("PRN") << QByteArray("_PRN");
  }
  void hostileNames() {
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, expected);
    for (const bool multi : {false, true}) {
      const BencodeNode info = multi ? testing::multiFileInfo(name.toStdString(), {{{"f"}, 10}})
                                     : testing::singleFileInfo(name.toStdString(), 10);
      const Metainfo m = parseAndPlace(testing::torrentWith(info));
      QCOMPARE(m.files.size(), std::size_t{1});
      const std::string want = expected.isEmpty() ? m.infoHashHex() : expected.toStdString();
      QCOMPARE(m.name, want);
      QCOMPARE(m.files[0].path, multi ? want + "/f" : want);
    }
  }

  void longNamesAreShortenedKeepingTheExtension() {
    const std::string ascii = std::string(296, 'x') + ".txt";
    std::string utf8;
    for (int i = 0; i < 150; ++i) {
      utf8 += "\xC3\xA9";  // two bytes each: 300 bytes
    }
    const std::string utf8Name = utf8 + ".mkv";
    const std::string noExtension(300, 'y');
    const Metainfo m = parseAndPlace(testing::torrentWith(testing::multiFileInfo(
        std::string(400, 'n'), {{{ascii}, 10}, {{utf8Name}, 10}, {{noExtension}, 10}})));
    QCOMPARE(m.files.size(), std::size_t{3});
    QCOMPARE(m.name.size(), std::size_t{255});
    auto lastElement = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
    const std::string a = lastElement(m.files[0].path);
    const std::string b = lastElement(m.files[1].path);
    const std::string c = lastElement(m.files[2].path);
    QCOMPARE(a.size(), std::size_t{255});
    QVERIFY(a.ends_with(".txt"));
    QVERIFY(b.size() <= 255 && b.size() >= 250);
    QVERIFY(b.ends_with(".mkv"));
    QVERIFY(codec::isValidUtf8(b));
    QCOMPARE(c, std::string(255, 'y'));
  }

  void duplicatesAreMadeDistinct() {
    const std::vector<FileSpec> files = {
        {{"a.txt"}, 1},  {{"A.TXT"}, 1},  {{"a.txt"}, 1},       {{"a (1).txt"}, 1},  {{"d"}, 1},
        {{"d", "x"}, 1}, {{"D", "X"}, 1}, {{"data.tar.gz"}, 1}, {{"DATA.tar.gz"}, 1}};
    const Metainfo m = parseAndPlace(testing::torrentWith(testing::multiFileInfo("t", files)));
    QCOMPARE(pathsOf(m), (std::vector<std::string>{
                             "t/a.txt", "t/A (1).TXT", "t/a (2).txt", "t/a (1) (1).txt", "t/d (1)",
                             "t/d/x", "t/D/X (1)", "t/data.tar.gz", "t/DATA (1).tar.gz"}));
  }

  void manyDuplicatesStayFast() {
    std::vector<FileSpec> files(20000, FileSpec{{"same"}, 1});
    QElapsedTimer timer;
    timer.start();
    // Parsed only: creating 20,000 files would time the disk, not the parser.
    auto meta = parseMetainfo(testing::torrentWith(testing::multiFileInfo("t", files)));
    QVERIFY(meta.ok());
    const Metainfo& m = meta.value();
    QCOMPARE(m.files.size(), std::size_t{20000});
    QCOMPARE(m.files[19999].path, std::string("t/same (19999)"));
    QVERIFY2(timer.elapsed() < 20000, "duplicate resolution is not linear");
  }

  void symlinksEscapingAreNeutralised_data() {
    QTest::addColumn<QList<QByteArray>>("target");
    using L = QList<QByteArray>;
    QTest::newRow("parent") << L{"..", "..", "etc", "passwd"};
    QTest::newRow("inner parent") << L{"dir", "..", "..", "x"};
    QTest::newRow("lexically inside") << L{"link", "..", "x"};  // could climb via another link
    QTest::newRow("absolute element") << L{"/etc/passwd"};
    QTest::newRow("backslash") << L{"..\\..\\x"};
    QTest::newRow("empty") << L{};
    QTest::newRow("only dots") << L{".", ""};
  }
  void symlinksEscapingAreNeutralised() {
    QFETCH(QList<QByteArray>, target);
    FileSpec link{{"link"}, 0, "l", {}};
    for (const QByteArray& e : target) {
      link.symlink.emplace_back(e.constData(), e.size());
    }
    if (link.symlink.empty()) {
      link.symlink = {""};  // an explicit but empty target
    }
    const Metainfo m =
        parseAndPlace(testing::torrentWith(testing::multiFileInfo("t", {{{"x"}, 10}, link})));
    QCOMPARE(m.files.size(), std::size_t{2});
    QVERIFY(!m.files[1].symlink);
    QVERIFY(m.files[1].symlinkTarget.empty());
    QCOMPARE(m.files[1].path, std::string("t/link"));
  }

  void symlinkInSingleFileOrWithDataIsNeutralised() {
    BencodeNode info = testing::singleFileInfo("f", 10);
    info.set("attr", "l");
    const Metainfo single = parseAndPlace(testing::torrentWith(info));
    QCOMPARE(single.files.size(), std::size_t{1});
    QVERIFY(!single.files[0].symlink);

    const Metainfo withData = parseAndPlace(
        testing::torrentWith(testing::multiFileInfo("t", {{{"x"}, 10}, {{"l"}, 5, "l", {"x"}}})));
    QCOMPARE(withData.files.size(), std::size_t{2});
    QVERIFY(!withData.files[1].symlink);
  }

  void rejectsBadPieceLengths_data() {
    QTest::addColumn<qint64>("pieceLength");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-16384);
    QTest::newRow("not power of two") << qint64(20000);
    QTest::newRow("just under 16K") << qint64(16383);
    QTest::newRow("8 KiB") << qint64(8192);
    QTest::newRow("128 MiB") << qint64(128) * 1024 * 1024;
    QTest::newRow("huge") << (qint64(1) << 62);
  }
  void rejectsBadPieceLengths() {
    QFETCH(qint64, pieceLength);
    BencodeNode info = testing::singleFileInfo("f", 100000);
    info.set("piece length", pieceLength);
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "piece length");
    info.set("piece length", "16384");
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "piece length");
  }

  void rejectsPieceCountMismatch() {
    BencodeNode info = testing::singleFileInfo("f", 40000);  // 3 pieces
    info.set("pieces", testing::fakePieces(40000 + 16384, 16384));
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "4 piece hashes for 3");
    info.set("pieces", testing::fakePieces(16384 * 2, 16384));
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "2 piece hashes for 3");
    info.set("pieces", std::string(59, 'x'));
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "multiple of 20");
    info.set("pieces", std::string());
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "multiple of 20");
    info.erase("pieces");
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "pieces");
  }

  void rejectsHugePieceCounts() {
    // A huge claimed size with few hashes: refused by arithmetic, nothing allocated.
    BencodeNode info = testing::singleFileInfo("f", 100);
    info.set("length", std::int64_t{1} << 49);
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent,
                   "1 piece hashes for 34359738368 pieces");
    // More hashes than the limit allows.
    MetainfoLimits limits;
    limits.maxPieces = 1000;
    const BencodeNode big = testing::singleFileInfo("f", 16384LL * 1001);
    auto meta = parseMetainfo(testing::torrentWith(big), limits);
    QVERIFY(!meta.ok());
    QVERIFY(meta.error().detail.find("too many pieces") != std::string::npos);
  }

  void rejectsBadLengths() {
    expectRejected(testing::torrentWith(testing::singleFileInfo("f", -1)),
                   ErrorCode::InvalidTorrent, "negative length -1");
    expectRejected(testing::torrentWith(testing::multiFileInfo("t", {{{"a"}, 10}, {{"b"}, -5}})),
                   ErrorCode::InvalidTorrent, "file 1: negative length -5");
    expectRejected(testing::torrentWith(testing::singleFileInfo("f", 0)), ErrorCode::InvalidTorrent,
                   "total length 0");
    expectRejected(testing::torrentWith(testing::multiFileInfo("t", {{{"a"}, 0}, {{"b"}, 0}})),
                   ErrorCode::InvalidTorrent, "total length 0");
    BencodeNode info = testing::singleFileInfo("f", 100);
    info.set("length", "100");
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "length");
  }

  void rejectsOverflowingTotals() {
    const std::int64_t big = std::int64_t{1} << 62;
    BencodeNode info = testing::multiFileInfo("t", {{{"a"}, 1}, {{"b"}, 1}});
    BencodeNode files = BencodeNode::makeList();
    for (const char* name : {"a", "b", "c"}) {
      BencodeNode entry;
      entry.set("length", big);
      entry.set("path", testing::pathNode({name}));
      files.push(entry);
    }
    info.set("files", files);
    expectRejected(testing::torrentWith(info), ErrorCode::InvalidTorrent, "total length too large");
    BencodeNode single = testing::singleFileInfo("f", 100);
    single.set("length", std::numeric_limits<std::int64_t>::max());
    expectRejected(testing::torrentWith(single), ErrorCode::InvalidTorrent,
                   "total length too large");
    single.set("length", std::int64_t{1} << 50);
    expectRejected(testing::torrentWith(single), ErrorCode::InvalidTorrent,
                   "total length too large");
  }

  void rejectsBadStructure() {
    expectRejected("i1e", ErrorCode::InvalidTorrent, "not a dictionary");
    expectRejected("d8:announce1:xe", ErrorCode::InvalidTorrent, "missing info");
    expectRejected("d4:infoi1ee", ErrorCode::InvalidTorrent, "missing info");
    expectRejected("d4:infod", ErrorCode::InvalidTorrent, "bencode: input ends");
    const std::string good = testing::torrentWith(testing::singleFileInfo("f", 100));
    expectRejected(good + "x", ErrorCode::InvalidTorrent, "bencode: data after the end");
    expectRejected(std::string(200, 'l'), ErrorCode::InvalidTorrent, "nesting too deep");

    BencodeNode both = testing::singleFileInfo("f", 100);
    both.set("files", BencodeNode::makeList());
    expectRejected(testing::torrentWith(both), ErrorCode::InvalidTorrent, "both length and files");
    BencodeNode neither = testing::singleFileInfo("f", 100);
    neither.erase("length");
    expectRejected(testing::torrentWith(neither), ErrorCode::InvalidTorrent, "neither");
    BencodeNode emptyFiles = testing::multiFileInfo("t", {{{"a"}, 100}});
    emptyFiles.set("files", BencodeNode::makeList());
    expectRejected(testing::torrentWith(emptyFiles), ErrorCode::InvalidTorrent, "files is empty");
    BencodeNode notList = testing::multiFileInfo("t", {{{"a"}, 100}});
    notList.set("files", "x");
    expectRejected(testing::torrentWith(notList), ErrorCode::InvalidTorrent, "not a list");

    BencodeNode badPath = testing::multiFileInfo("t", {{{"a"}, 100}});
    BencodeNode files = BencodeNode::makeList();
    BencodeNode entry;
    entry.set("length", 100);
    BencodeNode path = BencodeNode::makeList();
    path.push("ok");
    path.push(5);
    entry.set("path", path);
    files.push(entry);
    badPath.set("files", files);
    expectRejected(testing::torrentWith(badPath), ErrorCode::InvalidTorrent,
                   "file 0: path is not a list of strings");
    entry.set("path", "a/b");
    files = BencodeNode::makeList();
    files.push(entry);
    badPath.set("files", files);
    expectRejected(testing::torrentWith(badPath), ErrorCode::InvalidTorrent, "path is not a list");
    files = BencodeNode::makeList();
    files.push(5);
    badPath.set("files", files);
    expectRejected(testing::torrentWith(badPath), ErrorCode::InvalidTorrent,
                   "file 0: not a dictionary");
  }

  void rejectsUnsortedOrDuplicateInfoKeys() {
    // "name" before "length": unsorted inside info.
    const std::string pieces = testing::fakePieces(100, 16384);
    const std::string unsorted =
        "d4:infod4:name1:f6:lengthi100e12:piece lengthi16384e6:pieces20:" + pieces + "ee";
    expectRejected(unsorted, ErrorCode::InvalidTorrent, "info dictionary keys are not sorted");
    const std::string nested =
        "d4:infod5:filesld4:pathl1:ae6:lengthi100eee4:name1:t12:piece lengthi16384e6:pieces20:" +
        pieces + "ee";
    expectRejected(nested, ErrorCode::InvalidTorrent, "not sorted (dictionary at offset 16)");
    const std::string duplicate =
        "d4:infod6:lengthi100e6:lengthi100e4:name1:f12:piece lengthi16384e6:pieces20:" + pieces +
        "ee";
    expectRejected(duplicate, ErrorCode::InvalidTorrent, "duplicate dictionary key at offset 21");
  }

  void rejectsV2Only() {
    BencodeNode info;
    info.set("meta version", 2);
    info["file tree"]["f"][""].set("length", 100);
    info.set("name", "f");
    info.set("piece length", 16384);
    expectRejected(testing::torrentWith(info), ErrorCode::NotSupported,
                   "BitTorrent v2-only torrents are not supported");
    info.erase("meta version");  // a file tree alone is v2 as well
    expectRejected(testing::torrentWith(info), ErrorCode::NotSupported, "v2-only");
  }

  void rejectsTooManyFilesAndTooLargeInput() {
    MetainfoLimits limits;
    limits.maxFiles = 3;
    const std::string four = testing::torrentWith(
        testing::multiFileInfo("t", {{{"a"}, 1}, {{"b"}, 1}, {{"c"}, 1}, {{"d"}, 1}}));
    auto meta = parseMetainfo(four, limits);
    QVERIFY(!meta.ok());
    QVERIFY(meta.error().detail.find("too many files (4)") != std::string::npos);
    limits = {};
    limits.maxTokens = 30;  // the decoder's limit is passed through
    meta = parseMetainfo(four, limits);
    QVERIFY(!meta.ok());
    QVERIFY(meta.error().detail.find("bencode: too many values") != std::string::npos);
    limits = {};
    limits.maxInputBytes = 100;
    meta = parseMetainfo(four, limits);
    QVERIFY(!meta.ok());
    QVERIFY(meta.error().detail.find("file too large") != std::string::npos);
  }

  void rejectsOverlongPaths() {
    std::vector<std::string> deep(40, std::string(200, 'd'));
    expectRejected(testing::torrentWith(testing::multiFileInfo("t", {{deep, 1}})),
                   ErrorCode::InvalidTorrent, "path longer than 4096 bytes");
  }

  void garbageNeverCrashes() {
    // Truncations and byte flips of a valid torrent: every result is either an
    // error or a torrent whose paths stay inside.
    const std::string good = testing::torrentWith(testing::multiFileInfo(
        "t", {{{"a", "b.txt"}, 20000}, {{"c"}, 5, "x"}, {{"l"}, 0, "l", {"a", "b.txt"}}}));
    int accepted = 0;
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      accepted += parseMetainfo(good.substr(0, cut)).ok() ? 1 : 0;
    }
    QCOMPARE(accepted, 0);
    for (std::size_t i = 0; i < good.size(); ++i) {
      for (const char c : {'0', ':', 'e', '.', '/', '\0', '9', '-'}) {
        std::string mutated = good;
        mutated[i] = c;
        auto meta = parseMetainfo(mutated);
        if (meta.ok()) {
          for (const TorrentFile& f : meta.value().files) {
            QVERIFY2(testing::staysInside("/sandbox/task", f.path), f.path.c_str());
          }
        }
      }
    }
  }
};

QTEST_GUILESS_MAIN(TstMetainfoHostile)
#include "tst_metainfo_hostile.moc"
