// Internal: the ut_pex message (BEP 11), the bencoded payload of the extended
// message a peer sends about once a minute: the peers it connected to since
// its last message ("added", "added6", with one flags byte each in "added.f",
// "added6.f") and those it lost ("dropped", "dropped6"), in compact form.
//
// The parser takes untrusted bytes: a malformed message is an error, but what
// the spec merely advises against (more than 50 entries, flags of the wrong
// length, addresses no peer can have) is trimmed, so one sloppy client does
// not cost us the whole message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

// The added.f bits (BEP 11).
inline constexpr std::uint8_t kPexPrefersEncryption = 0x01;
inline constexpr std::uint8_t kPexSeed = 0x02;  // a seed or upload-only
inline constexpr std::uint8_t kPexSupportsUtp = 0x04;
inline constexpr std::uint8_t kPexSupportsHolepunch = 0x08;
inline constexpr std::uint8_t kPexReachable = 0x10;  // we connected out to it

// What we take from one list of a received message; the rest is ignored.
inline constexpr std::size_t kMaxPexEntriesPerList = 50;
// What we send: at most 50 added and 50 dropped in one message, IPv4 and IPv6
// together (the limit µTorrent and Vuze agreed on and may enforce).
inline constexpr std::size_t kMaxPexAddedPerMessage = 50;
inline constexpr std::size_t kMaxPexDroppedPerMessage = 50;

struct PexPeer {
  loop::SocketAddress address;
  std::uint8_t flags = 0;

  friend bool operator==(const PexPeer&, const PexPeer&) = default;
};

struct PexMessage {
  std::vector<PexPeer> added;                // IPv4 and IPv6
  std::vector<loop::SocketAddress> dropped;  // IPv4 and IPv6

  bool empty() const noexcept { return added.empty() && dropped.empty(); }
  friend bool operator==(const PexMessage&, const PexMessage&) = default;
};

// The bencoded payload, every one of the six keys present (some clients expect
// them all). Entries past the per-message caps and addresses that are not
// valid peer addresses are left out. Callers do not send an empty message:
// some clients take one as a protocol error.
std::string encodePexMessage(const PexMessage& message);

// ErrorCode::ProtocolError when the payload is not a bencoded dictionary, a
// list is not a byte string, or its length is not a multiple of 6 (IPv4) or 18
// (IPv6). Flags whose length does not match their list are ignored (all 0).
// Each list keeps its first kMaxPexEntriesPerList usable entries; port 0 and
// unspecified, multicast or broadcast addresses are dropped.
Result<PexMessage> parsePexMessage(std::span<const std::byte> payload);

// Whether an address can be a peer's: a port, and neither unspecified,
// multicast nor broadcast.
bool isUsablePexAddress(const loop::SocketAddress& address);

}  // namespace tributary::bt
