#include "engine/bt/PeerProtocolState.h"

#include <algorithm>

namespace tributary::bt {

namespace {

bool isFastMessage(MessageKind kind) {
  switch (kind) {
    case MessageKind::Suggest:
    case MessageKind::HaveAll:
    case MessageKind::HaveNone:
    case MessageKind::Reject:
    case MessageKind::AllowedFast:
      return true;
    default:
      return false;
  }
}

// Messages allowed before the bitfield without closing the opening phase.
bool keepsOpeningPhase(MessageKind kind) {
  return kind == MessageKind::KeepAlive || kind == MessageKind::Extended ||
         kind == MessageKind::Port || kind == MessageKind::Unknown;
}

PeerWireError blockLimits(std::uint32_t length) {
  if (length == 0) {
    return PeerWireError::EmptyBlock;
  }
  if (length > kBlockSize) {
    return PeerWireError::BlockTooLarge;
  }
  return PeerWireError::None;
}

}  // namespace

PeerWireError checkBlockRange(const TorrentGeometry& geometry, std::uint32_t index,
                              std::uint32_t begin, std::uint32_t length) noexcept {
  if (index >= geometry.pieceCount) {
    return PeerWireError::PieceIndexOutOfRange;
  }
  if (const PeerWireError e = blockLimits(length); e != PeerWireError::None) {
    return e;
  }
  // 64-bit sum: begin + length can wrap in 32 bits.
  if (std::uint64_t{begin} + length > geometry.pieceSize(index)) {
    return PeerWireError::BlockPastPieceEnd;
  }
  return PeerWireError::None;
}

PeerWireError checkBitfield(const TorrentGeometry& geometry,
                            std::span<const std::byte> payload) noexcept {
  if (payload.size() != (std::size_t{geometry.pieceCount} + 7) / 8) {
    return PeerWireError::BitfieldWrongLength;
  }
  const std::uint32_t used = geometry.pieceCount & 7;
  if (used != 0 && (static_cast<unsigned>(payload.back()) & (0xFFU >> used)) != 0) {
    return PeerWireError::BitfieldSpareBitsSet;
  }
  return PeerWireError::None;
}

PeerWireError checkMessageBounds(const PeerMessage& m, const TorrentGeometry& geometry) noexcept {
  switch (m.kind) {
    case MessageKind::Have:
    case MessageKind::Suggest:
    case MessageKind::AllowedFast:
      return m.index < geometry.pieceCount ? PeerWireError::None
                                           : PeerWireError::PieceIndexOutOfRange;
    case MessageKind::Request:
    case MessageKind::Cancel:
    case MessageKind::Reject:
    case MessageKind::Piece:
      return checkBlockRange(geometry, m.index, m.begin, m.length);
    case MessageKind::Bitfield:
      return checkBitfield(geometry, m.payload);
    default:
      return PeerWireError::None;
  }
}

PeerWireError PeerProtocolState::bounds(const PeerMessage& m) const noexcept {
  if (geometry_) {
    return checkMessageBounds(m, *geometry_);
  }
  switch (m.kind) {
    case MessageKind::Request:
    case MessageKind::Cancel:
    case MessageKind::Reject:
    case MessageKind::Piece:
      return blockLimits(m.length);
    default:
      return PeerWireError::None;
  }
}

PeerWireError PeerProtocolState::onMessage(const PeerMessage& m) {
  if (isFastMessage(m.kind) && !options_.fastExtension) {
    return PeerWireError::FastExtensionNotNegotiated;
  }
  if (m.kind == MessageKind::Extended && !options_.extensionProtocol) {
    return PeerWireError::ExtensionNotNegotiated;
  }
  if (m.kind == MessageKind::Bitfield || m.kind == MessageKind::HaveAll ||
      m.kind == MessageKind::HaveNone) {
    return onPieceSet(m);
  }
  if (const PeerWireError e = bounds(m); e != PeerWireError::None) {
    return e;
  }
  if (!keepsOpeningPhase(m.kind)) {
    openingPhase_ = false;
  }
  switch (m.kind) {
    case MessageKind::Choke:
      peerChoking_ = true;
      break;
    case MessageKind::Unchoke:
      peerChoking_ = false;
      break;
    case MessageKind::Interested:
      peerInterested_ = true;
      break;
    case MessageKind::NotInterested:
      peerInterested_ = false;
      break;
    case MessageKind::Request:
      return onRequest(m);
    default:
      break;
  }
  return PeerWireError::None;
}

PeerWireError PeerProtocolState::onPieceSet(const PeerMessage& m) {
  if (pieceSetReceived_) {
    return PeerWireError::DuplicateBitfield;
  }
  if (!openingPhase_) {
    return PeerWireError::BitfieldNotFirst;
  }
  if (m.kind == MessageKind::Bitfield) {
    if (const PeerWireError e = bounds(m); e != PeerWireError::None) {
      return e;
    }
  }
  pieceSetReceived_ = true;
  openingPhase_ = false;
  return PeerWireError::None;
}

PeerWireError PeerProtocolState::onRequest(const PeerMessage& m) {
  if (!weChoking_) {
    return PeerWireError::None;
  }
  if (std::find(allowedFast_.begin(), allowedFast_.end(), m.index) != allowedFast_.end()) {
    return PeerWireError::None;
  }
  if (++requestsWhileChoked_ > options_.maxRequestsWhileChoked) {
    return PeerWireError::RequestFloodWhileChoked;
  }
  return PeerWireError::None;
}

void PeerProtocolState::weChoked() noexcept {
  weChoking_ = true;
  requestsWhileChoked_ = 0;
}

void PeerProtocolState::weUnchoked() noexcept {
  weChoking_ = false;
  requestsWhileChoked_ = 0;
}

void PeerProtocolState::weAllowedFast(std::uint32_t index) {
  if (std::find(allowedFast_.begin(), allowedFast_.end(), index) == allowedFast_.end()) {
    allowedFast_.push_back(index);
  }
}

}  // namespace tributary::bt
