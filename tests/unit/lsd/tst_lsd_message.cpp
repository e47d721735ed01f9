// The BEP 14 announce codec: what we send, what we accept from the network
// and what we refuse (over-long datagrams, bad ports, no valid info-hash).
#include <QtTest>

#include <cstring>
#include <string>
#include <vector>

#include "engine/bt/LsdMessage.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

util::Sha1::Digest hashOf(unsigned char seed) {
  util::Sha1::Digest d{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i] = static_cast<std::byte>(seed + i);
  }
  return d;
}

Result<LsdAnnounce> parse(const std::string& text, LsdLimits limits = {}) {
  return parseLsdAnnounce(std::as_bytes(std::span(text)), limits);
}

const std::string kHex = "0102030405060708090a0b0c0d0e0f1011121314";  // hashOf(1)

}  // namespace

class TstLsdMessage : public QObject {
  Q_OBJECT
 private slots:
  void encodesTheBepLayout() {
    const std::vector<util::Sha1::Digest> hashes{hashOf(1)};
    const std::string text = encodeLsdAnnounce(kLsdHostV4, 6881, hashes, "abc123");
    QCOMPARE(QString::fromStdString(text),
             QString::fromStdString("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n"
                                    "Port: 6881\r\nInfohash: " +
                                    kHex + "\r\ncookie: abc123\r\n\r\n\r\n"));
  }

  void roundTripsSeveralHashes() {
    std::vector<util::Sha1::Digest> hashes;
    for (unsigned char i = 0; i < 5; ++i) {
      hashes.push_back(hashOf(static_cast<unsigned char>(i * 20)));
    }
    const std::string text = encodeLsdAnnounce(kLsdHostV6, 51413, hashes, "c00k1e");
    const Result<LsdAnnounce> parsed = parse(text);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().port, std::uint16_t{51413});
    QCOMPARE(parsed.value().host, std::string(kLsdHostV6));
    QCOMPARE(parsed.value().cookie, std::string("c00k1e"));
    QVERIFY(parsed.value().infoHashes == hashes);
  }

  void encoderStaysUnderTheDatagramCap() {
    std::vector<util::Sha1::Digest> hashes;
    for (unsigned char i = 0; i < 60; ++i) {
      hashes.push_back(hashOf(i));
    }
    const std::string longest(200, 'h');
    const std::string text = encodeLsdAnnounce(longest, 65535, hashes, std::string(200, 'c'));
    QVERIFY(text.size() <= kLsdMaxDatagram);
    const Result<LsdAnnounce> parsed = parse(text);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().infoHashes.size(), kLsdMaxInfoHashesPerAnnounce);
    QCOMPARE(parsed.value().host.size(), kLsdMaxHost);
    QCOMPARE(parsed.value().cookie.size(), kLsdMaxCookie);
  }

  void acceptsLenientSpelling() {
    // Bare LF, any case of the header names, no cookie, no final blank line,
    // unknown headers, upper-case hex.
    std::string upper = kHex;
    for (char& c : upper) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const Result<LsdAnnounce> parsed = parse(
        "BT-SEARCH * HTTP/1.1\nhost: x\nPORT:  7000 \n"
        "X-Future: whatever\ninfohash: " +
        upper + "\n");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().port, std::uint16_t{7000});
    QCOMPARE(parsed.value().infoHashes.size(), std::size_t{1});
    QVERIFY(parsed.value().infoHashes[0] == hashOf(1));
    QVERIFY(parsed.value().cookie.empty());
  }

  void skipsBadHashesAndDuplicates() {
    const Result<LsdAnnounce> parsed =
        parse("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: xyz\r\nInfohash: " + kHex +
              "\r\nInfohash: " + kHex + "\r\nInfohash: " + kHex + "00\r\n\r\n");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().infoHashes.size(), std::size_t{1});
  }

  void capsTheHashCount() {
    std::vector<util::Sha1::Digest> hashes;
    for (unsigned char i = 0; i < 10; ++i) {
      hashes.push_back(hashOf(static_cast<unsigned char>(i * 20)));
    }
    const std::string text = encodeLsdAnnounce(kLsdHostV4, 1, hashes, "");
    const Result<LsdAnnounce> parsed = parse(text, LsdLimits{kLsdMaxDatagram, 3});
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().infoHashes.size(), std::size_t{3});
    QVERIFY(parsed.value().infoHashes[2] == hashes[2]);
  }

  void headersAfterTheBlankLineAreNotRead() {
    const Result<LsdAnnounce> parsed =
        parse("BT-SEARCH * HTTP/1.1\r\nPort: 5\r\n\r\nInfohash: " + kHex + "\r\n");
    QVERIFY(!parsed.ok());
  }

  void refusesMalformed_data() {
    QTest::addColumn<QByteArray>("text");
    const QByteArray ih = QByteArray::fromStdString("Infohash: " + kHex + "\r\n");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("m-search") << ("M-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + ih);
    QTest::newRow("http/1.0") << ("BT-SEARCH * HTTP/1.0\r\nPort: 1\r\n" + ih);
    QTest::newRow("no port") << ("BT-SEARCH * HTTP/1.1\r\n" + ih);
    QTest::newRow("port 0") << ("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\n" + ih);
    QTest::newRow("port 65536") << ("BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\n" + ih);
    QTest::newRow("port sign") << ("BT-SEARCH * HTTP/1.1\r\nPort: +80\r\n" + ih);
    QTest::newRow("port junk") << ("BT-SEARCH * HTTP/1.1\r\nPort: 80x\r\n" + ih);
    QTest::newRow("port empty") << ("BT-SEARCH * HTTP/1.1\r\nPort:\r\n" + ih);
    QTest::newRow("port twice") << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nPort: 2\r\n" + ih);
    QTest::newRow("no hash") << QByteArray("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n\r\n");
    QTest::newRow("short hash") << QByteArray(
        "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: ab\r\n");
    QTest::newRow("not a header") << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nnonsense\r\n" + ih);
    QTest::newRow("empty name") << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n: x\r\n" + ih);
    QTest::newRow("long cookie") << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\ncookie: " +
                                     QByteArray(33, 'c') + "\r\n" + ih);
    QTest::newRow("binary cookie")
        << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\ncookie: a\x01z\r\n" + ih);
    QTest::newRow("long host") << ("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nHost: " +
                                   QByteArray(65, 'h') + "\r\n" + ih);
    QByteArray big = "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + ih + "X: ";
    big.append(QByteArray(static_cast<int>(kLsdMaxDatagram), 'x'));
    QTest::newRow("over 1400 bytes") << big;
  }
  void refusesMalformed() {
    QFETCH(QByteArray, text);
    const Result<LsdAnnounce> parsed =
        parseLsdAnnounce(std::as_bytes(std::span(text.constData(), text.size())));
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, ErrorCode::ProtocolError);
  }
};

QTEST_GUILESS_MAIN(TstLsdMessage)
#include "tst_lsd_message.moc"
