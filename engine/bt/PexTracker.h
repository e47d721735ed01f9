// Internal: what one connected peer has been told through ut_pex, so that each
// message carries only the change since the last one (BEP 11). The torrent
// keeps one per peer connection that negotiated ut_pex and, about once a
// minute, hands it the peers it is connected to now; nothing here knows about
// time or sockets.
#pragma once

#include <cstdint>
#include <map>
#include <span>

#include "engine/bt/PexMessage.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

class PexTracker {
 public:
  // recipient: the listen address of the peer the messages go to (it is never
  // told about itself); an invalid address when it is not known.
  explicit PexTracker(loop::SocketAddress recipient = {}) : recipient_(recipient) {}

  // The message to send now, given the peers connected at this moment (their
  // listen addresses, with the flags to advertise). Added: connected peers the
  // recipient has not been told about, or told about with other flags; dropped:
  // peers it was told about that are gone. At most kMaxPexAddedPerMessage and
  // kMaxPexDroppedPerMessage, IPv4 and IPv6 together: the rest is reported by a
  // later call. Addresses isUsablePexAddress() refuses are never sent. The
  // result may be empty, and then it must not be sent.
  PexMessage nextMessage(std::span<const PexPeer> connected);

  // How many peers the recipient believes we are connected to.
  std::size_t advertisedCount() const noexcept { return advertised_.size(); }

 private:
  loop::SocketAddress recipient_;
  // What the recipient has been told: address -> flags. Ordered, so which
  // peers wait for the next message does not depend on hashing.
  std::map<loop::SocketAddress, std::uint8_t> advertised_;
};

}  // namespace tributary::bt
