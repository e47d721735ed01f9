// BEP 9 messages: ours encode to the canonical bytes other clients expect, a
// data message's piece bytes are found after its dictionary without a copy,
// an unknown msg_type is told apart from an error, and every bound (piece
// index, piece size, total size cap) is enforced.
#include <QtTest>

#include <string>

#include "engine/bt/UtMetadataMessage.h"

using namespace tributary::bt;

namespace {

std::span<const std::byte> asBytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

UtMetadataParse parse(std::string_view text, const UtMetadataLimits& limits = {}) {
  return parseUtMetadata(asBytes(text), limits);
}

}  // namespace

class TestUtMetadataMessage : public QObject {
  Q_OBJECT

 private slots:
  void encodesCanonically() {
    QCOMPARE(encodeUtMetadataRequest(0), std::string("d8:msg_typei0e5:piecei0ee"));
    QCOMPARE(encodeUtMetadataReject(7), std::string("d8:msg_typei2e5:piecei7ee"));
    const std::string bytes = "abc";
    QCOMPARE(encodeUtMetadataData(1, 16387, asBytes(bytes)),
             std::string("d8:msg_typei1e5:piecei1e10:total_sizei16387eeabc"));
  }

  void requestAndRejectRoundTrip() {
    const UtMetadataParse request = parse(encodeUtMetadataRequest(12));
    QCOMPARE(request.status, UtMetadataParse::Status::Ok);
    QCOMPARE(request.message.type, UtMetadataMessage::Type::Request);
    QCOMPARE(request.message.piece, 12u);
    QVERIFY(request.message.data.empty());

    const UtMetadataParse reject = parse(encodeUtMetadataReject(3));
    QCOMPARE(reject.status, UtMetadataParse::Status::Ok);
    QCOMPARE(reject.message.type, UtMetadataMessage::Type::Reject);
    QCOMPARE(reject.message.piece, 3u);
  }

  void dataPointsIntoThePayload() {
    const std::string piece(kMetadataPieceSize, 'x');
    const std::string wire = encodeUtMetadataData(2, 40000, asBytes(piece));
    const std::span<const std::byte> payload = asBytes(wire);
    const UtMetadataParse parsed = parseUtMetadata(payload);
    QCOMPARE(parsed.status, UtMetadataParse::Status::Ok);
    QCOMPARE(parsed.message.type, UtMetadataMessage::Type::Data);
    QCOMPARE(parsed.message.piece, 2u);
    QCOMPARE(parsed.message.totalSize, std::uint64_t{40000});
    QCOMPARE(parsed.message.data.size(), std::size_t{kMetadataPieceSize});
    QCOMPARE(parsed.message.data.data(), payload.data() + (wire.size() - piece.size()));
  }

  void dataMayBeEmptyOrHoldADictionaryLookalike() {
    // The bytes after the dictionary are opaque, even when they look bencoded.
    const UtMetadataParse parsed = parse("d8:msg_typei1e5:piecei0e10:total_sizei8eed1:ai1ee");
    QCOMPARE(parsed.status, UtMetadataParse::Status::Ok);
    QCOMPARE(parsed.message.data.size(), std::size_t{8});
    QCOMPARE(parse("d8:msg_typei1e5:piecei0e10:total_sizei8ee").message.data.size(),
             std::size_t{0});
  }

  void toleratesExtraKeysAndTrailingBytesOnRequests() {
    // Some clients put total_size into rejects, or add keys of their own.
    const UtMetadataParse parsed = parse("d8:msg_typei2e5:piecei1e10:total_sizei9e1:xli1eee");
    QCOMPARE(parsed.status, UtMetadataParse::Status::Ok);
    QCOMPARE(parsed.message.type, UtMetadataMessage::Type::Reject);
    QCOMPARE(parse("d8:msg_typei0e5:piecei0eeJUNK").status, UtMetadataParse::Status::Ok);
  }

  void unknownTypeIsNotAnError() {
    for (const char* text : {"d8:msg_typei3e5:piecei0ee", "d8:msg_typei-1ee",
                             "d8:msg_typei99999999999e5:piece3:abce"}) {
      const UtMetadataParse parsed = parse(text);
      QCOMPARE(parsed.status, UtMetadataParse::Status::Unknown);
      QCOMPARE(parsed.error, PeerWireError::None);
    }
  }

