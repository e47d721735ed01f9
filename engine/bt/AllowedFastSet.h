// Internal: BEP 6's allowed-fast set, the pieces a peer at one IPv4 address
// may request from us while we choke it. The canonical algorithm, so both
// sides (and every client) compute the same set: a peer with nothing can
// start with these, and reconnecting does not get it a new set.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/util/Sha.h"

namespace tributary::bt {

// Up to `count` distinct piece indices (fewer when the torrent has fewer
// pieces). BEP 6 defines the set for IPv4 only: `ipv4` is the peer's address
// in network byte order.
std::vector<std::uint32_t> allowedFastSet(std::span<const std::uint8_t, 4> ipv4,
                                          const util::Sha1::Digest& infoHash,
                                          std::uint32_t pieceCount, std::uint32_t count);

}  // namespace tributary::bt
