// Internal: which 16 KiB blocks to ask a peer for next. Protocol-agnostic: it
// knows pieces, blocks, availability and priorities, never sockets or messages.
//
// Policy, in order:
//  1. Strict priority: pieces of high-priority files (priority >= 2) before
//     normal ones (1); priority 0 pieces are never picked.
//  2. Within a class, pieces already started with blocks still free come first,
//     so what was started is finished before anything new is.
//  3. Then untouched pieces, rarest first with random ties; until we have
//     kRandomFirstPieces pieces, a random piece instead, so there is something
//     to trade soon.
//  4. Endgame: once no wanted piece has a free block, blocks already requested
//     from someone else are handed out again (at most kMaxHolders requests per
//     block); when one copy arrives, blockReceived() names the other holders so
//     the caller can cancel.
// A block's life: free -> requested -> received -> written; a piece whose blocks
// are all written waits for its hash: passed (we have it) or failed (all blocks
// free again, the senders returned for the trust bookkeeping). A request that
// dies (choke, reject, timeout, disconnect) returns the block to free.
//
// Costs (n pieces, B availability buckets <= peers, P started pieces):
//   availability +-1 (have, bitfield bit, peer leaving)   O(1) per piece
//   have-all / a seed leaving                             O(1) (a seed counter)
//   pickBlocks: O(P) for started pieces, then a scan of the rarest-first order
//     that stops at the first piece the peer has. If that is not found within
//     n/64 + 32 entries, one word-wise pass over (peer's bits AND untouched
//     pieces) finds the rarest exactly: O(n/64 + candidates). Never O(n) per
//     block: 65,536 pieces cost at most ~1,000 word operations.
//   starting, finishing or resetting a piece              O(B)
//   peerGone                                              O(P x blocks per piece)
//   findUnrequestedRun                                    O(n/64 + run length)
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "engine/core/PiecePickerOrder.h"
#include "engine/util/Bitfield.h"

namespace tributary::core {

// The caller's name for a peer (or a web seed): any value unique while it lives.
using PeerKey = std::uint32_t;

struct BlockRequest {
  std::uint32_t piece = 0;
  std::uint32_t offset = 0;  // bytes into the piece, a multiple of kBlockSize
  std::uint32_t length = 0;
  bool duplicate = false;  // endgame: someone else has requested it too

  friend bool operator==(const BlockRequest&, const BlockRequest&) = default;
};

struct PieceRun {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

class PiecePicker {
 public:
  static constexpr std::uint32_t kBlockSize = 16 * 1024;
  static constexpr std::uint32_t kRandomFirstPieces = 4;
  static constexpr std::uint8_t kMaxHolders = 3;  // requests of one block in endgame

  struct BlockReceipt {
    bool accepted = false;        // false: a copy we already have, or not wanted
    std::vector<PeerKey> cancel;  // other peers that still have it requested
  };

  // pieceCount == ceil(totalLength / pieceLength) is the caller's to ensure
  // (the metainfo validates it). Every piece starts wanted at priority 1.
  PiecePicker(std::uint32_t pieceCount, std::uint32_t pieceLength, std::uint64_t totalLength,
              std::uint32_t seed = std::random_device{}());
  // The orders point at this object's members.
  PiecePicker(const PiecePicker&) = delete;
  PiecePicker& operator=(const PiecePicker&) = delete;

  std::uint32_t pieceCount() const noexcept { return pieceCount_; }
  std::uint32_t pieceSize(std::uint32_t piece) const noexcept;
  std::uint32_t blockCount(std::uint32_t piece) const noexcept;

  // What we have: verified pieces (resume data, the hash check, hashPassed()).
  void setHave(std::uint32_t piece);
  // A had piece is no longer trusted (a recheck is about to hash it again):
  // it is wanted and pickable as if never had.
  void forgetHave(std::uint32_t piece);
  bool have(std::uint32_t piece) const noexcept { return have_.test(piece); }
  const util::Bitfield& haveBitfield() const noexcept { return have_; }
  // Every piece of priority > 0 is had.
  bool wantedComplete() const noexcept { return wantedMissing_ == 0; }

  // 0 = skip, 1 = normal, 2+ = high. Requests in flight for a piece set to 0
  // stay valid; no new ones are made.
  void setPiecePriority(std::uint32_t piece, std::uint8_t priority);
  void setPiecePriorities(std::span<const std::uint8_t> priorities);
  std::uint8_t piecePriority(std::uint32_t piece) const noexcept { return priority_[piece]; }

  // Availability, as peers tell us what they have.
  void peerHas(std::uint32_t piece);
  void peerLost(std::uint32_t piece);  // the reverse, one piece
  void addPeerBitfield(const util::Bitfield& bits);
  void removePeerBitfield(const util::Bitfield& bits);
  void addSeed() noexcept { ++seeds_; }  // have-all
  void removeSeed() noexcept { --seeds_; }
  std::uint32_t availability(std::uint32_t piece) const noexcept {
    return availability_[piece] + seeds_;
  }

