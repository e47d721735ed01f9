// utp::UtpPacket: the BEP 29 header and extension chain, round trips, and
// malformed input rejected with a reason (never read past the end).
#include <QtTest>

#include <cstdint>
#include <vector>

#include "engine/utp/UtpPacket.h"

using namespace tributary;
using namespace tributary::utp;

namespace {

std::vector<std::byte> bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  for (unsigned v : values) {
    out.push_back(static_cast<std::byte>(v));
  }
  return out;
}

PacketHeader sampleHeader() {
  PacketHeader h;
  h.type = PacketType::Data;
  h.connectionId = 0xBEEF;
  h.timestampUs = 0x01020304;
  h.timestampDifferenceUs = 0xA0B0C0D0;
  h.windowSize = 0x00100000;
  h.seqNr = 0xFFFE;
  h.ackNr = 7;
  return h;
}

}  // namespace

class TstUtpPacket : public QObject {
  Q_OBJECT
 private slots:
  void headerLayoutIsBigEndianV1() {
    std::vector<std::byte> out;
    const auto payload = bytes({'x', 'y'});
    writePacket(sampleHeader(), {}, payload, out);
    const auto expected = bytes({0x01, 0x00, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0xA0, 0xB0, 0xC0,
                                 0xD0, 0x00, 0x10, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x07, 'x',  'y'});
    QCOMPARE(out, expected);
  }

  void roundTripWithSack() {
    PacketHeader h = sampleHeader();
    h.type = PacketType::State;
    const auto sack = bytes({0x05, 0x00, 0x80, 0x01});
    std::vector<std::byte> out;
    writePacket(h, sack, {}, out);
    QCOMPARE(out.size(), kHeaderSize + 2 + 4);
    QCOMPARE(std::to_integer<int>(out[1]), 1);  // first extension: SACK
    const Result<Packet> parsed = parsePacket(out);
    QVERIFY(parsed.ok());
    const Packet& p = parsed.value();
    QCOMPARE(p.header.type, PacketType::State);
    QCOMPARE(p.header.connectionId, h.connectionId);
    QCOMPARE(p.header.timestampUs, h.timestampUs);
    QCOMPARE(p.header.timestampDifferenceUs, h.timestampDifferenceUs);
    QCOMPARE(p.header.windowSize, h.windowSize);
    QCOMPARE(p.header.seqNr, h.seqNr);
    QCOMPARE(p.header.ackNr, h.ackNr);
    QCOMPARE(std::vector<std::byte>(p.sack.begin(), p.sack.end()), sack);
    QVERIFY(p.payload.empty());
  }

  void everyTypeParses() {
    for (unsigned t = 0; t <= 4; ++t) {
      PacketHeader h = sampleHeader();
      h.type = static_cast<PacketType>(t);
      std::vector<std::byte> out;
      writePacket(h, {}, {}, out);
      QVERIFY(looksLikeUtp(out));
      const auto parsed = parsePacket(out);
      QVERIFY(parsed.ok());
      QCOMPARE(static_cast<unsigned>(parsed.value().header.type), t);
    }
  }

