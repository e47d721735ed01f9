// Internal: serving our verified info dictionary to peers over BEP 9. Each
// request is answered with the piece, or with a reject when the index is out
// of range or the peer has asked for that piece too often lately: a peer
// looping over requests must not turn us into a megabytes-per-second source.
// Pure logic: the caller passes the time and frames the returned payload.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "engine/bt/UtMetadataMessage.h"

namespace tributary::bt {

struct MetadataServerOptions {
  // Each piece is sent to one peer at most this often per window. A client
  // fetching the dictionary needs each piece once; a few retries are allowed.
  std::uint32_t maxSendsPerPiece = 3;
  std::uint64_t windowMs = 60'000;
};

class MetadataServer {
 public:
  using PeerKey = std::uint64_t;

  // `metadata` is the verified info dictionary (shared by every torrent
  // object that needs it; never empty).
  explicit MetadataServer(std::shared_ptr<const std::string> metadata,
                          MetadataServerOptions options = {});
  explicit MetadataServer(std::string metadata, MetadataServerOptions options = {})
      : MetadataServer(std::make_shared<const std::string>(std::move(metadata)), options) {}

  std::uint64_t metadataSize() const noexcept { return metadata_->size(); }
  std::uint32_t pieceCount() const noexcept { return pieceCount_; }

  // The payload answering `message` (a Data or a Reject message), for
  // appendExtended(out, theirUtMetadataId, ...). Only requests are answered:
  // anything else gives an empty string, which is not to be sent.
  std::string answer(PeerKey key, const UtMetadataMessage& message, std::uint64_t nowMs);

  void onPeerGone(PeerKey key) { peers_.erase(key); }

 private:
  struct Window {
    std::uint64_t startMs = 0;
    std::uint32_t sends = 0;
  };

  std::shared_ptr<const std::string> metadata_;
  MetadataServerOptions options_;
  std::uint32_t pieceCount_ = 0;
  // Per peer, per piece asked for: bounded by peers times pieces (at most 1024).
  std::map<PeerKey, std::map<std::uint32_t, Window>> peers_;
};

}  // namespace tributary::bt
