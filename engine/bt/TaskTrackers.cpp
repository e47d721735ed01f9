#include "engine/bt/TaskTrackers.h"

#include <utility>

namespace tributary::bt {

TaskTrackers makeTaskTrackers(
    const core::TaskContext& context, const BtShared& shared, const util::Sha1::Digest& infoHash,
    std::vector<std::vector<std::string>> tiers, const void* owner,
    std::function<void(const std::vector<loop::SocketAddress>&)> onPeers) {
  TaskTrackers made;
  if (context.resolver != nullptr) {
    TrackerUdpOptions udp;
    // BEP 15's 8 retransmits take two hours to give up on a dead tracker;
    // 2 (15 + 30 + 60 s) lets the list move on to the next one in time.
    udp.maxRetransmits = 2;
    made.udp = std::make_unique<TrackerUdpClient>(*context.loop, *context.resolver, udp);
  }
  TrackerIdentity identity;
  identity.infoHash = infoHash;
  identity.peerId = shared.peerId;
  identity.port = shared.listenPort.load();
  identity.key = static_cast<std::uint32_t>(std::hash<std::uint64_t>{}(context.id) ^
                                            reinterpret_cast<std::uintptr_t>(owner));
  made.list = std::make_unique<TrackerList>(*context.loop, std::move(tiers), identity,
                                            TrackerClients{context.httpGetter, made.udp.get()});
  made.list->setOnPeers([onPeers = std::move(onPeers)](std::vector<TrackerPeer> peers, PeerSource) {
    std::vector<loop::SocketAddress> addresses;
    addresses.reserve(peers.size());
    for (const TrackerPeer& peer : peers) {
      addresses.push_back(peer.address);
    }
    onPeers(addresses);
  });
  return made;
}

}  // namespace tributary::bt
