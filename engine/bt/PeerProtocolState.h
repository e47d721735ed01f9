// Internal: the rules an incoming peer message must follow beyond its framing
// (issue 4 item 4). checkMessageBounds() is the stateless part: indices, block
// ranges and bitfield sizes against the torrent's geometry. PeerProtocolState
// adds what needs memory: the order of the first messages, a second bitfield,
// fast/extension messages without the bit negotiated, requests flooding in
// while we choke the peer. Each rule broken is a PeerWireError: the connection
// closes with peerWireErrorReason() in its log line.
//
// Ordering leniency, on purpose: libtorrent and Transmission send their BEP 10
// handshake before the bitfield, so keep-alives, extended and port messages may
// come before a bitfield / have-all / have-none. Anything else first (a have, an
// unchoke...) means the peer has chosen to send no bitfield.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/bt/PeerMessage.h"
#include "engine/bt/PeerWireError.h"

namespace tributary::bt {

struct ProtocolOptions {
  bool fastExtension = false;      // both handshakes had the BEP 6 bit
  bool extensionProtocol = false;  // both handshakes had the BEP 10 bit
  // Requests tolerated between our choke and the peer noticing it: the request
  // queue we advertise (BEP 10 "reqq"), which a well-behaved peer never exceeds.
  std::uint32_t maxRequestsWhileChoked = 500;
};

// Index, begin and length of a request/cancel/reject/piece against the torrent.
PeerWireError checkBlockRange(const TorrentGeometry& geometry, std::uint32_t index,
                              std::uint32_t begin, std::uint32_t length) noexcept;
// A bitfield payload: exactly ceil(pieceCount / 8) bytes, spare bits zero.
PeerWireError checkBitfield(const TorrentGeometry& geometry,
                            std::span<const std::byte> payload) noexcept;
// Every geometry-dependent check for one message; None for messages without any.
PeerWireError checkMessageBounds(const PeerMessage& message,
                                 const TorrentGeometry& geometry) noexcept;

class PeerProtocolState {
 public:
  // Without a geometry (a magnet link before its metadata) indices cannot be
  // checked yet; only the limits that need no torrent apply (16 KiB, non-empty).
  explicit PeerProtocolState(ProtocolOptions options,
                             std::optional<TorrentGeometry> geometry = std::nullopt)
      : options_(options), geometry_(geometry) {}

  // The metadata arrived. The caller re-checks a bitfield it stored meanwhile
  // with checkBitfield().
  void setGeometry(const TorrentGeometry& geometry) { geometry_ = geometry; }
  const std::optional<TorrentGeometry>& geometry() const noexcept { return geometry_; }
  const ProtocolOptions& options() const noexcept { return options_; }

  // Checks one incoming message and records what it changes. None: carry on.
  // After an error the state is unspecified: close the connection.
  PeerWireError onMessage(const PeerMessage& message);

  // What we sent that changes the rules.
  void weChoked() noexcept;
  void weUnchoked() noexcept;
  // Requests for this piece are legal while we choke (BEP 6 allowed fast).
  void weAllowedFast(std::uint32_t index);
  bool allowedFastGranted(std::uint32_t index) const noexcept {
    return std::find(allowedFast_.begin(), allowedFast_.end(), index) != allowedFast_.end();
  }

  bool peerChoking() const noexcept { return peerChoking_; }
  bool peerInterested() const noexcept { return peerInterested_; }
  bool weChoking() const noexcept { return weChoking_; }
  bool pieceSetReceived() const noexcept { return pieceSetReceived_; }
  std::uint32_t requestsWhileChoked() const noexcept { return requestsWhileChoked_; }

 private:
  PeerWireError onPieceSet(const PeerMessage& message);
  PeerWireError onRequest(const PeerMessage& message);
  PeerWireError bounds(const PeerMessage& message) const noexcept;

  ProtocolOptions options_;
  std::optional<TorrentGeometry> geometry_;
  std::vector<std::uint32_t> allowedFast_;  // pieces we granted; a handful
  std::uint32_t requestsWhileChoked_ = 0;
  bool openingPhase_ = true;  // only keep-alive/extended/port seen so far
  bool pieceSetReceived_ = false;
  bool peerChoking_ = true;  // BEP 3: connections start choked and not interested
  bool peerInterested_ = false;
  bool weChoking_ = true;
};

}  // namespace tributary::bt
