#include "engine/dht/PeerStore.h"

#include <algorithm>
#include <random>

namespace tributary::dht {

void PeerStore::announce(const InfoHash& infoHash, const loop::SocketAddress& peer,
                         std::uint64_t nowMs) {
  auto it = torrents_.find(infoHash);
  if (it == torrents_.end()) {
    if (torrents_.size() >= limits_.maxInfoHashes) {
      expire(nowMs);
    }
    if (torrents_.size() >= limits_.maxInfoHashes) {
      const auto oldest =
          std::min_element(torrents_.begin(), torrents_.end(), [](const auto& a, const auto& b) {
            return a.second.lastAnnounceMs < b.second.lastAnnounceMs;
          });
      torrents_.erase(oldest);
    }
    it = torrents_.emplace(infoHash, Torrent{}).first;
  }
  Torrent& t = it->second;
  t.lastAnnounceMs = nowMs;
  for (Peer& p : t.peers) {
    if (p.address == peer) {
      p.announcedMs = nowMs;
      return;
    }
  }
  if (t.peers.size() >= limits_.maxPeersPerInfoHash) {
    auto oldest = std::min_element(
        t.peers.begin(), t.peers.end(),
        [](const Peer& a, const Peer& b) { return a.announcedMs < b.announcedMs; });
    *oldest = {peer, nowMs};
    return;
  }
  t.peers.push_back({peer, nowMs});
}

std::vector<loop::SocketAddress> PeerStore::peers(const InfoHash& infoHash,
                                                  loop::SocketAddress::Family family,
                                                  std::size_t max, std::uint64_t nowMs) const {
  std::vector<loop::SocketAddress> out;
  const auto it = torrents_.find(infoHash);
  if (it == torrents_.end()) {
    return out;
  }
  for (const Peer& p : it->second.peers) {
    if (p.address.family() == family && nowMs - p.announcedMs < limits_.peerLifetimeMs) {
      out.push_back(p.address);
    }
  }
  if (out.size() > max) {
    thread_local std::minstd_rand gen{std::random_device{}()};
    std::shuffle(out.begin(), out.end(), gen);
    out.resize(max);
  }
  return out;
}

void PeerStore::expire(std::uint64_t nowMs) {
  for (auto it = torrents_.begin(); it != torrents_.end();) {
    std::erase_if(it->second.peers,
                  [&](const Peer& p) { return nowMs - p.announcedMs >= limits_.peerLifetimeMs; });
    it = it->second.peers.empty() ? torrents_.erase(it) : std::next(it);
  }
}

std::size_t PeerStore::peerCount(const InfoHash& infoHash) const {
  const auto it = torrents_.find(infoHash);
  return it == torrents_.end() ? 0 : it->second.peers.size();
}

}  // namespace tributary::dht
