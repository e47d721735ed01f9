#include "engine/bt/PeerMessage.h"

namespace tributary::bt {

std::string_view messageKindName(MessageKind kind) noexcept {
  switch (kind) {
    case MessageKind::KeepAlive:
      return "keep-alive";
    case MessageKind::Choke:
      return "choke";
    case MessageKind::Unchoke:
      return "unchoke";
    case MessageKind::Interested:
      return "interested";
    case MessageKind::NotInterested:
      return "not interested";
    case MessageKind::Have:
      return "have";
    case MessageKind::Bitfield:
      return "bitfield";
    case MessageKind::Request:
      return "request";
    case MessageKind::Piece:
      return "piece";
    case MessageKind::Cancel:
      return "cancel";
    case MessageKind::Port:
      return "port";
    case MessageKind::Suggest:
      return "suggest";
    case MessageKind::HaveAll:
      return "have all";
    case MessageKind::HaveNone:
      return "have none";
    case MessageKind::Reject:
      return "reject";
    case MessageKind::AllowedFast:
      return "allowed fast";
    case MessageKind::Extended:
      return "extended";
    case MessageKind::Unknown:
      return "unknown";
  }
  return "unknown";
}

bool TorrentGeometry::valid() const noexcept {
  if (pieceCount == 0 || pieceLength == 0 || totalLength == 0) {
    return false;
  }
  const std::uint64_t expected = (totalLength + pieceLength - 1) / pieceLength;
  return expected == pieceCount;
}

}  // namespace tributary::bt
