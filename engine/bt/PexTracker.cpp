#include "engine/bt/PexTracker.h"

namespace tributary::bt {

PexMessage PexTracker::nextMessage(std::span<const PexPeer> connected) {
  // The first entry for an address wins, so a list with duplicates still
  // gives one answer per address.
  std::map<loop::SocketAddress, std::uint8_t> current;
  for (const PexPeer& peer : connected) {
    if (isUsablePexAddress(peer.address) && peer.address != recipient_) {
      current.emplace(peer.address, peer.flags);
    }
  }

  PexMessage message;
  for (auto it = advertised_.begin();
       it != advertised_.end() && message.dropped.size() < kMaxPexDroppedPerMessage;) {
    if (current.contains(it->first)) {
      ++it;
      continue;
    }
    message.dropped.push_back(it->first);
    it = advertised_.erase(it);
  }

  // In the caller's order, so the torrent decides who is worth telling first.
  for (const PexPeer& peer : connected) {
    if (message.added.size() == kMaxPexAddedPerMessage) {
      break;
    }
    const auto now = current.find(peer.address);
    if (now == current.end() || now->second != peer.flags) {
      continue;  // unusable, the recipient itself, or a duplicate entry
    }
    const auto [told, inserted] = advertised_.try_emplace(peer.address, peer.flags);
    if (!inserted) {
      if (told->second == peer.flags) {
        continue;
      }
      told->second = peer.flags;  // re-announced: it became a seed, say
    }
    message.added.push_back(peer);
  }
  return message;
}

}  // namespace tributary::bt
