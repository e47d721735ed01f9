#include <QtTest>

#include <string>

#include "engine/codec/Utf8.h"

using namespace tributary::codec;

class TstUtf8 : public QObject {
  Q_OBJECT
 private slots:
  void acceptsValid_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("ascii") << QByteArray("hello");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("two byte") << QByteArray("\xC3\xA9");
    QTest::newRow("three byte") << QByteArray("\xE4\xB8\xAD\xE6\x96\x87");
    QTest::newRow("four byte") << QByteArray("\xF0\x9F\x98\x80");
    QTest::newRow("max") << QByteArray("\xF4\x8F\xBF\xBF");
    QTest::newRow("nul") << QByteArray("a\0b", 3);
  }
  void acceptsValid() {
    QFETCH(QByteArray, text);
    QVERIFY(isValidUtf8(text.toStdString()));
  }

  void rejectsInvalid_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("lone continuation") << QByteArray("\x80");
    QTest::newRow("truncated two byte") << QByteArray("\xC3");
    QTest::newRow("truncated four byte") << QByteArray("\xF0\x9F\x98");
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF");
    QTest::newRow("overlong three byte") << QByteArray("\xE0\x80\xAF");
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80");
    QTest::newRow("above max") << QByteArray("\xF4\x90\x80\x80");
    QTest::newRow("F5") << QByteArray("\xF5\x80\x80\x80");
    QTest::newRow("FF") << QByteArray("\xFF");
    QTest::newRow("latin1 e-acute") << QByteArray("caf\xE9");
  }
  void rejectsInvalid() {
    QFETCH(QByteArray, text);
    QVERIFY(!isValidUtf8(text.toStdString()));
  }

  void decodesAndAdvances() {
    const std::string s = "a\xC3\xA9\xF0\x9F\x98\x80\x80";
    std::size_t pos = 0;
    QCOMPARE(decodeUtf8(s, pos), std::int32_t{'a'});
    QCOMPARE(decodeUtf8(s, pos), std::int32_t{0xE9});
    QCOMPARE(pos, std::size_t{3});
    QCOMPARE(decodeUtf8(s, pos), std::int32_t{0x1F600});
    QCOMPARE(pos, std::size_t{7});
    QCOMPARE(decodeUtf8(s, pos), std::int32_t{-1});  // stray continuation: one byte skipped
    QCOMPARE(pos, std::size_t{8});
  }

  void encodesEveryPlane() {
    for (const std::int32_t cp : {0x41, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}) {
      std::string out;
      appendUtf8(out, cp);
      std::size_t pos = 0;
      QCOMPARE(decodeUtf8(out, pos), cp);
      QCOMPARE(pos, out.size());
    }
  }

  void convertsLatin1() {
    QCOMPARE(latin1ToUtf8("caf\xE9"), std::string("caf\xC3\xA9"));
    QCOMPARE(latin1ToUtf8("\xFF"), std::string("\xC3\xBF"));
    QVERIFY(isValidUtf8(latin1ToUtf8("\x80\x81\xFE")));
  }
};

QTEST_GUILESS_MAIN(TstUtf8)
#include "tst_utf8.moc"
