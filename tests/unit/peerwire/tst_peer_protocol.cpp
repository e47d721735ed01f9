// Every rejection of issue 4 item 4, each with its reason: oversize length
// prefixes, wrong payload sizes, out-of-range indices, oversize / empty /
// past-the-end requests, bad bitfields, a second bitfield, a late bitfield,
// fast and extension messages that were not negotiated, and request floods
// while choked. Also what must NOT be rejected (the BEP 10 handshake before
// the bitfield, allowed-fast requests while choked, unknown ids).
#include <QtTest>

#include <set>

#include "engine/bt/PeerMessageDecoder.h"
#include "engine/bt/PeerMessageEncoder.h"
#include "engine/bt/PeerProtocolState.h"

using namespace tributary::bt;

namespace {

// 10 pieces of 64 KiB, the last one 10,000 bytes: 589,824 + 10,000 bytes.
constexpr TorrentGeometry kGeometry{10, 65536, 9ULL * 65536 + 10000};

std::vector<std::byte> bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  for (const unsigned v : values) {
    out.push_back(static_cast<std::byte>(v));
  }
  return out;
}

PeerMessage decodeOne(const WireBytes& wire) {
  const DecodeResult r = decodePeerMessage(wire);
  return r.message;
}

PeerMessage request(std::uint32_t index, std::uint32_t begin, std::uint32_t length,
                    MessageKind kind = MessageKind::Request) {
  PeerMessage m;
  m.kind = kind;
  m.index = index;
  m.begin = begin;
  m.length = length;
  return m;
}

PeerMessage simple(MessageKind kind, std::uint32_t index = 0) {
  PeerMessage m;
  m.kind = kind;
  m.index = index;
  return m;
}

ProtocolOptions allNegotiated() {
  ProtocolOptions options;
  options.fastExtension = true;
  options.extensionProtocol = true;
  return options;
}

}  // namespace

class TestPeerProtocol : public QObject {
  Q_OBJECT

 private slots:
  void lengthPrefixOverTheLimit() {
    // Default limit: a 1 MiB frame is legal (still arriving); one more byte is not.
    const auto ok = bytes({0x00, 0x10, 0x00, 0x00, 5});
    QCOMPARE(decodePeerMessage(ok).status, DecodeStatus::NeedMore);
    const auto tooLong = bytes({0x00, 0x10, 0x00, 0x01});
    const DecodeResult r = decodePeerMessage(tooLong);
    QCOMPARE(r.status, DecodeStatus::Error);
    QCOMPARE(r.error, PeerWireError::FrameTooLong);
    QCOMPARE(decodePeerMessage(bytes({0xFF, 0xFF, 0xFF, 0xFF})).error, PeerWireError::FrameTooLong);

    // The limit is a parameter (for larger metadata pieces later).
    const FrameLimits small{100};
    QCOMPARE(decodePeerMessage(bytes({0, 0, 0, 100, 20}), small).status, DecodeStatus::NeedMore);
    QCOMPARE(decodePeerMessage(bytes({0, 0, 0, 101}), small).error, PeerWireError::FrameTooLong);
  }

  void readerRefusesAHugePrefixWithoutBuffering() {
    PeerMessageReader reader;
    const auto wire = bytes({0x7F, 0xFF, 0xFF, 0xFF, 7, 0, 0});
    reader.feed(wire);
    const DecodeResult r = reader.next();
    QCOMPARE(r.status, DecodeStatus::Error);
    QCOMPARE(r.error, PeerWireError::FrameTooLong);
    QCOMPARE(reader.bufferedBytes(), std::size_t{0});
    reader.feed(bytes({0, 0, 0, 0}));
    QCOMPARE(reader.next().status, DecodeStatus::Error);  // sticky: the connection is done
  }

