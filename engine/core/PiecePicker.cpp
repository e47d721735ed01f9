// The picker's piece-level half: construction, what we have, priorities,
// availability, the class/order bookkeeping and pickBlocks(). The block
// lifecycle (received, written, hashed, aborted, endgame) is in PiecePickerBlocks.cpp.
#include "engine/core/PiecePicker.h"

#include <algorithm>
#include <bit>

namespace tributary::core {

PiecePicker::PiecePicker(std::uint32_t pieceCount, std::uint32_t pieceLength,
                         std::uint64_t totalLength, std::uint32_t seed)
    : pieceCount_(pieceCount),
      pieceLength_(pieceLength),
      totalLength_(totalLength),
      wantedMissing_(pieceCount),
      rng_(seed),
      availability_(pieceCount, 0),
      priority_(pieceCount, 1),
      state_(pieceCount, PieceState::Untouched),
      slot_(pieceCount, kNone),
      have_(pieceCount),
      orderPos_(pieceCount, kNone),
      orderClass_(pieceCount, kNoClass),
      order_{PiecePickerOrder(orderPos_, rng_), PiecePickerOrder(orderPos_, rng_)},
      inOrder_{util::Bitfield(pieceCount), util::Bitfield(pieceCount)},
      openPos_(pieceCount, kNone),
      openClass_(pieceCount, kNoClass) {
  // Each insert swaps the new piece to a random place in bucket 0: a uniform
  // shuffle, so equally rare pieces come out in random order from the start.
  for (std::uint32_t p = 0; p < pieceCount_; ++p) {
    refresh(p);
  }
}

std::uint32_t PiecePicker::pieceSize(std::uint32_t piece) const noexcept {
  if (piece + 1 < pieceCount_) {
    return pieceLength_;
  }
  return static_cast<std::uint32_t>(totalLength_ - std::uint64_t{pieceLength_} * piece);
}

std::uint32_t PiecePicker::blockCount(std::uint32_t piece) const noexcept {
  return (pieceSize(piece) + kBlockSize - 1) / kBlockSize;
}

std::int8_t PiecePicker::classOf(std::uint32_t piece) const noexcept {
  const std::uint8_t priority = priority_[piece];
  return priority >= 2 ? 0 : (priority == 1 ? 1 : kNoClass);
}

// Puts the piece in the one index its state calls for (or none): the order of
// untouched pieces, or the list of started pieces with a free block.
void PiecePicker::refresh(std::uint32_t piece) {
  const std::int8_t cls = classOf(piece);
  const PieceState state = state_[piece];

  const std::int8_t wantOrder = (state == PieceState::Untouched) ? cls : kNoClass;
  if (orderClass_[piece] != wantOrder) {
    if (const std::int8_t old = orderClass_[piece]; old != kNoClass) {
      order_[old].remove(piece, availability_[piece]);
      inOrder_[old].reset(piece);
    }
    if (wantOrder != kNoClass) {
      order_[wantOrder].insert(piece, availability_[piece]);
      inOrder_[wantOrder].set(piece);
    }
    orderClass_[piece] = wantOrder;
  }

  const bool hasFree = state == PieceState::Downloading && started_[slot_[piece]].free > 0;
  const std::int8_t wantOpen = hasFree ? cls : kNoClass;
  if (openClass_[piece] != wantOpen) {
    if (const std::int8_t old = openClass_[piece]; old != kNoClass) {
      std::vector<std::uint32_t>& list = open_[old];
      const std::uint32_t at = openPos_[piece];
      list[at] = list.back();
      openPos_[list[at]] = at;
      list.pop_back();
      openPos_[piece] = kNone;
    }
    if (wantOpen != kNoClass) {
      openPos_[piece] = static_cast<std::uint32_t>(open_[wantOpen].size());
      open_[wantOpen].push_back(piece);
    }
    openClass_[piece] = wantOpen;
  }
}

PiecePicker::Started& PiecePicker::start(std::uint32_t piece) {
  std::uint32_t slot;
  if (!freeSlots_.empty()) {
    slot = freeSlots_.back();
    freeSlots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(started_.size());
    started_.emplace_back();
  }
  Started& s = started_[slot];
  s.piece = piece;
  s.blocks.assign(blockCount(piece), Block{});
  s.extraHolders.clear();
  s.free = static_cast<std::uint32_t>(s.blocks.size());
  s.written = 0;
  s.firstFree = 0;
  slot_[piece] = slot;
  state_[piece] = PieceState::Downloading;
  ++activeSlots_;
  refresh(piece);
  return s;
}

void PiecePicker::release(std::uint32_t piece, PieceState next) {
  const std::uint32_t slot = slot_[piece];
  if (slot != kNone) {
    Started& s = started_[slot];
    s.piece = kNone;
    s.blocks.clear();
    s.extraHolders.clear();
    freeSlots_.push_back(slot);
    slot_[piece] = kNone;
    --activeSlots_;
  }
  state_[piece] = next;
  refresh(piece);
}

void PiecePicker::forgetHave(std::uint32_t piece) {
  if (piece >= pieceCount_ || !have_.test(piece)) {
    return;
  }
  have_.reset(piece);
  if (priority_[piece] > 0) {
    ++wantedMissing_;
  }
  release(piece, PieceState::Untouched);
}

PiecePicker::Started* PiecePicker::started(std::uint32_t piece) noexcept {
  return slot_[piece] == kNone ? nullptr : &started_[slot_[piece]];
}

void PiecePicker::setHave(std::uint32_t piece) {
  if (piece >= pieceCount_ || have_.test(piece)) {
    return;
  }
  have_.set(piece);
  if (priority_[piece] > 0) {
    --wantedMissing_;
  }
  release(piece, PieceState::Have);
}

void PiecePicker::setPiecePriority(std::uint32_t piece, std::uint8_t priority) {
  if (piece >= pieceCount_ || priority_[piece] == priority) {
    return;
  }
  if (!have_.test(piece)) {
    const bool wasWanted = priority_[piece] > 0;
    const bool isWanted = priority > 0;
    wantedMissing_ += static_cast<std::uint32_t>(isWanted) - static_cast<std::uint32_t>(wasWanted);
  }
  priority_[piece] = priority;
  refresh(piece);
}

void PiecePicker::setPiecePriorities(std::span<const std::uint8_t> priorities) {
  const std::size_t n = std::min<std::size_t>(priorities.size(), pieceCount_);
  for (std::uint32_t p = 0; p < n; ++p) {
    setPiecePriority(p, priorities[p]);
  }
}

void PiecePicker::changeAvailability(std::uint32_t piece, bool up) {
  if (const std::int8_t cls = orderClass_[piece]; cls != kNoClass) {
    if (up) {
      order_[cls].moveUp(piece, availability_[piece]);
    } else {
      order_[cls].moveDown(piece, availability_[piece]);
    }
  }
  availability_[piece] += up ? 1 : static_cast<std::uint32_t>(-1);
}

void PiecePicker::peerHas(std::uint32_t piece) {
  if (piece < pieceCount_) {
    changeAvailability(piece, true);
  }
}

void PiecePicker::peerLost(std::uint32_t piece) {
  if (piece < pieceCount_ && availability_[piece] > 0) {
    changeAvailability(piece, false);
  }
}

void PiecePicker::addPeerBitfield(const util::Bitfield& bits) {
  bits.forEachSet([this](std::size_t p) { peerHas(static_cast<std::uint32_t>(p)); });
}

void PiecePicker::removePeerBitfield(const util::Bitfield& bits) {
  bits.forEachSet([this](std::size_t p) { peerLost(static_cast<std::uint32_t>(p)); });
}

std::size_t PiecePicker::takeFree(Started& s, PeerKey peer, std::size_t max,
                                  std::vector<BlockRequest>& out) {
  std::size_t taken = 0;
  const auto count = static_cast<std::uint32_t>(s.blocks.size());
  const std::uint32_t size = pieceSize(s.piece);
  std::uint32_t i = s.firstFree;
  for (; i < count && taken < max && s.free > 0; ++i) {
    Block& block = s.blocks[i];
    if (block.state != BlockState::Free) {
      continue;
    }
    block = Block{BlockState::Requested, 1, peer};
    --s.free;
    const std::uint32_t offset = i * kBlockSize;
    out.push_back({s.piece, offset, std::min(kBlockSize, size - offset), false});
    ++taken;
  }
  s.firstFree = i;
  refresh(s.piece);
  return taken;
}

std::uint32_t PiecePicker::findUntouched(int cls, const util::Bitfield& peerPieces) {
  const PiecePickerOrder& order = order_[cls];
  const std::uint32_t n = order.size();
  if (n == 0) {
    return kNone;
  }
  const auto peerHasPiece = [&](std::uint32_t p) {
    return p < peerPieces.size() && peerPieces.test(p);
  };
  const bool randomFirst = have_.count() < kRandomFirstPieces;

  // Usually the peer has one of the first few pieces of the order.
  const std::uint32_t budget = std::min(n, pieceCount_ / 64 + 32);
  const std::uint32_t origin = randomFirst ? static_cast<std::uint32_t>(rng_() % n) : 0;
  for (std::uint32_t k = 0; k < budget; ++k) {
    const std::uint32_t p = order[(origin + k) % n];
    if (peerHasPiece(p)) {
      return p;
    }
  }
  if (budget == n) {
    return kNone;
  }

  // The peer has few of the untouched pieces: visit exactly those, word by
  // word, keeping the rarest (or, early on, a uniformly random one).
  const std::span<const std::uint64_t> mine = inOrder_[cls].words();
  const std::span<const std::uint64_t> theirs = peerPieces.words();
  const std::size_t words = std::min(mine.size(), theirs.size());
  std::uint32_t best = kNone;
  std::uint32_t bestAvailability = 0;
  std::uint32_t ties = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t both = mine[w] & theirs[w];
    while (both != 0) {
      const int lead = std::countl_zero(both);
      both &= ~(std::uint64_t{1} << (63 - lead));
      const auto p = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(lead));
      const std::uint32_t a = randomFirst ? 0 : availability_[p];
      if (best == kNone || a < bestAvailability) {
        best = p;
        bestAvailability = a;
        ties = 1;
      } else if (a == bestAvailability && rng_() % ++ties == 0) {
        best = p;  // reservoir sampling: each tie equally likely
      }
    }
  }
  return best;
}

