// The peer wire framing decoder and the protocol validator on any bytes: no
// crash, payload spans inside the input, the same messages and verdicts
// whether the stream comes whole or in pieces, bitfields the validator accepts
// load into a Bitfield, and extension handshakes parse. The first input byte
// picks the negotiated extensions and the piece size; the next two the
// torrent's piece count.
#include <cstdint>
#include <span>
#include <string>

#include "engine/bt/ExtensionHandshake.h"
#include "engine/bt/PeerMessageDecoder.h"
#include "engine/bt/PeerProtocolState.h"
#include "engine/util/Bitfield.h"

using namespace tributary::bt;

namespace {

struct Setup {
  ProtocolOptions options;
  TorrentGeometry geometry;
  FrameLimits limits{4096};  // small, so the fuzzer reaches it
  std::size_t piece = 1;     // split size for the incremental run
};

void describe(std::string& trace, const PeerMessage& m, PeerWireError verdict) {
  trace += std::to_string(static_cast<int>(m.kind)) + ":" + std::to_string(m.id) + "," +
           std::to_string(m.index) + "," + std::to_string(m.begin) + "," +
           std::to_string(m.length) + "," + std::to_string(m.port) + "," +
           std::to_string(m.extendedId) + "," + std::to_string(m.payload.size()) + "=" +
           std::string(peerWireErrorName(verdict)) + ";";
  for (const std::byte b : m.payload.first(std::min<std::size_t>(m.payload.size(), 8))) {
    trace.push_back(static_cast<char>(b));
  }
}

// What a connection does with one message; returns false once it would close.
bool handle(std::string& trace, PeerProtocolState& state, const PeerMessage& m) {
  const PeerWireError verdict = state.onMessage(m);
  describe(trace, m, verdict);
  if (verdict != PeerWireError::None) {
    return false;
  }
  if (m.kind == MessageKind::Bitfield) {
    tributary::util::Bitfield bits;
    if (bits.assignFromWire(m.payload, state.geometry()->pieceCount) !=
        tributary::util::Bitfield::WireError::None) {
      __builtin_trap();  // the validator and the Bitfield disagree
    }
  }
  if (m.kind == MessageKind::Extended && m.extendedId == 0) {
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(m.payload);
    trace += parsed.handshake ? "ext" : "badext";
  }
  if (m.kind == MessageKind::Request && state.weChoking() && state.requestsWhileChoked() == 3) {
    state.weUnchoked();  // exercise both sides of the flood rule
  }
  return true;
}

std::string runWhole(std::span<const std::byte> input, const Setup& setup) {
  PeerProtocolState state(setup.options, setup.geometry);
  std::string trace;
  std::span<const std::byte> rest = input;
  while (true) {
    const DecodeResult r = decodePeerMessage(rest, setup.limits);
    if (r.status == DecodeStatus::NeedMore) {
      return trace + "<more>";
    }
    if (r.status == DecodeStatus::Error) {
      return trace + "<" + std::string(peerWireErrorName(r.error)) + ">";
    }
    const auto& payload = r.message.payload;
    if (!payload.empty() && (payload.data() < rest.data() ||
                             payload.data() + payload.size() > rest.data() + r.consumed)) {
      __builtin_trap();
    }
    if (!handle(trace, state, r.message)) {
      return trace + "<closed>";
    }
    rest = rest.subspan(r.consumed);
  }
}

std::string runSplit(std::span<const std::byte> input, const Setup& setup) {
  PeerProtocolState state(setup.options, setup.geometry);
  PeerMessageReader reader(setup.limits);
  std::string trace;
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t n = std::min(setup.piece, input.size() - at);
    reader.feed(input.subspan(at, n));
    at += n;
    while (true) {
      const DecodeResult r = reader.next();
      if (r.status == DecodeStatus::NeedMore) {
        break;
      }
      if (r.status == DecodeStatus::Error) {
        return trace + "<" + std::string(peerWireErrorName(r.error)) + ">";
      }
      if (!handle(trace, state, r.message)) {
        return trace + "<closed>";
      }
    }
    if (reader.bufferedBytes() > std::size_t{setup.limits.maxFrameLength} + 4) {
      __builtin_trap();
    }
  }
  return trace + "<more>";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) {
    return 0;
  }
  Setup setup;
  setup.options.fastExtension = (data[0] & 1) != 0;
  setup.options.extensionProtocol = (data[0] & 2) != 0;
  setup.options.maxRequestsWhileChoked = 5;
  setup.piece = 1 + ((data[0] >> 2) & 15);
  const std::uint32_t pieceCount = 1 + ((std::uint32_t{data[1]} << 8) | data[2]) % 2000;
  const std::uint32_t pieceLength = 16384U << ((data[0] >> 6) & 3);
  setup.geometry = {pieceCount, pieceLength,
                    std::uint64_t{pieceLength} * (pieceCount - 1) + 1 + data[2] % pieceLength};
  const std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data) + 3, size - 3);
  if (runWhole(input, setup) != runSplit(input, setup)) {
    __builtin_trap();
  }
  return 0;
}
