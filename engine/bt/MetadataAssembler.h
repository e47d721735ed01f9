// Internal: putting a magnet's info dictionary together from BEP 9 pieces sent
// by several peers at once. Pure bookkeeping: no sockets, no timers (the caller
// passes the time in milliseconds), so every rule is tested alone.
//
// Peers are named by an opaque key the caller chooses (one per connection).
// The work is spread so that a few peers each have a few requests in flight:
// on a fast link the dictionary arrives in one round trip, and a slow or
// silent peer holds up at most its own pieces, which go to another peer when
// they time out.
//
// When every piece is in, the whole is hashed: a mismatch drops every piece,
// names the peers that sent them so the caller can lower their trust, and
// starts over. After a failure the next attempt takes every piece from one
// peer, so a second failure pins the blame on that peer alone; a peer is
// excluded once it has been part of too many failed attempts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bt/UtMetadataMessage.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

struct MetadataAssemblerOptions {
  std::uint64_t maxSize = kDefaultMaxMetadataSize;
  // Requests in flight per peer; each timeout lowers a peer's share by one
  // (never below one), each answer raises it again.
  std::uint32_t maxOutstandingPerPeer = 3;
  std::uint64_t requestTimeoutMs = 5000;
  // A peer that rejected a request is not asked again for this long.
  std::uint64_t rejectBackoffMs = 10000;
  // A peer that sent data for this many failed attempts is excluded; a peer that
  // alone sent all the data of a failed attempt is excluded at once.
  std::uint32_t maxFailedAttempts = 3;
};

class MetadataAssembler {
 public:
  using PeerKey = std::uint64_t;
  // Records of failed attempts' pieces kept for the smart ban: three
  // attempts at the 16 MiB cap.
  static constexpr std::size_t kMaxFailedPieces = 3 * 1024;

  enum class DataResult : std::uint8_t {
    Accepted,      // stored; more pieces are missing
    Completed,     // the last piece: the whole hashed to the info-hash
    HashMismatch,  // the last piece, but the hash failed: see DataOutcome::failedSenders
    Ignored,       // not wanted (already have it, finished, or another peer's turn)
    SizeMismatch,  // total_size is not the size being assembled
    BadLength,     // the piece has the wrong length for its index
    PieceOutOfRange,
    PeerExcluded,  // the peer sent bad metadata before; its data is not used
  };

  struct DataOutcome {
    DataResult result = DataResult::Ignored;
    // HashMismatch: every peer that sent a piece of the failed attempt, once each.
    std::vector<PeerKey> failedSenders;
    // Completed after failed attempts: the peers whose pieces in those
    // attempts differ from the verified dictionary (proven liars, now excluded).
    std::vector<PeerKey> liars;
  };

  MetadataAssembler(const util::Sha1::Digest& infoHash, MetadataAssemblerOptions options = {});

  // The "metadata_size" of a peer's extension handshake. A size of 0 or over
  // the cap leaves the peer unable to help. The first plausible size decides
  // what is assembled; it is only revised while no piece is held (after a
  // failed attempt, or when no peer agreeing with it is left).
  void onPeerMetadataSize(PeerKey key, std::uint64_t size);

  // The piece to ask this peer for now, marked as requested; nullopt when the
  // peer has its share in flight, cannot help, or nothing is left to ask.
  // Call it until nullopt after every event that may free work.
  std::optional<std::uint32_t> nextRequest(PeerKey key, std::uint64_t nowMs);

  DataOutcome onData(PeerKey key, std::uint32_t piece, std::uint64_t totalSize,
                     std::span<const std::byte> bytes, std::uint64_t nowMs);
  // The peer will not send `piece`: it goes back to the pool, and the peer gets
  // no request for the reject backoff.
  void onReject(PeerKey key, std::uint32_t piece, std::uint64_t nowMs);
  // The connection closed: its requests go back to the pool. An exclusion is
  // remembered in case the key comes back.
  void onPeerGone(PeerKey key);
  // Requests older than the timeout go back to the pool; returns how many.
  std::size_t expire(std::uint64_t nowMs);

  bool isComplete() const noexcept { return complete_; }
  // The verified info dictionary, once isComplete().
  std::optional<std::string_view> complete() const noexcept;
  // Moves the verified bytes out (empty unless complete; once only).
  std::string takeMetadata();

  // 0 until a plausible size is known.
  std::uint64_t metadataSize() const noexcept { return size_; }
  std::uint32_t pieceCount() const noexcept { return static_cast<std::uint32_t>(pieces_.size()); }
  std::uint32_t piecesHeld() const noexcept { return held_; }
  std::uint32_t failedAttempts() const noexcept { return failedAttempts_; }
  bool isExcluded(PeerKey key) const { return excluded_.contains(key); }

 private:
  enum class PieceState : std::uint8_t { Missing, Requested, Held };
  // A piece of a failed attempt: who sent it and its digest, so the verified
  // dictionary later shows who lied (the piece-level "smart ban").
  struct FailedPiece {
    std::uint32_t index = 0;
    PeerKey sender = 0;
    util::Sha1::Digest digest{};
  };
  struct Piece {
    PieceState state = PieceState::Missing;
    PeerKey peer = 0;  // Requested: asked of; Held: sent by
    std::uint64_t requestedAtMs = 0;
  };
  struct Peer {
    std::uint64_t size = 0;     // 0: unknown or implausible
    std::uint64_t sizeSeq = 0;  // when it told us, to break ties by age
    std::uint32_t outstanding = 0;
    std::uint32_t timeouts = 0;
    std::uint32_t failedAttempts = 0;
    std::uint64_t backoffUntilMs = 0;
  };

  Peer* findPeer(PeerKey key);
  bool canHelp(PeerKey key, const Peer& peer) const;
  std::uint32_t pieceLength(std::uint32_t piece) const noexcept;
  void resetPieces(std::uint64_t size);
  void release(Piece& piece);
  void reelectSize(bool force);
  DataOutcome verify();
  std::vector<PeerKey> findLiars();
  void exclude(PeerKey key);

  util::Sha1::Digest infoHash_;
  MetadataAssemblerOptions options_;
  std::map<PeerKey, Peer> peers_;
  std::set<PeerKey> excluded_;
  std::vector<Piece> pieces_;
  std::vector<FailedPiece> failedPieces_;  // bounded by kMaxFailedPieces
  std::string buffer_;                     // size_ bytes once the first piece arrives
  std::uint64_t size_ = 0;
  std::uint64_t nextSizeSeq_ = 0;
  std::uint32_t held_ = 0;
  std::uint32_t failedAttempts_ = 0;
  // Once an attempt has failed, each attempt is supplied by one peer (the
  // first asked; another one if it times out, rejects or leaves).
  bool soloMode_ = false;
  std::optional<PeerKey> soloPeer_;
  bool complete_ = false;
};

}  // namespace tributary::bt
