#include "engine/bt/MetadataAssembler.h"

#include <algorithm>
#include <cstring>
#include <tuple>
#include <utility>

namespace tributary::bt {

MetadataAssembler::MetadataAssembler(const util::Sha1::Digest& infoHash,
                                     MetadataAssemblerOptions options)
    : infoHash_(infoHash), options_(options) {
  options_.maxOutstandingPerPeer = std::max<std::uint32_t>(1, options_.maxOutstandingPerPeer);
  options_.maxFailedAttempts = std::max<std::uint32_t>(1, options_.maxFailedAttempts);
}

MetadataAssembler::Peer* MetadataAssembler::findPeer(PeerKey key) {
  const auto it = peers_.find(key);
  return it == peers_.end() ? nullptr : &it->second;
}

void MetadataAssembler::onPeerMetadataSize(PeerKey key, std::uint64_t size) {
  if (complete_ || excluded_.contains(key)) {
    return;
  }
  Peer& peer = peers_[key];
  const std::uint64_t plausible = size == 0 || size > options_.maxSize ? 0 : size;
  if (peer.size != plausible) {
    peer.size = plausible;
    peer.sizeSeq = nextSizeSeq_++;
  }
  reelectSize(false);
}

std::uint32_t MetadataAssembler::pieceLength(std::uint32_t piece) const noexcept {
  if (piece + 1 < pieces_.size()) {
    return kMetadataPieceSize;
  }
  return static_cast<std::uint32_t>(size_ - std::uint64_t{kMetadataPieceSize} * piece);
}

void MetadataAssembler::resetPieces(std::uint64_t size) {
  size_ = size;
  const std::uint64_t count = (size + kMetadataPieceSize - 1) / kMetadataPieceSize;
  pieces_.assign(static_cast<std::size_t>(count), Piece{});
  std::string().swap(buffer_);
  held_ = 0;
  // Whatever was in flight was for the old attempt; answers to it are still
  // taken if they fit, but no peer is held back waiting for them.
  for (auto& [key, peer] : peers_) {
    peer.outstanding = 0;
  }
  soloPeer_.reset();
}

void MetadataAssembler::release(Piece& piece) {
  if (piece.state != PieceState::Requested) {
    return;
  }
  if (Peer* peer = findPeer(piece.peer); peer != nullptr && peer->outstanding > 0) {
    --peer->outstanding;
  }
  piece.state = PieceState::Missing;
}

// The size is only revised while nothing is held, so no received byte is ever
// thrown away for it. Unless forced (after a failed attempt), the current size
// stays while a peer that agrees with it and has not timed out is connected:
// the first plausible size wins over later disagreeing ones.
void MetadataAssembler::reelectSize(bool force) {
  if (complete_ || held_ > 0) {
    return;
  }
  struct Support {
    std::uint32_t fresh = 0;  // agreeing peers that have not timed out
    std::uint32_t total = 0;
    std::uint64_t firstSeq = ~std::uint64_t{0};
  };
  std::map<std::uint64_t, Support> support;
  for (const auto& [key, peer] : peers_) {
    if (peer.size == 0) {
      continue;
    }
    Support& s = support[peer.size];
    s.fresh += peer.timeouts == 0 ? 1 : 0;
    ++s.total;
    s.firstSeq = std::min(s.firstSeq, peer.sizeSeq);
  }
  if (support.empty()) {
    return;
  }
  if (!force && size_ != 0) {
    const auto current = support.find(size_);
    if (current != support.end() && current->second.fresh > 0) {
      return;
    }
  }
  auto better = [](const Support& a, const Support& b) {
    return std::tuple(a.fresh, a.total, ~a.firstSeq) > std::tuple(b.fresh, b.total, ~b.firstSeq);
  };
  auto best = support.begin();
  for (auto it = support.begin(); it != support.end(); ++it) {
    if (better(it->second, best->second)) {
      best = it;
    }
  }
  if (size_ != 0 && !force) {
    // Without a fresh supporter for the current size, move only to a size that
    // has one; otherwise keep waiting on the current one.
    const auto current = support.find(size_);
    if (best->second.fresh == 0 && current != support.end()) {
      return;
    }
  }
  if (best->first != size_) {
    resetPieces(best->first);
  }
}

bool MetadataAssembler::canHelp(PeerKey key, const Peer& peer) const {
  if (complete_ || size_ == 0 || peer.size != size_) {
    return false;
  }
  return !(soloMode_ && soloPeer_ && *soloPeer_ != key);
}

std::optional<std::uint32_t> MetadataAssembler::nextRequest(PeerKey key, std::uint64_t nowMs) {
  expire(nowMs);
  Peer* peer = findPeer(key);
  if (peer == nullptr || !canHelp(key, *peer) || nowMs < peer->backoffUntilMs) {
    return std::nullopt;
  }
  const std::uint32_t share =
      options_.maxOutstandingPerPeer - std::min(peer->timeouts, options_.maxOutstandingPerPeer - 1);
  if (peer->outstanding >= share) {
    return std::nullopt;
  }
  for (std::uint32_t i = 0; i < pieces_.size(); ++i) {
    Piece& piece = pieces_[i];
    if (piece.state != PieceState::Missing) {
      continue;
    }
    piece.state = PieceState::Requested;
    piece.peer = key;
    piece.requestedAtMs = nowMs;
    ++peer->outstanding;
    if (soloMode_ && !soloPeer_) {
      soloPeer_ = key;
    }
    return i;
  }
  return std::nullopt;
}

namespace {

MetadataAssembler::DataOutcome outcomeOf(MetadataAssembler::DataResult result) {
  MetadataAssembler::DataOutcome outcome;
  outcome.result = result;
  return outcome;
}

}  // namespace

MetadataAssembler::DataOutcome MetadataAssembler::onData(PeerKey key, std::uint32_t index,
                                                         std::uint64_t totalSize,
                                                         std::span<const std::byte> bytes,
                                                         std::uint64_t /*nowMs*/) {
  if (excluded_.contains(key)) {
    return outcomeOf(DataResult::PeerExcluded);
  }
  if (complete_ || size_ == 0) {
    return outcomeOf(DataResult::Ignored);
  }
  if (totalSize != size_) {
    return outcomeOf(DataResult::SizeMismatch);
  }
  if (index >= pieces_.size()) {
    return outcomeOf(DataResult::PieceOutOfRange);
  }
  Piece& piece = pieces_[index];
  const bool askedOfThisPeer = piece.state == PieceState::Requested && piece.peer == key;
  if (bytes.size() != pieceLength(index)) {
    if (askedOfThisPeer) {
      release(piece);  // it will not come right from this peer: ask another
    }
    return outcomeOf(DataResult::BadLength);
  }
  // Unasked-for pieces are welcome (a late answer after a timeout is one),
  // except while a single peer must supply the whole attempt.
  if (piece.state == PieceState::Held || (soloMode_ && !askedOfThisPeer)) {
    return outcomeOf(DataResult::Ignored);
  }
  release(piece);
  Peer& sender = peers_[key];
  if (sender.timeouts > 0) {
    --sender.timeouts;
  }
  if (buffer_.empty()) {
    buffer_.resize(static_cast<std::size_t>(size_));
  }
  std::memcpy(buffer_.data() + std::size_t{index} * kMetadataPieceSize, bytes.data(), bytes.size());
  piece.state = PieceState::Held;
  piece.peer = key;
  ++held_;
  if (held_ < pieces_.size()) {
    return outcomeOf(DataResult::Accepted);
  }
  return verify();
}

MetadataAssembler::DataOutcome MetadataAssembler::verify() {
  if (util::sha1(std::string_view(buffer_)) == infoHash_) {
    complete_ = true;
    for (auto& [key, peer] : peers_) {
      peer.outstanding = 0;
    }
    DataOutcome outcome = outcomeOf(DataResult::Completed);
    outcome.liars = findLiars();
    return outcome;
  }
  ++failedAttempts_;
  DataOutcome outcome = outcomeOf(DataResult::HashMismatch);
  for (std::uint32_t i = 0; i < pieces_.size() && failedPieces_.size() < kMaxFailedPieces; ++i) {
    const auto bytes = std::as_bytes(std::span(buffer_))
                           .subspan(std::size_t{i} * kMetadataPieceSize, pieceLength(i));
    failedPieces_.push_back({i, pieces_[i].peer, util::sha1(bytes)});
  }
  for (const Piece& piece : pieces_) {
    if (std::find(outcome.failedSenders.begin(), outcome.failedSenders.end(), piece.peer) ==
        outcome.failedSenders.end()) {
      outcome.failedSenders.push_back(piece.peer);
    }
  }
  const bool soleSender = outcome.failedSenders.size() == 1;
  const std::uint64_t size = size_;
  held_ = 0;  // everything is dropped; resetPieces below makes it so
  for (const PeerKey key : outcome.failedSenders) {
    Peer& peer = peers_[key];
    ++peer.failedAttempts;
    if (soleSender || peer.failedAttempts >= options_.maxFailedAttempts) {
      exclude(key);
    }
  }
  soloMode_ = true;
  resetPieces(size);
  reelectSize(true);
  return outcome;
}

std::vector<MetadataAssembler::PeerKey> MetadataAssembler::findLiars() {
  std::vector<PeerKey> liars;
  for (const FailedPiece& failed : failedPieces_) {
    const auto good =
        std::as_bytes(std::span(buffer_))
            .subspan(std::size_t{failed.index} * kMetadataPieceSize, pieceLength(failed.index));
    if (util::sha1(good) != failed.digest &&
        std::find(liars.begin(), liars.end(), failed.sender) == liars.end()) {
      liars.push_back(failed.sender);
    }
  }
  for (const PeerKey key : liars) {
    if (!excluded_.contains(key)) {
      exclude(key);
    }
  }
  failedPieces_.clear();
  return liars;
}

void MetadataAssembler::exclude(PeerKey key) {
  for (Piece& piece : pieces_) {
    if (piece.state == PieceState::Requested && piece.peer == key) {
      release(piece);
    }
  }
  peers_.erase(key);
  excluded_.insert(key);
  if (soloPeer_ == key) {
    soloPeer_.reset();
  }
}

void MetadataAssembler::onReject(PeerKey key, std::uint32_t index, std::uint64_t nowMs) {
  Peer* peer = findPeer(key);
  if (peer == nullptr) {
    return;
  }
  peer->backoffUntilMs = nowMs + options_.rejectBackoffMs;
  if (index < pieces_.size() && pieces_[index].state == PieceState::Requested &&
      pieces_[index].peer == key) {
    release(pieces_[index]);
  }
  if (soloPeer_ == key) {
    soloPeer_.reset();
  }
}

void MetadataAssembler::onPeerGone(PeerKey key) {
  for (Piece& piece : pieces_) {
    if (piece.state == PieceState::Requested && piece.peer == key) {
      release(piece);
    }
  }
  peers_.erase(key);
  if (soloPeer_ == key) {
    soloPeer_.reset();
  }
  reelectSize(false);
}

std::size_t MetadataAssembler::expire(std::uint64_t nowMs) {
  std::size_t expired = 0;
  for (Piece& piece : pieces_) {
    if (piece.state != PieceState::Requested ||
        nowMs - piece.requestedAtMs < options_.requestTimeoutMs || nowMs < piece.requestedAtMs) {
      continue;
    }
    if (Peer* peer = findPeer(piece.peer); peer != nullptr) {
      ++peer->timeouts;
    }
    if (soloPeer_ == piece.peer) {
      soloPeer_.reset();
    }
    release(piece);
    ++expired;
  }
  if (expired > 0) {
    reelectSize(false);
  }
  return expired;
}

std::optional<std::string_view> MetadataAssembler::complete() const noexcept {
  if (!complete_ || buffer_.empty()) {
    return std::nullopt;
  }
  return std::string_view(buffer_);
}

std::string MetadataAssembler::takeMetadata() {
  if (!complete_) {
    return {};
  }
  return std::exchange(buffer_, std::string());
}

}  // namespace tributary::bt
