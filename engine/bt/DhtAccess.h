// Internal: how torrents reach the engine's DHT node (BEP 5). The node lives
// on one loop and its code in engine/dht, which bt does not see: the session
// implements this and hangs it on BtShared (null when the DHT is off).
// Thread-safe: every call may come from any task's loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

class DhtAccess {
 public:
  using PeersCallback = std::function<void(const std::vector<loop::SocketAddress>& peers)>;
  using DoneCallback = std::function<void(std::size_t peersFound)>;

  virtual ~DhtAccess() = default;

  // get_peers for the info-hash; with announcePort != 0, announce_peer to the
  // closest nodes too. Both callbacks run on `replyLoop` (onPeers any number
  // of times, then onDone once); the caller guards its own lifetime in them.
  virtual void findPeers(const util::Sha1::Digest& infoHash, std::uint16_t announcePort,
                         loop::EventLoop& replyLoop, PeersCallback onPeers,
                         DoneCallback onDone) = 0;
  // A node heard of from a peer's PORT message (BEP 5).
  virtual void addNode(const loop::SocketAddress& node) = 0;
  // Nodes in the routing table (the status bar's figure).
  virtual std::size_t nodeCount() const = 0;
  // The DHT's UDP port, for the PORT messages we send; 0 when not listening.
  virtual std::uint16_t port() const = 0;
};

}  // namespace tributary::bt