  void malformedIsBadMetadataMessage_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not a dict") << QByteArray("li1ee");
    QTest::newRow("truncated") << QByteArray("d8:msg_typei0e5:piecei0e");
    QTest::newRow("garbage") << QByteArray("\xff\x00zz", 4);
    QTest::newRow("no msg_type") << QByteArray("d5:piecei0ee");
    QTest::newRow("string msg_type") << QByteArray("d8:msg_type1:05:piecei0ee");
    QTest::newRow("no piece") << QByteArray("d8:msg_typei0ee");
    QTest::newRow("string piece") << QByteArray("d8:msg_typei0e5:piece1:0e");
    QTest::newRow("data without total_size") << QByteArray("d8:msg_typei1e5:piecei0eeabc");
    QTest::newRow("too deep") << QByteArray("d8:msg_typei0e5:piecei0e1:xllllllleeeeeeee");
  }

  void malformedIsBadMetadataMessage() {
    QFETCH(QByteArray, payload);
    const UtMetadataParse parsed = parse(std::string_view(payload.constData(), payload.size()));
    QCOMPARE(parsed.status, UtMetadataParse::Status::Error);
    QCOMPARE(parsed.error, PeerWireError::BadMetadataMessage);
  }

  void pieceIndexBounds() {
    QCOMPARE(parse("d8:msg_typei0e5:piecei-1ee").error, PeerWireError::MetadataPieceOutOfRange);
    QCOMPARE(parse("d8:msg_typei0e5:piecei2147483648ee").error,
             PeerWireError::MetadataPieceOutOfRange);
    QCOMPARE(parse("d8:msg_typei0e5:piecei9223372036854775807ee").error,
             PeerWireError::MetadataPieceOutOfRange);
    const UtMetadataParse largest = parse("d8:msg_typei0e5:piecei2147483647ee");
    QCOMPARE(largest.status, UtMetadataParse::Status::Ok);
    QCOMPARE(largest.message.piece, 2147483647u);
  }

  void dataPieceOver16KiBIsRefused() {
    const std::string exact(kMetadataPieceSize, 'a');
    const std::string over(kMetadataPieceSize + 1, 'a');
    QCOMPARE(parse(encodeUtMetadataData(0, 1 << 20, asBytes(exact))).status,
             UtMetadataParse::Status::Ok);
    const UtMetadataParse parsed = parse(encodeUtMetadataData(0, 1 << 20, asBytes(over)));
    QCOMPARE(parsed.status, UtMetadataParse::Status::Error);
    QCOMPARE(parsed.error, PeerWireError::MetadataPieceTooLarge);
  }

  void totalSizeCap() {
    const std::string bytes = "x";
    QCOMPARE(parse(encodeUtMetadataData(0, kDefaultMaxMetadataSize, asBytes(bytes))).status,
             UtMetadataParse::Status::Ok);
    QCOMPARE(parse(encodeUtMetadataData(0, kDefaultMaxMetadataSize + 1, asBytes(bytes))).error,
             PeerWireError::MetadataTooLarge);
    QCOMPARE(parse(encodeUtMetadataData(0, 5000, asBytes(bytes)), {.maxTotalSize = 4999}).error,
             PeerWireError::MetadataTooLarge);
    QCOMPARE(parse("d8:msg_typei1e5:piecei0e10:total_sizei0eex").error,
             PeerWireError::MetadataTooLarge);
    QCOMPARE(parse("d8:msg_typei1e5:piecei0e10:total_sizei-5eex").error,
             PeerWireError::MetadataTooLarge);
    // The cap does not apply to requests: they carry no size.
    QCOMPARE(parse(encodeUtMetadataRequest(0), {.maxTotalSize = 1}).status,
             UtMetadataParse::Status::Ok);
  }

  void errorsHaveNames() {
    for (PeerWireError e :
         {PeerWireError::BadMetadataMessage, PeerWireError::MetadataPieceOutOfRange,
          PeerWireError::MetadataPieceTooLarge, PeerWireError::MetadataTooLarge}) {
      QVERIFY(peerWireErrorName(e) != "unknown");
      QVERIFY(peerWireErrorReason(e) != "unknown peer wire error");
    }
  }
};

QTEST_GUILESS_MAIN(TestUtMetadataMessage)
#include "tst_ut_metadata_message.moc"
