// BEP 9 on any bytes. The codec: no crash, a data piece inside the input and
// within its bounds, and what parses re-encodes to the same message. Then the
// same bytes drive an assembler and a server as a script of peer events
// (sizes, requests, honest and lying answers, rejects, timeouts, departures):
// whatever the order, the assembler only ever completes with the right bytes,
// never holds more pieces than exist, and names each failed sender once.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <span>
#include <string>

#include "engine/bt/MetadataAssembler.h"
#include "engine/bt/MetadataServer.h"
#include "engine/bt/UtMetadataMessage.h"

using namespace tributary::bt;

namespace {

void checkCodec(std::span<const std::byte> input) {
  const UtMetadataLimits limits{.maxTotalSize = 1 << 20};
  const UtMetadataParse parsed = parseUtMetadata(input, limits);
  if (parsed.status != UtMetadataParse::Status::Ok) {
    if ((parsed.status == UtMetadataParse::Status::Error) ==
        (parsed.error == PeerWireError::None)) {
      __builtin_trap();
    }
    return;
  }
  const UtMetadataMessage& m = parsed.message;
  std::string again;
  if (m.type == UtMetadataMessage::Type::Data) {
    const std::span<const std::byte> d = m.data;
    if (d.size() > kMetadataPieceSize || m.totalSize == 0 || m.totalSize > limits.maxTotalSize ||
        (!d.empty() &&
         (d.data() < input.data() || d.data() + d.size() != input.data() + input.size()))) {
      __builtin_trap();
    }
    again = encodeUtMetadataData(m.piece, m.totalSize, d);
  } else if (m.type == UtMetadataMessage::Type::Request) {
    again = encodeUtMetadataRequest(m.piece);
  } else {
    again = encodeUtMetadataReject(m.piece);
  }
  const UtMetadataParse reparsed = parseUtMetadata(std::as_bytes(std::span(again)), limits);
  const UtMetadataMessage& r = reparsed.message;
  if (reparsed.status != UtMetadataParse::Status::Ok || r.type != m.type || r.piece != m.piece ||
      r.totalSize != m.totalSize ||
      !std::equal(r.data.begin(), r.data.end(), m.data.begin(), m.data.end())) {
    __builtin_trap();
  }
}

std::span<const std::byte> bytesOf(const std::string& s, std::size_t offset, std::size_t length) {
  offset = std::min(offset, s.size());
  length = std::min(length, s.size() - offset);
  return std::as_bytes(std::span(s)).subspan(offset, length);
}

void checkOutcome(const MetadataAssembler& a, const MetadataAssembler::DataOutcome& outcome,
                  const std::string& info) {
  if (a.piecesHeld() > a.pieceCount()) {
    __builtin_trap();
  }
  if (outcome.result == MetadataAssembler::DataResult::Completed &&
      (!a.isComplete() || *a.complete() != info)) {
    __builtin_trap();
  }
  if (outcome.result == MetadataAssembler::DataResult::HashMismatch) {
    std::vector<std::uint64_t> senders = outcome.failedSenders;
    std::sort(senders.begin(), senders.end());
    if (senders.empty() || std::adjacent_find(senders.begin(), senders.end()) != senders.end()) {
      __builtin_trap();
    }
  }
}

// Peers 0-2 are honest, peer 3 answers with a corrupted copy.
void runScript(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return;
  }
  const std::size_t infoSize = 1 + ((std::size_t{data[0]} << 8 | data[1]) * 7) % (4 * 16384 + 99);
  std::string info(infoSize, '\0');
  for (std::size_t i = 0; i < infoSize; ++i) {
    info[i] = static_cast<char>(i * 131 + (i >> 9));
  }
  std::string lie = info;
  lie[infoSize / 2] ^= 0x20;

  MetadataAssembler a(tributary::util::sha1(std::string_view(info)), {.maxSize = 1 << 20,
                                                                      .maxOutstandingPerPeer = 2,
                                                                      .requestTimeoutMs = 500,
                                                                      .rejectBackoffMs = 300});
  MetadataServer server(info, {.maxSendsPerPiece = 2, .windowMs = 1000});
  std::deque<std::uint32_t> pending[4];
  std::uint64_t now = 0;
  for (std::size_t at = 2; at + 1 < size; at += 2) {
    const std::uint8_t op = data[at] & 7;
    const std::uint64_t peer = (data[at] >> 3) & 3;
    const std::uint8_t arg = data[at + 1];
    MetadataAssembler::DataOutcome outcome;
    switch (op) {
      case 0: {
        const std::uint64_t sizes[] = {infoSize, infoSize + arg, 0, std::uint64_t{1} << 30};
        a.onPeerMetadataSize(peer, sizes[arg & 3]);
        break;
      }
      case 1:
        if (const auto piece = a.nextRequest(peer, now); piece && pending[peer].size() < 64) {
          pending[peer].push_back(*piece);
        }
        break;
      case 2: {
        if (pending[peer].empty()) {
          break;
        }
        UtMetadataMessage request;
        request.piece = pending[peer].front();
        pending[peer].pop_front();
        const std::string reply = server.answer(peer, request, now);
        const UtMetadataParse parsed = parseUtMetadata(std::as_bytes(std::span(reply)));
        if (parsed.status != UtMetadataParse::Status::Ok) {
          __builtin_trap();
        }
        const UtMetadataMessage& m = parsed.message;
        if (m.type == UtMetadataMessage::Type::Reject) {
          a.onReject(peer, m.piece, now);
        } else if (peer == 3) {
          outcome =
              a.onData(peer, m.piece, m.totalSize,
                       bytesOf(lie, std::size_t{m.piece} * kMetadataPieceSize, m.data.size()), now);
        } else {
          outcome = a.onData(peer, m.piece, m.totalSize, m.data, now);
        }
        break;
      }
      case 3: {
        // Unasked-for data: any index, a total size off by one, a short length.
        const std::uint32_t piece = arg & 7;
        const std::size_t offset = std::size_t{piece} * kMetadataPieceSize;
        const std::size_t length = kMetadataPieceSize - (arg & 0x70);
        outcome = a.onData(peer, piece, infoSize - (arg >> 7),
                           bytesOf(peer == 3 ? lie : info, offset, length), now);
        break;
      }
      case 4:
        a.onReject(peer, arg & 7, now);
        break;
      case 5:
        a.onPeerGone(peer);
        server.onPeerGone(peer);
        pending[peer].clear();
        break;
      case 6:
        now += std::uint64_t{arg} * 10;
        a.expire(now);
        break;
      default: {
        UtMetadataMessage request;
        request.piece = arg;
        const std::string reply = server.answer(peer, request, now);
        const UtMetadataParse parsed = parseUtMetadata(std::as_bytes(std::span(reply)));
        const bool inRange = arg < server.pieceCount();
        if (parsed.status != UtMetadataParse::Status::Ok || parsed.message.piece != arg ||
            (!inRange && parsed.message.type != UtMetadataMessage::Type::Reject)) {
          __builtin_trap();
        }
        break;
      }
    }
    checkOutcome(a, outcome, info);
    if (a.isComplete() && *a.complete() != info) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  checkCodec({reinterpret_cast<const std::byte*>(data), size});
  runScript(data, size);
  return 0;
}
