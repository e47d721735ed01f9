#include "engine/dht/LookupFanIn.h"

#include <utility>

namespace tributary::dht {

LookupFanIn::LookupFanIn(PeersCallback onPeers, DoneCallback onDone)
    : onPeers_(std::move(onPeers)), onDone_(std::move(onDone)) {}

void LookupFanIn::dropPart() {
  if (pending_ > 0) {
    --pending_;
  }
  finishIfDone();
}

void LookupFanIn::seal() {
  sealed_ = true;
  finishIfDone();
}

void LookupFanIn::partPeers(const std::vector<loop::SocketAddress>& peers) {
  if (!done_ && !peers.empty() && onPeers_) {
    onPeers_(peers);
  }
}

void LookupFanIn::partDone(std::size_t peersFound) {
  if (done_ || pending_ == 0) {
    return;  // a part reporting twice must not end the others early
  }
  --pending_;
  total_ += peersFound;
  finishIfDone();
}

void LookupFanIn::finishIfDone() {
  if (done_ || !sealed_ || pending_ != 0) {
    return;
  }
  done_ = true;
  // Moved out first: the callback may drop the last reference to this object.
  DoneCallback done = std::move(onDone_);
  if (done) {
    done(total_);
  }
}

}  // namespace tributary::dht
