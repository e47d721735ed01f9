// Serving our info dictionary: each request gets its piece (the last one
// short), an index out of range a reject, and a peer asking for the same piece
// in a loop gets rejects once over its allowance until the window passes. What
// the server sends is what the assembler needs to rebuild the dictionary.
#include <QtTest>

#include <string>

#include "engine/bt/MetadataAssembler.h"
#include "engine/bt/MetadataServer.h"

using namespace tributary::bt;

namespace {

std::string makeInfo(std::size_t size) {
  std::string info(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    info[i] = static_cast<char>(i * 31 + i / 251);
  }
  return info;
}

UtMetadataMessage message(UtMetadataMessage::Type type, std::uint32_t piece) {
  UtMetadataMessage m;
  m.type = type;
  m.piece = piece;
  return m;
}

UtMetadataMessage request(std::uint32_t piece) {
  return message(UtMetadataMessage::Type::Request, piece);
}

UtMetadataParse parse(const std::string& payload) {
  return parseUtMetadata(std::as_bytes(std::span(payload)));
}

}  // namespace

class TestMetadataServer : public QObject {
  Q_OBJECT

 private slots:
  void answersEachPieceAndRejectsOutOfRange() {
    const std::string info = makeInfo(2 * kMetadataPieceSize + 77);
    MetadataServer server(info);
    QCOMPARE(server.metadataSize(), std::uint64_t{info.size()});
    QCOMPARE(server.pieceCount(), 3u);
    for (std::uint32_t piece = 0; piece < 3; ++piece) {
      const std::string payload = server.answer(1, request(piece), 0);
      const UtMetadataParse parsed = parse(payload);
      QCOMPARE(parsed.status, UtMetadataParse::Status::Ok);
      QCOMPARE(parsed.message.type, UtMetadataMessage::Type::Data);
      QCOMPARE(parsed.message.piece, piece);
      QCOMPARE(parsed.message.totalSize, std::uint64_t{info.size()});
      const std::size_t expected = piece < 2 ? kMetadataPieceSize : 77;
      QCOMPARE(parsed.message.data.size(), expected);
      QVERIFY(std::equal(parsed.message.data.begin(), parsed.message.data.end(),
                         std::as_bytes(std::span(info)).begin() + piece * kMetadataPieceSize));
    }
    for (std::uint32_t piece : {3u, 1000u, 0x7fffffffu}) {
      const UtMetadataParse parsed = parse(server.answer(1, request(piece), 0));
      QCOMPARE(parsed.message.type, UtMetadataMessage::Type::Reject);
      QCOMPARE(parsed.message.piece, piece);
    }
  }

  void onlyRequestsAreAnswered() {
    MetadataServer server(makeInfo(100));
    QVERIFY(server.answer(1, message(UtMetadataMessage::Type::Reject, 0), 0).empty());
    QVERIFY(server.answer(1, message(UtMetadataMessage::Type::Data, 0), 0).empty());
  }

  void aLoopingPeerIsRejectedUntilTheWindowPasses() {
    MetadataServer server(makeInfo(kMetadataPieceSize * 2),
                          {.maxSendsPerPiece = 3, .windowMs = 60'000});
    auto typeOf = [&](std::uint64_t key, std::uint32_t piece, std::uint64_t now) {
      return parse(server.answer(key, request(piece), now)).message.type;
    };
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(typeOf(1, 0, 1000 + i), UtMetadataMessage::Type::Data);
    }
    int rejected = 0;
    for (int i = 0; i < 1000; ++i) {
      rejected += typeOf(1, 0, 2000 + i) == UtMetadataMessage::Type::Reject ? 1 : 0;
    }
    QCOMPARE(rejected, 1000);
    // Other pieces and other peers have their own allowance.
    QCOMPARE(typeOf(1, 1, 3000), UtMetadataMessage::Type::Data);
    QCOMPARE(typeOf(2, 0, 3000), UtMetadataMessage::Type::Data);
    // The window is counted from the first send.
    QCOMPARE(typeOf(1, 0, 60'999), UtMetadataMessage::Type::Reject);
    QCOMPARE(typeOf(1, 0, 61'000), UtMetadataMessage::Type::Data);
    // A peer that reconnects under the same key starts afresh only once gone.
    for (int i = 0; i < 3; ++i) {
      typeOf(2, 1, 4000);
    }
    QCOMPARE(typeOf(2, 1, 4001), UtMetadataMessage::Type::Reject);
    server.onPeerGone(2);
    QCOMPARE(typeOf(2, 1, 4002), UtMetadataMessage::Type::Data);
  }

  void whatWeServeAssembles() {
    const std::string info = makeInfo(5 * kMetadataPieceSize + 1);
    MetadataServer server(info);
    MetadataAssembler assembler(tributary::util::sha1(std::string_view(info)));
    assembler.onPeerMetadataSize(7, server.metadataSize());
    for (int guard = 0; guard < 100 && !assembler.isComplete(); ++guard) {
      const std::optional<std::uint32_t> piece = assembler.nextRequest(7, guard);
      QVERIFY(piece.has_value());
      const UtMetadataParse wanted = parse(encodeUtMetadataRequest(*piece));
      const std::string reply = server.answer(42, wanted.message, guard);
      const UtMetadataParse parsed = parse(reply);
      QCOMPARE(parsed.message.type, UtMetadataMessage::Type::Data);
      assembler.onData(7, parsed.message.piece, parsed.message.totalSize, parsed.message.data,
                       guard);
    }
    QVERIFY(assembler.isComplete());
    QCOMPARE(assembler.takeMetadata(), info);
  }
};

QTEST_GUILESS_MAIN(TestMetadataServer)
#include "tst_metadata_server.moc"
