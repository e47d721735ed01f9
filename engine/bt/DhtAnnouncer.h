// Internal: one torrent's (or magnet's) use of the DHT: a lookup with
// announce at start, then again every 15 minutes; a lookup that found nobody
// is retried sooner (5 s, 10 s, 20 s, ...), so a swarm that appears later is
// found. Never for a private torrent (BEP 27): the owner simply makes none.
// Lives on the owner's loop; results of a lookup still under way when it is
// stopped or destroyed are dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/bt/BtShared.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

class DhtAnnouncer {
 public:
  using PeersCallback = std::function<void(const std::vector<loop::SocketAddress>& peers)>;

  DhtAnnouncer(loop::EventLoop& loop, std::shared_ptr<BtShared> shared,
               const util::Sha1::Digest& infoHash, PeersCallback onPeers);

  // From the owner's tick (and at start): begins a lookup when one is due.
  void poll();
  // Drops the lookup under way; the next poll() after a stop starts one at once.
  void stop();
  // Whether the engine has a DHT at all.
  bool available() const { return shared_->dht != nullptr; }

  static constexpr std::uint64_t kIntervalMs = 15 * 60 * 1000;
  static constexpr std::uint64_t kFirstRetryMs = 5'000;

 private:
  loop::EventLoop& loop_;
  std::shared_ptr<BtShared> shared_;
  util::Sha1::Digest infoHash_;
  PeersCallback onPeers_;
  std::uint64_t nextMs_ = 0;
  unsigned emptyRuns_ = 0;
  bool inFlight_ = false;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::bt
