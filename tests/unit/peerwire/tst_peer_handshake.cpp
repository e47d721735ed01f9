// The BEP 3 handshake (encoding, reserved bits, incremental parse, early
// refusal of other protocols and foreign info-hashes), our peer id, and client
// names decoded from real peer ids.
#include <QtTest>

#include <cctype>
#include <cstring>

#include "engine/bt/ClientName.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/PeerId.h"

using namespace tributary::bt;

namespace {

Handshake sampleHandshake() {
  Handshake h;
  h.reserved = ReservedBits::ours(true);
  for (std::size_t i = 0; i < 20; ++i) {
    h.infoHash[i] = static_cast<std::byte>(0xA0 + i);
  }
  h.peerId = peerIdFromString("-qB4520-abcdefghijkl");
  return h;
}

std::span<const std::byte> asBytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

}  // namespace

class TestPeerHandshake : public QObject {
  Q_OBJECT

 private slots:
  void encodesTheBep3Layout() {
    const Handshake h = sampleHandshake();
    const auto bytes = encodeHandshake(h);
    QCOMPARE(bytes.size(), std::size_t{68});
    QCOMPARE(static_cast<int>(bytes[0]), 19);
    QCOMPARE(std::memcmp(bytes.data() + 1, "BitTorrent protocol", 19), 0);
    // Reserved: extension protocol is byte 5 bit 0x10; fast 0x04 and DHT 0x01 in byte 7.
    QCOMPARE(static_cast<int>(bytes[20 + 5]), 0x10);
    QCOMPARE(static_cast<int>(bytes[20 + 7]), 0x05);
    QCOMPARE(std::memcmp(bytes.data() + 28, h.infoHash.data(), 20), 0);
    QCOMPARE(std::memcmp(bytes.data() + 48, "-qB4520-abcdefghijkl", 20), 0);
  }

  void reservedBits() {
    ReservedBits bits;
    QVERIFY(!bits.extensionProtocol() && !bits.fastExtension() && !bits.dht());
    bits.setFastExtension(true);
    QVERIFY(bits.fastExtension() && !bits.dht());
    bits.setDht(true);
    bits.setFastExtension(false);
    QVERIFY(!bits.fastExtension() && bits.dht());
    QVERIFY(!ReservedBits::ours(false).dht());
    QVERIFY(ReservedBits::ours(false).extensionProtocol());
  }

  void parsesWholeAndKeepsTheRest() {
    const Handshake h = sampleHandshake();
    std::vector<std::byte> wire;
    appendHandshake(wire, h);
    wire.push_back(std::byte{0});  // first byte of the next message
    HandshakeReader reader;
    const auto step = reader.feed(wire);
    QCOMPARE(step.status, HandshakeReader::Status::Complete);
    QCOMPARE(step.consumed, std::size_t{68});
    QVERIFY(reader.handshake() == h);
    QVERIFY(reader.handshake().reserved.extensionProtocol());
    // Later feeds take nothing.
    QCOMPARE(reader.feed(wire).consumed, std::size_t{0});
  }

  void parsesByteByByteAndReportsInfoHashEarly() {
    const Handshake h = sampleHandshake();
    const auto wire = encodeHandshake(h);
    HandshakeReader reader;
    for (std::size_t i = 0; i < wire.size(); ++i) {
      QCOMPARE(reader.infoHashReady(), i >= 48);
      const auto step = reader.feed(std::span(wire).subspan(i, 1));
      QCOMPARE(step.consumed, std::size_t{1});
      QCOMPARE(step.status, i + 1 == wire.size() ? HandshakeReader::Status::Complete
                                                 : HandshakeReader::Status::NeedMore);
      if (i + 1 == 48) {
        QVERIFY(reader.handshake().infoHash == h.infoHash);  // before the peer id
      }
    }
    QVERIFY(reader.handshake() == h);
  }

  void refusesAnotherProtocolAtTheFirstWrongByte() {
    HandshakeReader reader;
    const auto step = reader.feed(asBytes("GET / HTTP/1.1\r\n"));
    QCOMPARE(step.status, HandshakeReader::Status::Error);
    QCOMPARE(step.error, PeerWireError::BadProtocolString);

    HandshakeReader lengthOnly;
    QCOMPARE(lengthOnly.feed(asBytes("\x14")).status, HandshakeReader::Status::Error);

    HandshakeReader late;  // right length byte, wrong letter 10 bytes in
    QCOMPARE(late.feed(asBytes("\x13"
                               "BitTorrent"))
                 .status,
             HandshakeReader::Status::NeedMore);
    const auto bad = late.feed(asBytes(" Protocol"));
    QCOMPARE(bad.status, HandshakeReader::Status::Error);
    QCOMPARE(bad.error, PeerWireError::BadProtocolString);
    QCOMPARE(late.feed(asBytes("x")).status, HandshakeReader::Status::Error);  // sticky
  }

  void refusesAnUnexpectedInfoHash() {
    Handshake h = sampleHandshake();
    tributary::util::Sha1::Digest other{};
    other[0] = std::byte{1};
    HandshakeReader reader(other);
    const auto step = reader.feed(encodeHandshake(h));
    QCOMPARE(step.status, HandshakeReader::Status::Error);
    QCOMPARE(step.error, PeerWireError::InfoHashMismatch);
    QVERIFY(!peerWireErrorReason(step.error).empty());

    HandshakeReader matching(h.infoHash);
    QCOMPARE(matching.feed(encodeHandshake(h)).status, HandshakeReader::Status::Complete);
  }

