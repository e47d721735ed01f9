#include <QtTest>

#include <random>
#include <string>

#include "engine/codec/Utf8.h"
#include "engine/http/FileName.h"

using tributary::http::kMaxFileNameBytes;
using tributary::http::sanitizeFileName;

namespace {

bool looksSafe(const std::string& name) {
  if (name.empty() || name.size() > kMaxFileNameBytes || !tributary::codec::isValidUtf8(name)) {
    return false;
  }
  if (name.front() == '.' || name.front() == ' ' || name.back() == '.' || name.back() == ' ') {
    return false;
  }
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F ||
        std::string_view("<>:\"/\\|?*").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

class TstFileName : public QObject {
  Q_OBJECT
 private slots:
  void sanitizes_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    auto row = [](const char* name, const QByteArray& in, const QByteArray& out) {
      QTest::newRow(name) << in << out;
    };
    row("plain", "report.pdf", "report.pdf");
    row("unix traversal", "../../etc/passwd", "passwd");
    row("windows traversal", "..\\..\\windows\\system32\\cmd.exe", "cmd.exe");
    row("drive path", "C:\\x.txt", "x.txt");
    row("drive relative", "C:x.txt", "C_x.txt");
    row("windows characters", "a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt");
    row("line break", "line\r\nbreak.txt", "line__break.txt");
    row("tab", "tab\there", "tab_here");
    row("NUL", QByteArray("a\0b", 3), "a_b");
    row("DEL", "x\x7fy", "x_y");
    row("C1 control", "x\xC2\x85y", "x_y");
    row("hidden file", ".bashrc", "bashrc");
    row("trailing dots and spaces", "trailing.  .. ", "trailing");
    row("leading spaces", "  leading spaces.txt", "leading spaces.txt");
    row("inner dots kept", "a..b.tar.gz", "a..b.tar.gz");
    row("CON", "CON", "_CON");
    row("con.txt", "con.txt", "_con.txt");
    row("Nul.tar.gz", "Nul.tar.gz", "_Nul.tar.gz");
    row("COM1", "COM1", "_COM1");
    row("LPT9.log", "LPT9.log", "_LPT9.log");
    row("CON space ext", "CON .txt", "_CON .txt");
    row("aux", "aux", "_aux");
    row("CONOUT$", "conout$", "_conout$");
    row("CONSOLE is fine", "CONSOLE.txt", "CONSOLE.txt");
    row("COM10 is fine", "COM10", "COM10");
    row("invalid utf-8", "caf\xE9.txt", "caf_.txt");
    row("valid utf-8", "\xC3\xA9t\xC3\xA9.txt", "\xC3\xA9t\xC3\xA9.txt");
    row("cjk", "\xE6\x96\x87\xE4\xBB\xB6.zip", "\xE6\x96\x87\xE4\xBB\xB6.zip");
    row("bidi override", "photo\xE2\x80\xAEgpj.exe", "photogpj.exe");
    row("isolate",
        "a\xE2\x81\xA6"
        "b",
        "ab");
    row("emoji", "\xF0\x9F\x98\x80.png", "\xF0\x9F\x98\x80.png");
  }
  void sanitizes() {
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const std::string out = sanitizeFileName(input.toStdString(), "fallback.bin");
    QCOMPARE(QByteArray::fromStdString(out), expected);
    QVERIFY(looksSafe(out));
  }

  void emptyBecomesFallback() {
    for (const char* in :
         {"", ".", "..", "...", "   ", " . . ", "/", "a/", "..\\", "\xE2\x80\xAE"}) {
      QCOMPARE(sanitizeFileName(in, "fallback.bin"), std::string("fallback.bin"));
    }
    QCOMPARE(sanitizeFileName("", "../x/y.bin"), std::string("y.bin"));
    QCOMPARE(sanitizeFileName("", ""), std::string("download"));
    QCOMPARE(sanitizeFileName("..", "..."), std::string("download"));
  }

  void capsLengthKeepingExtension() {
    const std::string longAscii = sanitizeFileName(std::string(300, 'a') + ".txt", "f");
    QCOMPARE(longAscii.size(), kMaxFileNameBytes);
    QVERIFY(longAscii.ends_with(".txt"));
    QVERIFY(looksSafe(longAscii));

    std::string accents;
    for (int i = 0; i < 200; ++i) {
      accents += "\xC3\xA9";
    }
    const std::string longUtf8 = sanitizeFileName(accents + ".mkv", "f");
    QVERIFY(longUtf8.size() <= kMaxFileNameBytes);
    QCOMPARE(longUtf8.size(), std::size_t{254});  // 125 two-byte letters + ".mkv"
    QVERIFY(longUtf8.ends_with(".mkv"));
    QVERIFY(tributary::codec::isValidUtf8(longUtf8));

    const std::string longExtension = sanitizeFileName("a." + std::string(300, 'b'), "f");
    QCOMPARE(longExtension.size(), kMaxFileNameBytes);
    QVERIFY(longExtension.starts_with("a.b"));

    const std::string exact = std::string(251, 'x') + ".iso";
    QCOMPARE(sanitizeFileName(exact, "f"), exact);

    // Cutting must not leave a trailing dot or space before the extension is re-added.
    const std::string spaced =
        sanitizeFileName(std::string(250, 'y') + "     z.txt" + std::string(0, ' '), "f");
    QVERIFY(spaced.size() <= kMaxFileNameBytes);
    QVERIFY(looksSafe(spaced));
  }

  void randomBytesAlwaysGiveSafeNames() {
    std::mt19937 rng(777);
    const char alphabet[] = "ab./\\:*?\"<>| \t\r\n\x7f\xC3\xA9\xE2\x80\xAE\xF0\x9F\x98\x80\xFF\x80";
    for (int round = 0; round < 3000; ++round) {
      std::string in(rng() % 400, '\0');
      for (char& c : in) {
        c = (rng() % 3 == 0) ? static_cast<char>(rng()) : alphabet[rng() % (sizeof(alphabet) - 1)];
      }
      const std::string out = sanitizeFileName(in, "fallback");
      QVERIFY2(looksSafe(out), out.c_str());
      // Sanitising is idempotent.
      QCOMPARE(sanitizeFileName(out, "other"), out);
    }
  }
};

QTEST_GUILESS_MAIN(TstFileName)
#include "tst_file_name.moc"
