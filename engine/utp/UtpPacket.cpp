#include "engine/utp/UtpPacket.h"

#include <algorithm>
#include <string>

namespace tributary::utp {
namespace {

std::uint16_t read16(const std::byte* p) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(p[0]) << 8) |
                                    std::to_integer<unsigned>(p[1]));
}

std::uint32_t read32(const std::byte* p) {
  return (std::uint32_t{read16(p)} << 16) | read16(p + 2);
}

void put16(std::vector<std::byte>& out, std::uint16_t v) {
  out.push_back(static_cast<std::byte>(v >> 8));
  out.push_back(static_cast<std::byte>(v & 0xff));
}

void put32(std::vector<std::byte>& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

Error malformed(const char* why, std::size_t offset) {
  return Error{ErrorCode::ProtocolError,
               std::string("utp packet: ") + why + " at byte " + std::to_string(offset)};
}

}  // namespace

bool looksLikeUtp(std::span<const std::byte> bytes) {
  if (bytes.size() < kHeaderSize) {
    return false;
  }
  const unsigned first = std::to_integer<unsigned>(bytes[0]);
  return (first & 0x0f) == kUtpVersion && (first >> 4) <= static_cast<unsigned>(PacketType::Syn);
}

Result<Packet> parsePacket(std::span<const std::byte> bytes) {
  if (bytes.size() < kHeaderSize) {
    return malformed("short header", bytes.size());
  }
  const unsigned first = std::to_integer<unsigned>(bytes[0]);
  if ((first & 0x0f) != kUtpVersion) {
    return malformed("unsupported version", 0);
  }
  if ((first >> 4) > static_cast<unsigned>(PacketType::Syn)) {
    return malformed("unknown packet type", 0);
  }
  Packet packet;
  PacketHeader& h = packet.header;
  h.type = static_cast<PacketType>(first >> 4);
  const std::byte* p = bytes.data();
  h.connectionId = read16(p + 2);
  h.timestampUs = read32(p + 4);
  h.timestampDifferenceUs = read32(p + 8);
  h.windowSize = read32(p + 12);
  h.seqNr = read16(p + 16);
  h.ackNr = read16(p + 18);

  // Each extension: [type of the next one][length][length bytes]; 0 ends the chain.
  unsigned extension = std::to_integer<unsigned>(bytes[1]);
  std::size_t at = kHeaderSize;
  while (extension != 0) {
    if (bytes.size() - at < 2) {
      return malformed("truncated extension header", at);
    }
    const unsigned next = std::to_integer<unsigned>(bytes[at]);
    const std::size_t length = std::to_integer<std::size_t>(bytes[at + 1]);
    at += 2;
    if (bytes.size() - at < length) {
      return malformed("extension runs past the end", at);
    }
    if (extension == kExtensionSack) {
      if (length == 0 || length % 4 != 0) {
        return malformed("selective ack length not a positive multiple of 4", at - 1);
      }
      if (!packet.sack.empty()) {
        return malformed("two selective acks", at - 2);
      }
      // Legal up to 252 bytes; what lies past kMaxSackBytes is beyond our
      // reorder reach anyway, so only that much is looked at.
      packet.sack = bytes.subspan(at, std::min(length, kMaxSackBytes));
    }
    at += length;
    extension = next;
  }
  packet.payload = bytes.subspan(at);
  return packet;
}

void writePacket(const PacketHeader& header, std::span<const std::byte> sack,
                 std::span<const std::byte> payload, std::vector<std::byte>& out) {
  out.reserve(out.size() + kHeaderSize + (sack.empty() ? 0 : 2 + sack.size()) + payload.size());
  out.push_back(static_cast<std::byte>((static_cast<unsigned>(header.type) << 4) | kUtpVersion));
  out.push_back(static_cast<std::byte>(sack.empty() ? 0 : kExtensionSack));
  put16(out, header.connectionId);
  put32(out, header.timestampUs);
  put32(out, header.timestampDifferenceUs);
  put32(out, header.windowSize);
  put16(out, header.seqNr);
  put16(out, header.ackNr);
  if (!sack.empty()) {
    out.push_back(std::byte{0});
    out.push_back(static_cast<std::byte>(sack.size()));
    out.insert(out.end(), sack.begin(), sack.end());
  }
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace tributary::utp