std::size_t PiecePicker::pickBlocks(PeerKey peer, const util::Bitfield& peerPieces,
                                    std::size_t maxBlocks, std::vector<BlockRequest>& out,
                                    std::uint32_t maxNewPieces) {
  std::size_t picked = 0;
  for (int cls = 0; cls < 2 && picked < maxBlocks; ++cls) {
    std::vector<std::uint32_t>& open = open_[cls];
    for (std::size_t i = 0; i < open.size() && picked < maxBlocks;) {
      const std::uint32_t p = open[i];
      if (p < peerPieces.size() && peerPieces.test(p)) {
        picked += takeFree(started_[slot_[p]], peer, maxBlocks - picked, out);
        if (i < open.size() && open[i] == p) {
          ++i;
        }  // else p left the list and another piece took its place: look at it
      } else {
        ++i;
      }
    }
    while (picked < maxBlocks && maxNewPieces > 0) {
      const std::uint32_t p = findUntouched(cls, peerPieces);
      if (p == kNone) {
        break;
      }
      picked += takeFree(start(p), peer, maxBlocks - picked, out);
      --maxNewPieces;
    }
  }
  if (picked < maxBlocks && inEndgame()) {
    picked += pickEndgame(peer, peerPieces, maxBlocks - picked, out);
  }
  return picked;
}

