#include <QtTest>

#include "engine/bt/TorrentPath.h"
#include "engine/codec/Utf8.h"

using namespace tributary::bt;

class TstTorrentPath : public QObject {
  Q_OBJECT
 private slots:
  void elements() {
    QCOMPARE(sanitizePathElement(""), std::string());
    QCOMPARE(sanitizePathElement("."), std::string());
    QCOMPARE(sanitizePathElement(".."), std::string());
    QCOMPARE(sanitizePathElement("normal name.txt"), std::string("normal name.txt"));
    QCOMPARE(sanitizePathElement(".hidden"), std::string(".hidden"));
    QCOMPARE(sanitizePathElement(" ."), std::string("_"));
    QCOMPARE(sanitizePathElement("a:b"), std::string("a_b"));
    QCOMPARE(sanitizePathElement("CONIN$"), std::string("_CONIN$"));
    QCOMPARE(sanitizePathElement("con."), std::string("_con"));  // trimmed, then reserved
    QCOMPARE(sanitizePathElement("\xE4\xB8\xAD\xE6\x96\x87"),
             std::string("\xE4\xB8\xAD\xE6\x96\x87"));
    QCOMPARE(sanitizePathElement("\xC0\xAF"), std::string("__"));  // overlong '/': two bad bytes
  }

  void shortening() {
    QCOMPARE(shortenName("short.txt", 255), std::string("short.txt"));
    QCOMPARE(shortenName(std::string(300, 'a') + ".txt", 20), std::string(16, 'a') + ".txt");
    // An "extension" longer than 16 bytes is part of the name.
    const std::string longTail = "a." + std::string(40, 'b');
    QCOMPARE(shortenName(longTail, 20), longTail.substr(0, 20));
    // No cut inside a UTF-8 sequence, and no trailing dot or space left at the cut.
    std::string cjk;
    for (int i = 0; i < 10; ++i) {
      cjk += "\xE4\xB8\xAD";
    }
    const std::string cut = shortenName(cjk, 16);
    QCOMPARE(cut.size(), std::size_t{15});
    QVERIFY(tributary::codec::isValidUtf8(cut));
    QCOMPARE(shortenName("abc  " + std::string(30, '.'), 10), std::string("abc"));
  }

  void symlinkTargets() {
    using V = std::vector<std::string_view>;
    QCOMPARE(sanitizeSymlinkTarget(V{"a", "b"}).value(), (std::vector<std::string>{"a", "b"}));
    QCOMPARE(sanitizeSymlinkTarget(V{"", ".", "a"}).value(), (std::vector<std::string>{"a"}));
    QCOMPARE(sanitizeSymlinkTarget(V{"C:"}).value(), (std::vector<std::string>{"C_"}));
    QVERIFY(!sanitizeSymlinkTarget(V{"a", ".."}));
    QVERIFY(!sanitizeSymlinkTarget(V{"a/b"}));
    QVERIFY(!sanitizeSymlinkTarget(V{"a\\b"}));
    QVERIFY(!sanitizeSymlinkTarget(V{}));
  }

  void distinctPathsIgnoreCaseAndPadding() {
    std::vector<std::vector<std::string>> paths = {
        {"t", "x"}, {"t", ".pad", "1"}, {"t", ".pad", "1"}, {"t", "X"}, {"t", ".pad"}};
    makePathsDistinct(paths, {false, true, true, false, false});
    QCOMPARE(joinPath(paths[0]), std::string("t/x"));
    QCOMPARE(joinPath(paths[1]), std::string("t/.pad/1"));  // padding: untouched
    QCOMPARE(joinPath(paths[2]), std::string("t/.pad/1"));
    QCOMPARE(joinPath(paths[3]), std::string("t/X (1)"));
    // Padding folders are not folders anyone creates, so a file may take the name.
    QCOMPARE(joinPath(paths[4]), std::string("t/.pad"));
  }

  void numberedNamesStayWithinTheLimit() {
    const std::string name = std::string(251, 'n') + ".txt";
    std::vector<std::vector<std::string>> paths = {{name}, {name}};
    makePathsDistinct(paths, {});
    QCOMPARE(paths[0][0], name);
    QVERIFY(paths[1][0].size() <= kMaxNameBytes);
    QVERIFY(paths[1][0].ends_with(" (1).txt"));
  }
};

QTEST_GUILESS_MAIN(TstTorrentPath)
#include "tst_torrent_path.moc"