  void unknownExtensionIsSkipped() {
    // Extension 2 (libutp's extension bits, 8 bytes), then a SACK, then payload.
    std::vector<std::byte> out;
    writePacket(sampleHeader(), {}, {}, out);
    out[1] = std::byte{2};
    const auto chain = bytes({1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0xFF, 0, 0, 0, 'p'});
    out.insert(out.end(), chain.begin(), chain.end());
    const auto parsed = parsePacket(out);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().sack.size(), std::size_t{4});
    QCOMPARE(std::to_integer<int>(parsed.value().sack[0]), 0xFF);
    QCOMPARE(parsed.value().payload.size(), std::size_t{1});
  }

  void malformedIsAnErrorWithAReason_data() {
    QTest::addColumn<QByteArray>("tail");  // what follows the header
    QTest::addColumn<int>("firstExtension");
    QTest::addColumn<QString>("reason");
    QTest::newRow("truncated extension header") << QByteArray("\x00", 1) << 1 << "truncated";
    QTest::newRow("extension past the end")
        << QByteArray("\x00\x08\x01\x02", 4) << 1 << "past the end";
    QTest::newRow("sack not a multiple of 4")
        << QByteArray("\x00\x03\x01\x02\x03", 5) << 1 << "multiple of 4";
    QTest::newRow("empty sack") << QByteArray("\x00\x00", 2) << 1 << "multiple of 4";
    QTest::newRow("two sacks") << QByteArray("\x01\x04\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00", 12)
                               << 1 << "two selective";
    QTest::newRow("unknown ext truncated") << QByteArray("\x00\x09", 2) << 7 << "past the end";
  }
  void malformedIsAnErrorWithAReason() {
    QFETCH(QByteArray, tail);
    QFETCH(int, firstExtension);
    QFETCH(QString, reason);
    std::vector<std::byte> out;
    writePacket(sampleHeader(), {}, {}, out);
    out[1] = static_cast<std::byte>(firstExtension);
    for (char c : tail) {
      out.push_back(static_cast<std::byte>(c));
    }
    const auto parsed = parsePacket(out);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, ErrorCode::ProtocolError);
    QVERIFY2(QString::fromStdString(parsed.error().detail).contains(reason),
             parsed.error().detail.c_str());
  }

  void oversizedSackIsCut() {
    auto withSack = [](std::size_t n) {
      std::vector<std::byte> out;
      writePacket(sampleHeader(), {}, {}, out);
      out[1] = std::byte{1};
      out.push_back(std::byte{0});
      out.push_back(static_cast<std::byte>(n));
      for (std::size_t i = 0; i < n; ++i) {
        out.push_back(static_cast<std::byte>(i));
      }
      out.push_back(std::byte{0x42});  // payload after the extension
      return out;
    };
    QVERIFY(parsePacket(withSack(kMaxSackBytes)).ok());
    // Legal up to 252 bytes: the packet counts, only the first kMaxSackBytes are looked at.
    for (std::size_t n : {kMaxSackBytes + 4, std::size_t{252}}) {
      const std::vector<std::byte> bytes = withSack(n);  // the parse's views point into it
      const auto parsed = parsePacket(bytes);
      QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().detail.c_str());
      QCOMPARE(parsed.value().sack.size(), kMaxSackBytes);
      QCOMPARE(std::to_integer<int>(parsed.value().sack.back()), int(kMaxSackBytes - 1));
      QCOMPARE(parsed.value().payload.size(), std::size_t{1});
      QCOMPARE(std::to_integer<int>(parsed.value().payload[0]), 0x42);
    }
    const auto refused = parsePacket(withSack(254));  // not a multiple of 4
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().detail.find("selective ack") != std::string::npos);
  }

  void badHeaders() {
    std::vector<std::byte> out;
    writePacket(sampleHeader(), {}, {}, out);
    for (std::size_t n = 0; n < kHeaderSize; ++n) {
      const std::span<const std::byte> cut(out.data(), n);
      QVERIFY(!looksLikeUtp(cut));
      QVERIFY(!parsePacket(cut).ok());
    }
    auto wrongVersion = out;
    wrongVersion[0] = std::byte{0x02};
    QVERIFY(!looksLikeUtp(wrongVersion));
    QVERIFY(!parsePacket(wrongVersion).ok());
    auto wrongType = out;
    wrongType[0] = std::byte{0x51};
    QVERIFY(!looksLikeUtp(wrongType));
    QVERIFY(!parsePacket(wrongType).ok());
    // A DHT datagram ("d1:ad2:id20:...") is not uTP.
    const QByteArray dht("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
    QVERIFY(!looksLikeUtp(std::as_bytes(std::span(dht.constData(), dht.size()))));
  }

  void sequenceArithmeticWraps() {
    QCOMPARE(seqDistance(65535, 1), std::uint16_t{2});
    QVERIFY(seqLess(65535, 1));
    QVERIFY(!seqLess(1, 65535));
    QVERIFY(!seqLess(5, 5));
    QVERIFY(seqLess(100, 100 + 0x7fff));
    QVERIFY(!seqLess(100, static_cast<std::uint16_t>(100 + 0x8000)));
  }
};

QTEST_APPLESS_MAIN(TstUtpPacket)
#include "tst_utp_packet.moc"
