#include <QtTest>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "engine/codec/HexBase32.h"

using namespace tributary::codec;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace

class TstHexBase32 : public QObject {
  Q_OBJECT
 private slots:
  void hexVectors() {
    QCOMPARE(hexEncode(bytes("")), std::string());
    QCOMPARE(hexEncode(bytes("foobar")), std::string("666f6f626172"));
    const std::vector<std::uint8_t> edge = {0x00, 0x0f, 0xf0, 0xff, 0xab};
    QCOMPARE(hexEncode(edge), std::string("000ff0ffab"));
    QCOMPARE(hexDecode("000FF0ffAb").value_or(std::vector<std::uint8_t>{}), edge);
    QCOMPARE(hexDecode("").value_or(std::vector<std::uint8_t>{1}), std::vector<std::uint8_t>{});
  }

  void hexRejects() {
    QVERIFY(!hexDecode("abc"));   // odd length
    QVERIFY(!hexDecode("0g"));    // not hex
    QVERIFY(!hexDecode(" 00"));   // no trimming
    QVERIFY(!hexDecode("0x00"));  // no prefix
    QVERIFY(!hexDecode(std::string("0\0", 2)));
  }

  void hexFixedSize() {
    std::array<std::uint8_t, 20> hash{};
    const std::string text = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    QVERIFY(hexDecode(text, hash));
    QCOMPARE(hash[0], std::uint8_t{0xc1});
    QCOMPARE(hash[19], std::uint8_t{0x8a});
    QCOMPARE(hexEncode(hash), text);
    QVERIFY(!hexDecode(text.substr(2), hash));  // too short
    QVERIFY(!hexDecode(text + "00", hash));     // too long
    QVERIFY(!hexDecode(text.substr(0, 39) + "z", hash));
  }

  // RFC 4648 §10.
  void base32Vectors_data() {
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("padded");
    QTest::newRow("empty") << QByteArray("") << QByteArray("");
    QTest::newRow("f") << QByteArray("f") << QByteArray("MY======");
    QTest::newRow("fo") << QByteArray("fo") << QByteArray("MZXQ====");
    QTest::newRow("foo") << QByteArray("foo") << QByteArray("MZXW6===");
    QTest::newRow("foob") << QByteArray("foob") << QByteArray("MZXW6YQ=");
    QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("MZXW6YTB");
    QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("MZXW6YTBOI======");
  }
  void base32Vectors() {
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, padded);
    const std::vector<std::uint8_t> in = bytes(plain.toStdString());
    QCOMPARE(base32Encode(in, true), padded.toStdString());
    std::string unpadded = padded.toStdString();
    unpadded.erase(unpadded.find_last_not_of('=') + 1);
    if (padded.isEmpty()) {
      unpadded.clear();
    }
    QCOMPARE(base32Encode(in), unpadded);
    QCOMPARE(base32Decode(padded.toStdString()).value_or(std::vector<std::uint8_t>{9}), in);
    QCOMPARE(base32Decode(unpadded).value_or(std::vector<std::uint8_t>{9}), in);
    QCOMPARE(base32Decode(QString::fromLatin1(padded).toLower().toStdString())
                 .value_or(std::vector<std::uint8_t>{9}),
             in);
  }

  void base32Rejects_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("one char") << "M";
    QTest::newRow("three chars") << "MZX";
    QTest::newRow("six chars") << "MZXW6Y";
    QTest::newRow("bad letter 1") << "MZXW1===";
    QTest::newRow("bad letter 8") << "MZXW8===";
    QTest::newRow("padding in middle") << "MY=ZXW6=";
    QTest::newRow("too much padding") << "MY=======";
    QTest::newRow("whole group of padding") << "========";
    QTest::newRow("padding not to a multiple of 8") << "MY==";
    QTest::newRow("non-zero leftover bits") << "MZ";  // 'Z' leaves bits set past the byte
    QTest::newRow("space") << "MZXW 6==";
  }
  void base32Rejects() {
    QFETCH(QString, text);
    QVERIFY(!base32Decode(text.toStdString()));
  }

  void base32InfoHash() {
    // A BTIH in base32 (magnet links) is 32 characters for 20 bytes.
    std::array<std::uint8_t, 20> hash{};
    for (std::size_t i = 0; i < hash.size(); ++i) {
      hash[i] = static_cast<std::uint8_t>(i * 13 + 7);
    }
    const std::string text = base32Encode(hash);
    QCOMPARE(text.size(), std::size_t{32});
    std::array<std::uint8_t, 20> back{};
    QVERIFY(base32Decode(text, back));
    QVERIFY(back == hash);
    std::array<std::uint8_t, 19> shorter{};
    QVERIFY(!base32Decode(text, shorter));
    std::array<std::uint8_t, 21> longer{};
    QVERIFY(!base32Decode(text, longer));
  }

  void roundTripsRandomBytes() {
    std::mt19937 rng(12345);
    for (int round = 0; round < 500; ++round) {
      std::vector<std::uint8_t> data(rng() % 64);
      for (auto& b : data) {
        b = static_cast<std::uint8_t>(rng());
      }
      QCOMPARE(hexDecode(hexEncode(data)).value_or(std::vector<std::uint8_t>{1}), data);
      QCOMPARE(base32Decode(base32Encode(data)).value_or(std::vector<std::uint8_t>{1}), data);
      QCOMPARE(base32Decode(base32Encode(data, true)).value_or(std::vector<std::uint8_t>{1}), data);
    }
  }
};

QTEST_GUILESS_MAIN(TstHexBase32)
#include "tst_hex_base32.moc"
