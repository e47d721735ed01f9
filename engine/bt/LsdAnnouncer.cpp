#include "engine/bt/LsdAnnouncer.h"

#include <utility>

namespace tributary::bt {

LsdAnnouncer::LsdAnnouncer(loop::EventLoop& loop, std::shared_ptr<BtShared> shared,
                           const util::Sha1::Digest& infoHash, PeerCallback onPeer)
    : loop_(loop), shared_(std::move(shared)), infoHash_(infoHash), onPeer_(std::move(onPeer)) {}

LsdAnnouncer::~LsdAnnouncer() {
  stop();
}

void LsdAnnouncer::poll() {
  LsdAccess* lsd = shared_->lsd.get();
  const std::uint16_t port = shared_->listenPort.load();
  if (lsd == nullptr || subscription_ || port == 0) {
    return;
  }
  std::weak_ptr<char> alive = life_;
  subscription_ =
      lsd->subscribe(infoHash_, port, loop_, [this, alive](const loop::SocketAddress& peer) {
        if (!alive.expired()) {
          onPeer_(peer);
        }
      });
}

void LsdAnnouncer::stop() {
  if (subscription_ && shared_->lsd) {
    shared_->lsd->unsubscribe(*subscription_);
  }
  subscription_.reset();
  life_ = std::make_shared<char>();  // the old guard expires: peers already posted drop
}

}  // namespace tributary::bt
