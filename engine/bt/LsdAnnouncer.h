// Internal: one torrent's (or magnet's) use of Local Service Discovery
// (BEP 14): a subscription to the engine's LSD service while it runs, which
// announces the info-hash on the local network and reports local peers that
// announce it. Never for a private torrent (BEP 27): the owner simply makes
// none. Lives on the owner's loop; peers reported after stop() or
// destruction are dropped.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "engine/bt/BtShared.h"
#include "engine/bt/LsdAccess.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

class LsdAnnouncer {
 public:
  using PeerCallback = std::function<void(const loop::SocketAddress& peer)>;

  LsdAnnouncer(loop::EventLoop& loop, std::shared_ptr<BtShared> shared,
               const util::Sha1::Digest& infoHash, PeerCallback onPeer);
  ~LsdAnnouncer();
  LsdAnnouncer(const LsdAnnouncer&) = delete;
  LsdAnnouncer& operator=(const LsdAnnouncer&) = delete;

  // From the owner's start and tick: subscribes once the listening port is
  // known (announcing port 0 would bring nobody); the service re-announces.
  void poll();
  // Unsubscribes; the next poll() subscribes again.
  void stop();
  bool available() const { return shared_->lsd != nullptr; }

 private:
  loop::EventLoop& loop_;
  std::shared_ptr<BtShared> shared_;
  util::Sha1::Digest infoHash_;
  PeerCallback onPeer_;
  std::optional<LsdAccess::SubscriptionId> subscription_;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::bt
