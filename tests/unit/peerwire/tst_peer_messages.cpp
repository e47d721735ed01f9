// Peer wire framing: every message kind encodes to the BEP 3/5/6/10 layout and
// decodes back; payloads are spans into the input (no copy); unknown ids are
// skipped; and the incremental reader yields the same messages whether the
// stream arrives whole, a byte at a time, or in random splits.
#include <QtTest>

#include <random>

#include "engine/bt/PeerMessageDecoder.h"
#include "engine/bt/PeerMessageEncoder.h"
#include "engine/util/Bitfield.h"

using namespace tributary::bt;

namespace {

std::vector<std::byte> bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  for (const unsigned v : values) {
    out.push_back(static_cast<std::byte>(v));
  }
  return out;
}

// Owns the payloads the sample messages point at.
struct Samples {
  std::vector<std::byte> bitfield = bytes({0xF0, 0x0F, 0x80});
  std::vector<std::byte> block = std::vector<std::byte>(16384, std::byte{0x5A});
  std::vector<std::byte> extended = bytes({'d', '1', ':', 'm', 'd', 'e', 'e'});
  std::vector<std::byte> unknown = bytes({1, 2, 3, 4, 5});
  std::vector<PeerMessage> messages;

  Samples() {
    auto add = [this](MessageKind kind, std::uint8_t id) -> PeerMessage& {
      PeerMessage m;
      m.kind = kind;
      m.id = id;
      messages.push_back(m);
      return messages.back();
    };
    add(MessageKind::KeepAlive, 0);
    add(MessageKind::Choke, 0);
    add(MessageKind::Unchoke, 1);
    add(MessageKind::Interested, 2);
    add(MessageKind::NotInterested, 3);
    add(MessageKind::Have, 4).index = 0x01020304;
    add(MessageKind::Bitfield, 5).payload = bitfield;
    {
      PeerMessage& m = add(MessageKind::Request, 6);
      m.index = 7;
      m.begin = 16384;
      m.length = 16384;
    }
    {
      PeerMessage& m = add(MessageKind::Piece, 7);
      m.index = 9;
      m.begin = 32768;
      m.payload = block;
      m.length = static_cast<std::uint32_t>(block.size());
    }
    {
      PeerMessage& m = add(MessageKind::Cancel, 8);
      m.index = 7;
      m.begin = 16384;
      m.length = 16384;
    }
    add(MessageKind::Port, 9).port = 51413;
    add(MessageKind::Suggest, 13).index = 11;
    add(MessageKind::HaveAll, 14);
    add(MessageKind::HaveNone, 15);
    {
      PeerMessage& m = add(MessageKind::Reject, 16);
      m.index = 3;
      m.begin = 0;
      m.length = 8192;
    }
    add(MessageKind::AllowedFast, 17).index = 12;
    {
      PeerMessage& m = add(MessageKind::Extended, 20);
      m.extendedId = 0;
      m.payload = extended;
    }
    {
      PeerMessage& m = add(MessageKind::Extended, 20);
      m.extendedId = 3;
      m.payload = {};
    }
    add(MessageKind::Unknown, 99).payload = unknown;
  }

  std::vector<std::byte> wire() const {
    WireBytes out;
    for (const PeerMessage& m : messages) {
      appendMessage(out, m);
    }
    return out;
  }
};

bool sameMessage(const PeerMessage& a, const PeerMessage& b) {
  return a.kind == b.kind && a.id == b.id && a.index == b.index && a.begin == b.begin &&
         a.length == b.length && a.port == b.port && a.extendedId == b.extendedId &&
         std::equal(a.payload.begin(), a.payload.end(), b.payload.begin(), b.payload.end());
}

// Drains a reader fed in chunks of the given sizes (cycled), copying each
// message's payload out because it is only valid until the next call.
struct Collected {
  std::vector<PeerMessage> messages;
  std::vector<std::vector<std::byte>> payloads;
};

