// Internal: the peers other nodes announced to us (announce_peer), which we
// hand out in get_peers answers. Bounded everywhere: peers per info-hash,
// info-hashes, and each entry's life (BEP 5 leaves these to the node; the
// figures are libtorrent's order of magnitude).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/dht/NodeId.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

struct PeerStoreLimits {
  std::size_t maxPeersPerInfoHash = 100;
  std::size_t maxInfoHashes = 2000;
  std::uint64_t peerLifetimeMs = 30 * 60 * 1000;
};

class PeerStore {
 public:
  explicit PeerStore(PeerStoreLimits limits = {}) : limits_(limits) {}

  // Adds or refreshes a peer. A full info-hash forgets its oldest peer; a new
  // info-hash beyond the limit evicts the one announced to least recently.
  void announce(const InfoHash& infoHash, const loop::SocketAddress& peer, std::uint64_t nowMs);
  // Up to `max` live peers of that family, a random choice when there are more.
  std::vector<loop::SocketAddress> peers(const InfoHash& infoHash,
                                         loop::SocketAddress::Family family, std::size_t max,
                                         std::uint64_t nowMs) const;
  void expire(std::uint64_t nowMs);

  std::size_t infoHashCount() const { return torrents_.size(); }
  std::size_t peerCount(const InfoHash& infoHash) const;

 private:
  struct Peer {
    loop::SocketAddress address;
    std::uint64_t announcedMs = 0;
  };
  struct Torrent {
    std::vector<Peer> peers;
    std::uint64_t lastAnnounceMs = 0;
  };

  PeerStoreLimits limits_;
  std::unordered_map<InfoHash, Torrent> torrents_;
};

}  // namespace tributary::dht