  void ourPeerId() {
    const PeerId a = generatePeerId();
    const PeerId b = generatePeerId();
    QCOMPARE(peerIdView(a).substr(0, 8), std::string_view("-TY0100-"));
    QVERIFY(a != b);
    for (const std::byte c : a) {
      const auto ch = static_cast<char>(c);
      QVERIFY2(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_',
               "peer id characters are URL-safe");
    }
    QCOMPARE(clientNameFromPeerId(a), std::string("Tributary 0.1.0"));
  }

  void printablePrefix() {
    QCOMPARE(printablePeerIdPrefix(peerIdFromString("-qB4520-xxxxxxxxxxxx")),
             std::string("-qB4520-"));
    PeerId raw = peerIdFromString("exbc");
    raw[4] = std::byte{0};
    raw[5] = std::byte{0x96};
    raw[6] = std::byte{'%'};
    raw[7] = std::byte{'\n'};
    QCOMPARE(printablePeerIdPrefix(raw), std::string("exbc%00%96%25%0A"));
  }

  void clientNames_data() {
    QTest::addColumn<QByteArray>("peerId");
    QTest::addColumn<QString>("name");
    QTest::newRow("qBittorrent 4.5.2") << QByteArray("-qB4520-k3jd8shw7q2m") << "qBittorrent 4.5.2";
    QTest::newRow("libtorrent 2.0.9") << QByteArray("-LT2090-abcdefghijkl") << "libtorrent 2.0.9";
    QTest::newRow("libtorrent 1.2.10") << QByteArray("-LT12A0-abcdefghijkl") << "libtorrent 1.2.10";
    QTest::newRow("rTorrent 0.13.8") << QByteArray("-lt0D80-abcdefghijkl") << "rTorrent 0.13.8";
    QTest::newRow("Transmission 3.00") << QByteArray("-TR3000-abcdefghijkl") << "Transmission 3.00";
    QTest::newRow("Transmission 2.94") << QByteArray("-TR2940-abcdefghijkl") << "Transmission 2.94";
    QTest::newRow("Transmission 4.0.5")
        << QByteArray("-TR4050-abcdefghijkl") << "Transmission 4.0.5";
    QTest::newRow("Transmission 0.72") << QByteArray("-TR0072-abcdefghijkl") << "Transmission 0.72";
    QTest::newRow("uTorrent 3.5.5")
        << QByteArray("-UT3550-abcdefghijkl") << QString::fromUtf8("\xC2\xB5Torrent 3.5.5");
    QTest::newRow("uTorrent 2.2.1 beta")
        << QByteArray("-UT221B-abcdefghijkl") << QString::fromUtf8("\xC2\xB5Torrent 2.2.1 Beta");
    QTest::newRow("Deluge 2.1.1") << QByteArray("-DE2110-abcdefghijkl") << "Deluge 2.1.1";
    QTest::newRow("Vuze 5.7.6.0") << QByteArray("-AZ5760-abcdefghijkl") << "Vuze 5.7.6";
    QTest::newRow("BiglyBT 3.2.0.1") << QByteArray("-BI3201-abcdefghijkl") << "BiglyBT 3.2.0.1";
    QTest::newRow("BitComet 1.50") << QByteArray("-BC0150-abcdefghijkl") << "BitComet 1.50";
    QTest::newRow("KTorrent 5.0.1") << QByteArray("-KT5010-abcdefghijkl") << "KTorrent 5.0.1";
    QTest::newRow("KTorrent RC") << QByteArray("-KT22R1-abcdefghijkl") << "KTorrent 2.2 RC 1";
    QTest::newRow("aria2 1.35.0") << QByteArray("A2-1-35-0-abcdefghij") << "aria2 1.35.0";
    QTest::newRow("Tixati 2.83") << QByteArray("TIX0283-abcdefghijkl") << "Tixati 2.83";
    QTest::newRow("Shadow 5.8.11") << QByteArray("S58B-----abcdefghijk") << "Shadow 5.8.11";
    QTest::newRow("BitTornado 0.3.18") << QByteArray("T03I-----abcdefghijk") << "BitTornado 0.3.18";
    QTest::newRow("ABC 2.6.9") << QByteArray("A269-----abcdefghijk") << "ABC 2.6.9";
    QTest::newRow("Mainline 4.3.6") << QByteArray("M4-3-6--abcdefghijkl") << "Mainline 4.3.6";
    QTest::newRow("Mainline 4.20.8") << QByteArray("M4-20-8-abcdefghijkl") << "Mainline 4.20.8";
    QTest::newRow("unknown") << QByteArray(
                                    "XYZ\x01\x02"
                                    "abcdefghijklmno")
                             << "Unknown [XYZ%01%02abc]";
    QTest::newRow("unknown az code") << QByteArray("-Q?1234-abcdefghijkl") << "Unknown [-Q?1234-]";
  }

  void clientNames() {
    QFETCH(QByteArray, peerId);
    QFETCH(QString, name);
    QCOMPARE(peerId.size(), 20);
    const PeerId id = peerIdFromString(std::string_view(peerId.constData(), 20));
    QCOMPARE(QString::fromStdString(clientNameFromPeerId(id)), name);
  }

  void bitCometBinaryVersion() {
    PeerId id = peerIdFromString("exbc..LORDabcdefghij");
    id[4] = std::byte{0};
    id[5] = std::byte{59};
    QCOMPARE(clientNameFromPeerId(id), std::string("BitLord 0.59"));
    id[6] = std::byte{'x'};
    QCOMPARE(clientNameFromPeerId(id), std::string("BitComet 0.59"));
  }
};

QTEST_GUILESS_MAIN(TestPeerHandshake)
#include "tst_peer_handshake.moc"