bool PiecePicker::inEndgame() const noexcept {
  return activeSlots_ > 0 && order_[0].empty() && order_[1].empty() && open_[0].empty() &&
         open_[1].empty();
}

std::optional<PieceRun> PiecePicker::findUnrequestedRun(std::uint32_t maxPieces,
                                                        std::uint32_t from) const {
  if (maxPieces == 0) {
    return std::nullopt;
  }
  const std::size_t first =
      std::min(inOrder_[0].findFirstSet(from), inOrder_[1].findFirstSet(from));
  if (first == util::Bitfield::npos) {
    return std::nullopt;
  }
  PieceRun run{static_cast<std::uint32_t>(first), 1};
  while (run.count < maxPieces && run.first + run.count < pieceCount_ &&
         (inOrder_[0].test(run.first + run.count) || inOrder_[1].test(run.first + run.count))) {
    ++run.count;
  }
  return run;
}

bool PiecePicker::consistent() const {
  std::uint32_t wantedMissing = 0;
  for (std::uint32_t p = 0; p < pieceCount_; ++p) {
    const std::int8_t cls = classOf(p);
    const PieceState state = state_[p];
    wantedMissing += (priority_[p] > 0 && !have_.test(p)) ? 1 : 0;
    if ((state == PieceState::Have) != have_.test(p)) {
      return false;
    }
    const bool isStarted = state == PieceState::Downloading || state == PieceState::HashPending;
    if (isStarted != (slot_[p] != kNone)) {
      return false;
    }
    const std::int8_t wantOrder = state == PieceState::Untouched ? cls : kNoClass;
    if (orderClass_[p] != wantOrder || inOrder_[0].test(p) != (wantOrder == 0) ||
        inOrder_[1].test(p) != (wantOrder == 1)) {
      return false;
    }
    if (wantOrder != kNoClass && order_[wantOrder][orderPos_[p]] != p) {
      return false;
    }
    const std::int8_t wantOpen =
        (state == PieceState::Downloading && started_[slot_[p]].free > 0) ? cls : kNoClass;
    if (openClass_[p] != wantOpen || (wantOpen != kNoClass && open_[wantOpen][openPos_[p]] != p)) {
      return false;
    }
    if (isStarted) {
      const Started& s = started_[slot_[p]];
      std::uint32_t free = 0;
      std::uint32_t written = 0;
      std::size_t holders = 0;
      for (const Block& b : s.blocks) {
        free += b.state == BlockState::Free ? 1 : 0;
        written += b.state == BlockState::Written ? 1 : 0;
        holders += b.state == BlockState::Requested ? b.holders - 1U : 0;
      }
      if (s.piece != p || free != s.free || written != s.written ||
          holders != s.extraHolders.size()) {
        return false;
      }
    }
  }
  return wantedMissing == wantedMissing_ && order_[0].consistent(availability_) &&
         order_[1].consistent(availability_) &&
         order_[0].size() + order_[1].size() == inOrder_[0].count() + inOrder_[1].count();
}

}  // namespace tributary::core
