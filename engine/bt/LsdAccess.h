// Internal: how torrents reach the engine's Local Service Discovery (BEP 14)
// service. The service lives on one loop in engine/session, which bt does not
// see: the session implements this and hangs it on BtShared (null when LSD is
// off). Never used for private torrents (BEP 27): their owners subscribe nothing.
// Thread-safe: every call may come from any task's loop.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

class LsdAccess {
 public:
  using PeerCallback = std::function<void(const loop::SocketAddress& peer)>;
  using SubscriptionId = std::uint64_t;

  virtual ~LsdAccess() = default;

  // Announces the info-hash with our BitTorrent `port` on the local network
  // (at once when the rate limit allows, then every few minutes) and hands
  // each local peer that announces it to onPeer, on `replyLoop`. The caller
  // guards its own lifetime in onPeer: a call already posted may still run
  // after unsubscribe().
  virtual SubscriptionId subscribe(const util::Sha1::Digest& infoHash, std::uint16_t port,
                                   loop::EventLoop& replyLoop, PeerCallback onPeer) = 0;
  // Stops the announces and the callbacks of one subscription; unknown ids are ignored.
  virtual void unsubscribe(SubscriptionId id) = 0;
};

}  // namespace tributary::bt