  void wrongPayloadSizes_data() {
    QTest::addColumn<QByteArray>("frame");
    auto row = [](const char* name, std::initializer_list<unsigned> b) {
      QByteArray a;
      for (unsigned v : b) {
        a.append(static_cast<char>(v));
      }
      QTest::newRow(name) << a;
    };
    row("choke with a payload", {0, 0, 0, 2, 0, 0});
    row("interested with a payload", {0, 0, 0, 2, 2, 0});
    row("have of 3 bytes", {0, 0, 0, 4, 4, 0, 0, 0});
    row("have of 5 bytes", {0, 0, 0, 6, 4, 0, 0, 0, 0, 0});
    row("request of 11 bytes", {0, 0, 0, 12, 6});
    row("cancel of 13 bytes", {0, 0, 0, 14, 8});
    row("piece without begin", {0, 0, 0, 8, 7});
    row("port of 1 byte", {0, 0, 0, 2, 9, 0});
    row("suggest of 2 bytes", {0, 0, 0, 3, 13, 0, 0});
    row("have-all with a payload", {0, 0, 0, 2, 14, 0});
    row("have-none with a payload", {0, 0, 0, 2, 15, 0});
    row("reject of 8 bytes", {0, 0, 0, 9, 16});
    row("allowed-fast of 8 bytes", {0, 0, 0, 9, 17});
    row("extended without an id", {0, 0, 0, 1, 20});
  }

  void wrongPayloadSizes() {
    QFETCH(QByteArray, frame);
    const std::span<const std::byte> wire(reinterpret_cast<const std::byte*>(frame.constData()),
                                          static_cast<std::size_t>(frame.size()));
    const DecodeResult r = decodePeerMessage(wire);
    QCOMPARE(r.status, DecodeStatus::Error);  // decided from the id, before the payload
    QCOMPARE(r.error, PeerWireError::BadMessageLength);
  }

