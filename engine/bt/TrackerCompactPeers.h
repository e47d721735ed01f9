// Internal: compact peer lists (BEP 23 for IPv4, BEP 7 for IPv6), as HTTP
// trackers send them in "peers"/"peers6" and UDP trackers after their header.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "engine/bt/TrackerTypes.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

inline constexpr std::size_t kCompactPeerV4Bytes = 6;  // address, port (network order)
inline constexpr std::size_t kCompactPeerV6Bytes = 18;

// Appends each entry's address to `out`. Returns false (appending nothing)
// when the length is not a multiple of the entry size. Entries that no peer
// can have (port 0, the unspecified address) are skipped.
bool appendCompactPeers(std::span<const std::byte> bytes, loop::SocketAddress::Family family,
                        std::vector<TrackerPeer>& out);

// The compact form of one address (6 or 18 bytes), for tests and for our own trackers' replies.
std::vector<std::byte> encodeCompactPeer(const loop::SocketAddress& address);

}  // namespace tributary::bt