  // Appends up to maxBlocks blocks for `peer`, which has `peerPieces`; returns
  // how many were appended. At most `maxNewPieces` pieces nobody started yet
  // are started (the caller's memory budget); started ones are always open.
  std::size_t pickBlocks(PeerKey peer, const util::Bitfield& peerPieces, std::size_t maxBlocks,
                         std::vector<BlockRequest>& out,
                         std::uint32_t maxNewPieces = std::numeric_limits<std::uint32_t>::max());
  // Claims one block for `peer` outside pickBlocks (another scheduler's pick).
  // False when the piece is had, hashing, or the block is already in.
  bool markRequested(PeerKey peer, std::uint32_t piece, std::uint32_t offset);

  // The request died: choke, reject, timeout or cancel. No-op if not held.
  void abortRequest(PeerKey peer, std::uint32_t piece, std::uint32_t offset);
  // Every request of a disconnecting peer returns (its availability is the
  // caller's to remove with removePeerBitfield/removeSeed).
  void peerGone(PeerKey peer);

  BlockReceipt blockReceived(PeerKey peer, std::uint32_t piece, std::uint32_t offset);
  // True when this completed the piece: it is hash-pending now.
  bool blockWritten(std::uint32_t piece, std::uint32_t offset);
  void blockWriteFailed(std::uint32_t piece, std::uint32_t offset);
  void hashPassed(std::uint32_t piece);
  // The piece starts over; returns the peers that sent its blocks, once each.
  std::vector<PeerKey> hashFailed(std::uint32_t piece);

  bool inEndgame() const noexcept;
  bool isHashPending(std::uint32_t piece) const noexcept;
  // Some block of it was requested, is in, or it waits for its hash check.
  bool isStarted(std::uint32_t piece) const noexcept {
    return piece < pieceCount_ && slot_[piece] != kNone;
  }
  std::uint32_t startedPieceCount() const noexcept { return activeSlots_; }

  // The first run of up to maxPieces consecutive wanted pieces, none had and
  // none with any block requested, at or after `from` (for a scheduler that
  // gives whole ranges to an HTTP source). nullopt when there is none.
  std::optional<PieceRun> findUnrequestedRun(std::uint32_t maxPieces, std::uint32_t from = 0) const;

  // For tests: every internal index agrees with the per-piece state.
  bool consistent() const;

 private:
  enum class BlockState : std::uint8_t { Free, Requested, Received, Written };
  enum class PieceState : std::uint8_t { Untouched, Downloading, HashPending, Have };

  struct Block {
    BlockState state = BlockState::Free;
    std::uint8_t holders = 0;  // requests in flight
    PeerKey peer = 0;          // first holder while requested; the sender once received
  };
  struct Started {
    std::uint32_t piece = 0;
    std::vector<Block> blocks;
    std::vector<std::pair<std::uint32_t, PeerKey>> extraHolders;  // endgame duplicates
    std::uint32_t free = 0;
    std::uint32_t written = 0;
    std::uint32_t firstFree = 0;  // no free block below this index
  };

  static constexpr std::uint32_t kNone = 0xFFFFFFFFU;
  static constexpr std::int8_t kNoClass = -1;

  std::int8_t classOf(std::uint32_t piece) const noexcept;
  void refresh(std::uint32_t piece);
  Started& start(std::uint32_t piece);
  void release(std::uint32_t piece, PieceState next);
  Started* started(std::uint32_t piece) noexcept;
  std::uint32_t blockIndex(std::uint32_t piece, std::uint32_t offset) const noexcept;
  std::size_t takeFree(Started& s, PeerKey peer, std::size_t max, std::vector<BlockRequest>& out);
  std::uint32_t findUntouched(int cls, const util::Bitfield& peerPieces);
  std::size_t pickEndgame(PeerKey peer, const util::Bitfield& peerPieces, std::size_t max,
                          std::vector<BlockRequest>& out);
  bool holds(const Started& s, std::uint32_t block, PeerKey peer) const noexcept;
  void addHolder(Started& s, std::uint32_t block, PeerKey peer);
  bool dropHolder(Started& s, std::uint32_t block, PeerKey peer);
  void afterDrop(std::uint32_t piece);
  void changeAvailability(std::uint32_t piece, bool up);

  std::uint32_t pieceCount_;
  std::uint32_t pieceLength_;
  std::uint64_t totalLength_;
  std::uint32_t seeds_ = 0;
  std::uint32_t wantedMissing_ = 0;  // priority > 0 and not had
  std::uint32_t activeSlots_ = 0;
  std::mt19937 rng_;

  std::vector<std::uint32_t> availability_;  // from bitfields and haves, seeds apart
  std::vector<std::uint8_t> priority_;
  std::vector<PieceState> state_;
  std::vector<std::uint32_t> slot_;  // index into started_, or kNone
  util::Bitfield have_;

  // Untouched wanted pieces, per class (0 high, 1 normal), and the same as bits.
  std::vector<std::uint32_t> orderPos_;
  std::vector<std::int8_t> orderClass_;
  PiecePickerOrder order_[2];
  util::Bitfield inOrder_[2];

  // Started pieces with a free block, per class; unordered (swap-removed).
  std::vector<std::uint32_t> open_[2];
  std::vector<std::uint32_t> openPos_;
  std::vector<std::int8_t> openClass_;

  std::vector<Started> started_;
  std::vector<std::uint32_t> freeSlots_;
};

}  // namespace tributary::core
