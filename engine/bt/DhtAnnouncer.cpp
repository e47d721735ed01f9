#include "engine/bt/DhtAnnouncer.h"

#include <algorithm>
#include <utility>

#include "engine/bt/DhtAccess.h"

namespace tributary::bt {

DhtAnnouncer::DhtAnnouncer(loop::EventLoop& loop, std::shared_ptr<BtShared> shared,
                           const util::Sha1::Digest& infoHash, PeersCallback onPeers)
    : loop_(loop), shared_(std::move(shared)), infoHash_(infoHash), onPeers_(std::move(onPeers)) {}

void DhtAnnouncer::poll() {
  DhtAccess* dht = shared_->dht.get();
  const std::uint64_t now = loop_.nowMs();
  if (dht == nullptr || inFlight_ || now < nextMs_) {
    return;
  }
  inFlight_ = true;
  std::weak_ptr<char> alive = life_;
  dht->findPeers(
      infoHash_, shared_->listenPort.load(), loop_,
      [this, alive](const std::vector<loop::SocketAddress>& peers) {
        if (!alive.expired()) {
          onPeers_(peers);
        }
      },
      [this, alive](std::size_t found) {
        if (alive.expired()) {
          return;
        }
        inFlight_ = false;
        if (found > 0) {
          emptyRuns_ = 0;
          nextMs_ = loop_.nowMs() + kIntervalMs;
        } else {
          const unsigned shift = std::min(emptyRuns_++, 8u);
          nextMs_ = loop_.nowMs() + std::min(kFirstRetryMs << shift, kIntervalMs);
        }
      });
}

void DhtAnnouncer::stop() {
  life_ = std::make_shared<char>();  // the old guard expires: results of the old lookup drop
  inFlight_ = false;
  nextMs_ = 0;
  emptyRuns_ = 0;
}

}  // namespace tributary::bt
