#include "engine/bt/MetadataServer.h"

#include <algorithm>
#include <span>
#include <utility>

namespace tributary::bt {

MetadataServer::MetadataServer(std::shared_ptr<const std::string> metadata,
                               MetadataServerOptions options)
    : metadata_(metadata ? std::move(metadata) : std::make_shared<const std::string>()),
      options_(options),
      pieceCount_(static_cast<std::uint32_t>((metadata_->size() + kMetadataPieceSize - 1) /
                                             kMetadataPieceSize)) {}

std::string MetadataServer::answer(PeerKey key, const UtMetadataMessage& message,
                                   std::uint64_t nowMs) {
  if (message.type != UtMetadataMessage::Type::Request) {
    return {};
  }
  const std::uint32_t index = message.piece;
  if (index >= pieceCount_) {
    return encodeUtMetadataReject(index);
  }
  Window& window = peers_[key][index];
  if (window.sends == 0 || nowMs < window.startMs || nowMs - window.startMs >= options_.windowMs) {
    window = Window{nowMs, 0};
  }
  if (window.sends >= options_.maxSendsPerPiece) {
    return encodeUtMetadataReject(index);
  }
  ++window.sends;
  const std::size_t offset = std::size_t{index} * kMetadataPieceSize;
  const std::size_t length = std::min<std::size_t>(kMetadataPieceSize, metadata_->size() - offset);
  const auto bytes = std::as_bytes(std::span(*metadata_)).subspan(offset, length);
  return encodeUtMetadataData(index, metadata_->size(), bytes);
}

}  // namespace tributary::bt
