// Internal: the uTP packet (BEP 29, version 1): the 20-byte header, the
// extension chain and the payload, parsed and written. Pure functions over
// bytes, no I/O: a datagram from anyone on the Internet is checked for length
// before each field is read, and a malformed one is an error with a reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/api/Error.h"

namespace tributary::utp {

enum class PacketType : std::uint8_t { Data = 0, Fin = 1, State = 2, Reset = 3, Syn = 4 };

inline constexpr std::uint8_t kUtpVersion = 1;
inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::uint8_t kExtensionSack = 1;
// We look at most this many bytes of a selective ACK's bitmask (1024 packets
// past ack_nr + 1, as far as our reorder buffer reaches); a longer one (legal
// up to 252 bytes) is cut to this, so a peer cannot make us walk more.
inline constexpr std::size_t kMaxSackBytes = 128;

struct PacketHeader {
  PacketType type = PacketType::Data;
  std::uint16_t connectionId = 0;
  std::uint32_t timestampUs = 0;
  std::uint32_t timestampDifferenceUs = 0;
  std::uint32_t windowSize = 0;
  std::uint16_t seqNr = 0;
  std::uint16_t ackNr = 0;
};

// A parsed datagram. sack and payload view the parsed bytes: valid as long as they are.
struct Packet {
  PacketHeader header;
  std::span<const std::byte> sack;  // empty: no selective ACK; else a multiple of 4 bytes
  std::span<const std::byte> payload;
};

// Whether bytes can be a uTP packet at all (version 1, a known type, a whole
// header): how a shared UDP port tells uTP from the DHT's bencoded 'd...' datagrams.
bool looksLikeUtp(std::span<const std::byte> bytes);

// Errors (ProtocolError, with the reason and the offset): short header, wrong
// version, unknown type, an extension running past the end, a selective ACK
// whose length is not a positive multiple of 4 (Packet::sack keeps at most
// kMaxSackBytes of a longer one).
// Unknown extensions are skipped. A SACK on a SYN is accepted and ignored by callers.
Result<Packet> parsePacket(std::span<const std::byte> bytes);

// Appends the packet to out (header, the SACK extension when sack is not
// empty, then the payload). sack.size() must be a multiple of 4, at most kMaxSackBytes.
void writePacket(const PacketHeader& header, std::span<const std::byte> sack,
                 std::span<const std::byte> payload, std::vector<std::byte>& out);

// 16-bit sequence arithmetic: how far b is after a (mod 2^16), and whether a
// comes before b in the half of the space that counts as "before".
inline std::uint16_t seqDistance(std::uint16_t a, std::uint16_t b) {
  return static_cast<std::uint16_t>(b - a);
}
inline bool seqLess(std::uint16_t a, std::uint16_t b) {
  return a != b && seqDistance(a, b) < 0x8000;
}

}  // namespace tributary::utp
