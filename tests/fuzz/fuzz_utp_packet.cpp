// uTP packets (BEP 29) on any bytes: no crash, no read past the end; what
// parses has a SACK of a legal length inside the datagram, and writes back
// to a packet that parses the same.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/utp/UtpPacket.h"

using namespace tributary;
using namespace tributary::utp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  const Result<Packet> parsed = parsePacket(bytes);
  if (parsed.ok() && !looksLikeUtp(bytes)) {
    __builtin_trap();  // whatever parses must pass the cheap demultiplexing test
  }
  if (!parsed.ok()) {
    return 0;
  }
  const Packet& p = parsed.value();
  if (p.sack.size() % 4 != 0 || p.sack.size() > kMaxSackBytes ||
      p.payload.size() + kHeaderSize > size) {
    __builtin_trap();
  }
  std::vector<std::byte> out;
  writePacket(p.header, p.sack, p.payload, out);
  const Result<Packet> back = parsePacket(out);
  if (!back.ok()) {
    __builtin_trap();
  }
  const Packet& q = back.value();
  const PacketHeader& a = p.header;
  const PacketHeader& b = q.header;
  if (a.type != b.type || a.connectionId != b.connectionId || a.timestampUs != b.timestampUs ||
      a.timestampDifferenceUs != b.timestampDifferenceUs || a.windowSize != b.windowSize ||
      a.seqNr != b.seqNr || a.ackNr != b.ackNr ||
      !std::equal(p.sack.begin(), p.sack.end(), q.sack.begin(), q.sack.end()) ||
      !std::equal(p.payload.begin(), p.payload.end(), q.payload.begin(), q.payload.end())) {
    __builtin_trap();
  }
  return 0;
}