  void indexOutOfRange_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("have") << static_cast<int>(MessageKind::Have);
    QTest::newRow("suggest") << static_cast<int>(MessageKind::Suggest);
    QTest::newRow("allowed fast") << static_cast<int>(MessageKind::AllowedFast);
    QTest::newRow("request") << static_cast<int>(MessageKind::Request);
    QTest::newRow("cancel") << static_cast<int>(MessageKind::Cancel);
    QTest::newRow("reject") << static_cast<int>(MessageKind::Reject);
    QTest::newRow("piece") << static_cast<int>(MessageKind::Piece);
  }

  void indexOutOfRange() {
    QFETCH(int, kind);
    const auto k = static_cast<MessageKind>(kind);
    PeerProtocolState state(allNegotiated(), kGeometry);
    QCOMPARE(state.onMessage(request(9, 0, 16, k)), PeerWireError::None);  // the last piece is fine
    QCOMPARE(state.onMessage(request(10, 0, 16, k)), PeerWireError::PieceIndexOutOfRange);
    PeerProtocolState fresh(allNegotiated(), kGeometry);
    QCOMPARE(fresh.onMessage(request(0xFFFFFFFF, 0, 16, k)), PeerWireError::PieceIndexOutOfRange);
  }

  void requestOver16KiB() {
    PeerProtocolState state(allNegotiated(), kGeometry);
    state.weUnchoked();
    QCOMPARE(state.onMessage(request(0, 0, 16384)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(0, 0, 16385)), PeerWireError::BlockTooLarge);
    QCOMPARE(state.onMessage(request(0, 0, 32768, MessageKind::Piece)),
             PeerWireError::BlockTooLarge);
    QCOMPARE(state.onMessage(request(0, 0, 0)), PeerWireError::EmptyBlock);
  }

  void requestPastThePieceEnd() {
    PeerProtocolState state(allNegotiated(), kGeometry);
    state.weUnchoked();
    QCOMPARE(state.onMessage(request(0, 65536 - 16384, 16384)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(0, 65536 - 16383, 16384)), PeerWireError::BlockPastPieceEnd);
    // The last piece is 10,000 bytes.
    QCOMPARE(state.onMessage(request(9, 0, 10000)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(9, 0, 10001)), PeerWireError::BlockPastPieceEnd);
    QCOMPARE(state.onMessage(request(9, 9999, 2, MessageKind::Cancel)),
             PeerWireError::BlockPastPieceEnd);
    // begin + length wraps in 32 bits: still past the end.
    QCOMPARE(state.onMessage(request(0, 0xFFFFC000, 0x4000)), PeerWireError::BlockPastPieceEnd);
  }

  void bitfieldOfTheWrongLength() {
    for (const auto& payload : {bytes({0xFF}), bytes({0xFF, 0xC0, 0x00}), bytes({})}) {
      PeerProtocolState state(allNegotiated(), kGeometry);
      PeerMessage m = simple(MessageKind::Bitfield);
      m.payload = payload;
      QCOMPARE(state.onMessage(m), PeerWireError::BitfieldWrongLength);
    }
  }

  void bitfieldWithSpareBitsSet() {
    PeerProtocolState state(allNegotiated(), kGeometry);
    const auto payload = bytes({0xFF, 0xE0});  // 10 pieces: bit 10 is spare
    PeerMessage m = simple(MessageKind::Bitfield);
    m.payload = payload;
    QCOMPARE(state.onMessage(m), PeerWireError::BitfieldSpareBitsSet);
    const auto good = bytes({0xFF, 0xC0});
    m.payload = good;
    PeerProtocolState fresh(allNegotiated(), kGeometry);
    QCOMPARE(fresh.onMessage(m), PeerWireError::None);
  }

  void secondBitfield() {
    const auto payload = bytes({0xFF, 0xC0});
    PeerMessage bitfield = simple(MessageKind::Bitfield);
    bitfield.payload = payload;
    for (const MessageKind second :
         {MessageKind::Bitfield, MessageKind::HaveAll, MessageKind::HaveNone}) {
      PeerProtocolState state(allNegotiated(), kGeometry);
      QCOMPARE(state.onMessage(bitfield), PeerWireError::None);
      PeerMessage m = simple(second);
      m.payload = payload;
      QCOMPARE(state.onMessage(m), PeerWireError::DuplicateBitfield);
    }
    PeerProtocolState haveAllTwice(allNegotiated(), kGeometry);
    QCOMPARE(haveAllTwice.onMessage(simple(MessageKind::HaveAll)), PeerWireError::None);
    QVERIFY(haveAllTwice.pieceSetReceived());
    QCOMPARE(haveAllTwice.onMessage(simple(MessageKind::HaveNone)),
             PeerWireError::DuplicateBitfield);
  }

  void bitfieldNotFirst() {
    const auto payload = bytes({0xFF, 0xC0});
    for (const MessageKind first :
         {MessageKind::Have, MessageKind::Unchoke, MessageKind::Interested, MessageKind::Request}) {
      for (const MessageKind late :
           {MessageKind::Bitfield, MessageKind::HaveAll, MessageKind::HaveNone}) {
        PeerProtocolState state(allNegotiated(), kGeometry);
        QCOMPARE(
            state.onMessage(first == MessageKind::Request ? request(0, 0, 16384) : simple(first)),
            PeerWireError::None);
        PeerMessage m = simple(late);
        m.payload = payload;
        QCOMPARE(state.onMessage(m), PeerWireError::BitfieldNotFirst);
      }
    }
  }

  void extensionHandshakeMayPrecedeTheBitfield() {
    // libtorrent and Transmission send their BEP 10 handshake first.
    PeerProtocolState state(allNegotiated(), kGeometry);
    PeerMessage ext = simple(MessageKind::Extended);
    QCOMPARE(state.onMessage(simple(MessageKind::KeepAlive)), PeerWireError::None);
    QCOMPARE(state.onMessage(ext), PeerWireError::None);
    PeerMessage port = simple(MessageKind::Port);
    port.port = 6881;
    QCOMPARE(state.onMessage(port), PeerWireError::None);
    const auto payload = bytes({0x80, 0x00});
    PeerMessage bitfield = simple(MessageKind::Bitfield);
    bitfield.payload = payload;
    QCOMPARE(state.onMessage(bitfield), PeerWireError::None);
  }

  void fastMessagesNeedTheFastExtension() {
    ProtocolOptions options;
    options.extensionProtocol = true;
    for (const MessageKind kind : {MessageKind::HaveAll, MessageKind::HaveNone,
                                   MessageKind::Suggest, MessageKind::AllowedFast}) {
      PeerProtocolState state(options, kGeometry);
      QCOMPARE(state.onMessage(simple(kind)), PeerWireError::FastExtensionNotNegotiated);
    }
    PeerProtocolState state(options, kGeometry);
    QCOMPARE(state.onMessage(request(0, 0, 16384, MessageKind::Reject)),
             PeerWireError::FastExtensionNotNegotiated);
  }

  void extendedMessagesNeedTheExtensionProtocol() {
    ProtocolOptions options;
    options.fastExtension = true;
    PeerProtocolState state(options, kGeometry);
    QCOMPARE(state.onMessage(simple(MessageKind::Extended)), PeerWireError::ExtensionNotNegotiated);
  }

  void requestFloodWhileChoked() {
    ProtocolOptions options = allNegotiated();
    options.maxRequestsWhileChoked = 10;
    PeerProtocolState state(options, kGeometry);
    QVERIFY(state.weChoking());  // connections start choked
    for (int i = 0; i < 10; ++i) {
      QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::None);
    }
    QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::RequestFloodWhileChoked);
  }

  void allowedFastRequestsAndUnchokedRequestsDoNotCount() {
    ProtocolOptions options = allNegotiated();
    options.maxRequestsWhileChoked = 2;
    PeerProtocolState state(options, kGeometry);
    state.weAllowedFast(4);
    for (int i = 0; i < 50; ++i) {
      QCOMPARE(state.onMessage(request(4, 0, 16384)), PeerWireError::None);
    }
    QCOMPARE(state.requestsWhileChoked(), std::uint32_t{0});
    state.weUnchoked();
    for (int i = 0; i < 50; ++i) {
      QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::None);
    }
    state.weChoked();  // the count starts again at our choke
    QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(1, 0, 16384)), PeerWireError::RequestFloodWhileChoked);
  }

  void tracksChokeAndInterest() {
    PeerProtocolState state(allNegotiated(), kGeometry);
    QVERIFY(state.peerChoking());
    QVERIFY(!state.peerInterested());
    QCOMPARE(state.onMessage(simple(MessageKind::Unchoke)), PeerWireError::None);
    QCOMPARE(state.onMessage(simple(MessageKind::Interested)), PeerWireError::None);
    QVERIFY(!state.peerChoking());
    QVERIFY(state.peerInterested());
    QCOMPARE(state.onMessage(simple(MessageKind::Choke)), PeerWireError::None);
    QCOMPARE(state.onMessage(simple(MessageKind::NotInterested)), PeerWireError::None);
    QVERIFY(state.peerChoking());
    QVERIFY(!state.peerInterested());
  }

  void withoutGeometryOnlyTheSizeLimitsApply() {
    PeerProtocolState state(allNegotiated());  // a magnet before its metadata
    QCOMPARE(state.onMessage(simple(MessageKind::Have, 123456)), PeerWireError::None);
    QCOMPARE(state.onMessage(request(99, 0, 16385, MessageKind::Piece)),
             PeerWireError::BlockTooLarge);
    state.setGeometry(kGeometry);
    QCOMPARE(state.onMessage(simple(MessageKind::Have, 123456)),
             PeerWireError::PieceIndexOutOfRange);
  }

  void decodedMessagesGoThroughTheValidator() {
    WireBytes wire;
    appendHave(wire, 42);
    PeerProtocolState state(allNegotiated(), kGeometry);
    QCOMPARE(state.onMessage(decodeOne(wire)), PeerWireError::PieceIndexOutOfRange);
    wire.clear();
    PeerMessage unknown = simple(MessageKind::Unknown);
    unknown.id = 200;
    appendMessage(wire, unknown);
    PeerProtocolState other(allNegotiated(), kGeometry);
    QCOMPARE(other.onMessage(decodeOne(wire)), PeerWireError::None);  // ignored, not an error
  }

  void everyErrorHasADistinctNameAndAReason() {
    std::set<std::string_view> names;
    for (int e = 0; e <= static_cast<int>(PeerWireError::BadExtensionHandshake); ++e) {
      const auto error = static_cast<PeerWireError>(e);
      QVERIFY(names.insert(peerWireErrorName(error)).second);
      QVERIFY(!peerWireErrorReason(error).empty());
      QVERIFY(peerWireErrorName(error) != "unknown");
    }
  }
};

QTEST_GUILESS_MAIN(TestPeerProtocol)
#include "tst_peer_protocol.moc"