Collected readInChunks(const std::vector<std::byte>& wire, const std::vector<std::size_t>& sizes) {
  Collected got;
  PeerMessageReader reader;
  std::size_t at = 0;
  std::size_t turn = 0;
  while (at < wire.size()) {
    const std::size_t n = std::min(sizes[turn++ % sizes.size()], wire.size() - at);
    reader.feed(std::span(wire).subspan(at, n));
    at += n;
    for (int guard = 0; guard < 1000; ++guard) {
      const DecodeResult r = reader.next();
      if (r.status != DecodeStatus::Message) {
        if (r.status == DecodeStatus::Error) {
          return got;
        }
        break;
      }
      got.messages.push_back(r.message);
      got.payloads.emplace_back(r.message.payload.begin(), r.message.payload.end());
    }
  }
  for (std::size_t i = 0; i < got.messages.size(); ++i) {
    got.messages[i].payload = got.payloads[i];
  }
  return got;
}

}  // namespace

class TestPeerMessages : public QObject {
  Q_OBJECT

 private slots:
  void exactWireBytes() {
    WireBytes out;
    appendKeepAlive(out);
    QCOMPARE(out, bytes({0, 0, 0, 0}));
    out.clear();
    appendInterested(out);
    QCOMPARE(out, bytes({0, 0, 0, 1, 2}));
    out.clear();
    appendHave(out, 7);
    QCOMPARE(out, bytes({0, 0, 0, 5, 4, 0, 0, 0, 7}));
    out.clear();
    appendRequest(out, 1, 0x4000, 0x4000);
    QCOMPARE(out, bytes({0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0}));
    out.clear();
    appendPieceHeader(out, 2, 0x8000, 0x4000);  // header only: the block is sent after it
    QCOMPARE(out, bytes({0, 0, 0x40, 0x09, 7, 0, 0, 0, 2, 0, 0, 0x80, 0}));
    QCOMPARE(out.size(), kPieceHeaderSize);
    out.clear();
    appendPort(out, 6881);
    QCOMPARE(out, bytes({0, 0, 0, 3, 9, 0x1A, 0xE1}));
    out.clear();
    appendHaveAll(out);
    appendHaveNone(out);
    QCOMPARE(out, bytes({0, 0, 0, 1, 14, 0, 0, 0, 1, 15}));
    out.clear();
    appendAllowedFast(out, 5);
    QCOMPARE(out, bytes({0, 0, 0, 5, 17, 0, 0, 0, 5}));
    out.clear();
    const auto payload = bytes({'d', 'e'});
    appendExtended(out, 2, payload);
    QCOMPARE(out, bytes({0, 0, 0, 4, 20, 2, 'd', 'e'}));
    out.clear();
    tributary::util::Bitfield bits(10);
    bits.set(0);
    bits.set(9);
    appendBitfield(out, bits);
    QCOMPARE(out, bytes({0, 0, 0, 3, 5, 0x80, 0x40}));
  }

  void everyMessageRoundTrips() {
    const Samples samples;
    const auto wire = samples.wire();
    std::span<const std::byte> rest = wire;
    for (const PeerMessage& expected : samples.messages) {
      const DecodeResult r = decodePeerMessage(rest);
      QCOMPARE(r.status, DecodeStatus::Message);
      QVERIFY2(sameMessage(r.message, expected), messageKindName(expected.kind).data());
      rest = rest.subspan(r.consumed);
    }
    QVERIFY(rest.empty());
    QCOMPARE(decodePeerMessage(rest).status, DecodeStatus::NeedMore);
  }

  void pieceBlockIsASpanIntoTheInput() {
    const Samples samples;
    WireBytes wire;
    appendMessage(wire, samples.messages[8]);  // the piece
    const DecodeResult r = decodePeerMessage(wire);
    QCOMPARE(r.message.kind, MessageKind::Piece);
    QCOMPARE(r.message.payload.size(), std::size_t{16384});
    QVERIFY(r.message.payload.data() == wire.data() + kPieceHeaderSize);

    // The reader too, when the frame arrives in one feed.
    PeerMessageReader reader;
    reader.feed(wire);
    const DecodeResult viaReader = reader.next();
    QCOMPARE(viaReader.status, DecodeStatus::Message);
    QVERIFY(viaReader.message.payload.data() == wire.data() + kPieceHeaderSize);
    QCOMPARE(reader.bufferedBytes(), std::size_t{0});
  }

  void needMoreReportsTheFrameSize() {
    WireBytes wire;
    appendHave(wire, 1);
    QCOMPARE(decodePeerMessage(std::span(wire).first(2)).needed, std::size_t{4});
    const DecodeResult partial = decodePeerMessage(std::span(wire).first(6));
    QCOMPARE(partial.status, DecodeStatus::NeedMore);
    QCOMPARE(partial.needed, std::size_t{9});
    QCOMPARE(partial.consumed, std::size_t{0});
  }

  void unknownIdsAreSkipped() {
    WireBytes wire;
    PeerMessage unknown;
    unknown.kind = MessageKind::Unknown;
    unknown.id = 0x42;
    const auto junk = bytes({9, 9, 9});
    unknown.payload = junk;
    appendMessage(wire, unknown);
    appendHave(wire, 3);
    const DecodeResult first = decodePeerMessage(wire);
    QCOMPARE(first.message.kind, MessageKind::Unknown);
    QCOMPARE(first.message.id, std::uint8_t{0x42});
    QCOMPARE(first.consumed, std::size_t{8});
    const DecodeResult second = decodePeerMessage(std::span(wire).subspan(first.consumed));
    QCOMPARE(second.message.kind, MessageKind::Have);
    QCOMPARE(second.message.index, std::uint32_t{3});
  }

  void byteByByteGivesTheSameMessages() {
    const Samples samples;
    const Collected got = readInChunks(samples.wire(), {1});
    QCOMPARE(got.messages.size(), samples.messages.size());
    for (std::size_t i = 0; i < got.messages.size(); ++i) {
      QVERIFY2(sameMessage(got.messages[i], samples.messages[i]),
               messageKindName(samples.messages[i].kind).data());
    }
  }

  void randomSplitsGiveTheSameMessages() {
    const Samples samples;
    const auto wire = samples.wire();
    std::mt19937 rng(12345);
    for (int round = 0; round < 200; ++round) {
      std::vector<std::size_t> sizes;
      for (int i = 0; i < 16; ++i) {
        sizes.push_back(1 + rng() % (round % 2 == 0 ? 7 : 5000));
      }
      const Collected got = readInChunks(wire, sizes);
      QCOMPARE(got.messages.size(), samples.messages.size());
      for (std::size_t i = 0; i < got.messages.size(); ++i) {
        QVERIFY(sameMessage(got.messages[i], samples.messages[i]));
      }
    }
  }

  void readerHoldsOnlyTheIncompleteTail() {
    const Samples samples;
    const auto wire = samples.wire();
    PeerMessageReader reader;
    const std::size_t cut = wire.size() - 3;
    reader.feed(std::span(wire).first(cut));
    std::size_t count = 0;
    while (reader.next().status == DecodeStatus::Message) {
      ++count;
    }
    QCOMPARE(count, samples.messages.size() - 1);
    QVERIFY(reader.bufferedBytes() > 0 && reader.bufferedBytes() < 16);
    reader.feed(std::span(wire).subspan(cut));
    const DecodeResult last = reader.next();
    QCOMPARE(last.status, DecodeStatus::Message);
    QCOMPARE(last.message.kind, MessageKind::Unknown);
    QCOMPARE(reader.next().status, DecodeStatus::NeedMore);
  }
};

QTEST_GUILESS_MAIN(TestPeerMessages)
#include "tst_peer_messages.moc"
