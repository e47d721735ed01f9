// The picker's block-level half: a request's life after pickBlocks() handed it
// out (received, written, aborted), the hash verdict, endgame duplicates.
#include <algorithm>

#include "engine/core/PiecePicker.h"

namespace tributary::core {

std::uint32_t PiecePicker::blockIndex(std::uint32_t piece, std::uint32_t offset) const noexcept {
  if (piece >= pieceCount_ || offset % kBlockSize != 0 ||
      offset / kBlockSize >= blockCount(piece)) {
    return kNone;
  }
  return offset / kBlockSize;
}

bool PiecePicker::holds(const Started& s, std::uint32_t block, PeerKey peer) const noexcept {
  const Block& b = s.blocks[block];
  if (b.state != BlockState::Requested) {
    return false;
  }
  if (b.peer == peer) {
    return true;
  }
  return std::find(s.extraHolders.begin(), s.extraHolders.end(), std::pair{block, peer}) !=
         s.extraHolders.end();
}

void PiecePicker::addHolder(Started& s, std::uint32_t block, PeerKey peer) {
  Block& b = s.blocks[block];
  if (b.state == BlockState::Free) {
    b = Block{BlockState::Requested, 1, peer};
    --s.free;
    return;
  }
  s.extraHolders.emplace_back(block, peer);
  ++b.holders;
}

bool PiecePicker::dropHolder(Started& s, std::uint32_t block, PeerKey peer) {
  Block& b = s.blocks[block];
  if (b.state != BlockState::Requested) {
    return false;
  }
  auto& extras = s.extraHolders;
  if (b.peer == peer) {
    if (b.holders > 1) {  // promote a duplicate holder to first
      const auto it = std::find_if(extras.begin(), extras.end(),
                                   [block](const auto& e) { return e.first == block; });
      b.peer = it->second;
      extras.erase(it);
    }
  } else {
    const auto it = std::find(extras.begin(), extras.end(), std::pair{block, peer});
    if (it == extras.end()) {
      return false;
    }
    extras.erase(it);
  }
  if (--b.holders == 0) {
    b = Block{};
    ++s.free;
    s.firstFree = std::min(s.firstFree, block);
  }
  return true;
}

// After blocks went back to free: a piece with nothing in flight or in hand is
// untouched again, so it competes in the rarest-first order like any other.
void PiecePicker::afterDrop(std::uint32_t piece) {
  const Started& s = started_[slot_[piece]];
  if (s.free == s.blocks.size()) {
    release(piece, PieceState::Untouched);
  } else {
    refresh(piece);
  }
}

bool PiecePicker::markRequested(PeerKey peer, std::uint32_t piece, std::uint32_t offset) {
  const std::uint32_t block = blockIndex(piece, offset);
  if (block == kNone) {
    return false;
  }
  if (state_[piece] == PieceState::Untouched) {
    if (priority_[piece] == 0) {
      return false;
    }
    start(piece);
  }
  if (state_[piece] != PieceState::Downloading) {
    return false;
  }
  Started& s = started_[slot_[piece]];
  const Block& b = s.blocks[block];
  if (b.state == BlockState::Received || b.state == BlockState::Written || holds(s, block, peer) ||
      b.holders >= kMaxHolders) {
    return false;
  }
  addHolder(s, block, peer);
  refresh(piece);
  return true;
}

void PiecePicker::abortRequest(PeerKey peer, std::uint32_t piece, std::uint32_t offset) {
  const std::uint32_t block = blockIndex(piece, offset);
  if (block == kNone || state_[piece] != PieceState::Downloading) {
    return;
  }
  if (dropHolder(started_[slot_[piece]], block, peer)) {
    afterDrop(piece);
  }
}

void PiecePicker::peerGone(PeerKey peer) {
  for (std::size_t slot = 0; slot < started_.size(); ++slot) {
    Started& s = started_[slot];
    if (s.piece == kNone || state_[s.piece] != PieceState::Downloading) {
      continue;
    }
    bool dropped = false;
    for (std::uint32_t block = 0; block < s.blocks.size(); ++block) {
      if (s.blocks[block].state == BlockState::Requested && dropHolder(s, block, peer)) {
        dropped = true;
      }
    }
    if (dropped) {
      afterDrop(s.piece);  // may free this slot; the loop only reads it again as free
    }
  }
}

PiecePicker::BlockReceipt PiecePicker::blockReceived(PeerKey peer, std::uint32_t piece,
                                                     std::uint32_t offset) {
  BlockReceipt receipt;
  const std::uint32_t block = blockIndex(piece, offset);
  if (block == kNone) {
    return receipt;
  }
  if (state_[piece] == PieceState::Untouched) {
    if (priority_[piece] == 0) {
      return receipt;
    }
    start(piece);  // unrequested but wanted: keep it
  }
  if (state_[piece] != PieceState::Downloading) {
    return receipt;  // had, or waiting for its hash
  }
  Started& s = started_[slot_[piece]];
  Block& b = s.blocks[block];
  if (b.state == BlockState::Received || b.state == BlockState::Written) {
    return receipt;  // an endgame copy that lost the race
  }
  if (b.state == BlockState::Requested) {
    if (b.peer != peer) {
      receipt.cancel.push_back(b.peer);
    }
    auto& extras = s.extraHolders;
    for (const auto& [extraBlock, holder] : extras) {
      if (extraBlock == block && holder != peer) {
        receipt.cancel.push_back(holder);
      }
    }
    extras.erase(std::remove_if(extras.begin(), extras.end(),
                                [block](const auto& e) { return e.first == block; }),
                 extras.end());
  } else {
    --s.free;
  }
  b = Block{BlockState::Received, 0, peer};
  receipt.accepted = true;
  refresh(piece);
  return receipt;
}

bool PiecePicker::blockWritten(std::uint32_t piece, std::uint32_t offset) {
  const std::uint32_t block = blockIndex(piece, offset);
  if (block == kNone || state_[piece] != PieceState::Downloading) {
    return false;
  }
  Started& s = started_[slot_[piece]];
  Block& b = s.blocks[block];
  if (b.state != BlockState::Received) {
    return false;
  }
  b.state = BlockState::Written;
  if (++s.written < s.blocks.size()) {
    return false;
  }
  state_[piece] = PieceState::HashPending;
  refresh(piece);
  return true;
}

void PiecePicker::blockWriteFailed(std::uint32_t piece, std::uint32_t offset) {
  const std::uint32_t block = blockIndex(piece, offset);
  if (block == kNone || state_[piece] != PieceState::Downloading) {
    return;
  }
  Started& s = started_[slot_[piece]];
  if (s.blocks[block].state != BlockState::Received) {
    return;
  }
  s.blocks[block] = Block{};
  ++s.free;
  s.firstFree = std::min(s.firstFree, block);
  afterDrop(piece);
}

void PiecePicker::hashPassed(std::uint32_t piece) {
  setHave(piece);
}

std::vector<PeerKey> PiecePicker::hashFailed(std::uint32_t piece) {
  std::vector<PeerKey> senders;
  if (piece >= pieceCount_ || slot_[piece] == kNone) {
    return senders;
  }
  for (const Block& b : started_[slot_[piece]].blocks) {
    if ((b.state == BlockState::Received || b.state == BlockState::Written) &&
        std::find(senders.begin(), senders.end(), b.peer) == senders.end()) {
      senders.push_back(b.peer);
    }
  }
  release(piece, PieceState::Untouched);
  return senders;
}

bool PiecePicker::isHashPending(std::uint32_t piece) const noexcept {
  return piece < pieceCount_ && state_[piece] == PieceState::HashPending;
}

std::size_t PiecePicker::pickEndgame(PeerKey peer, const util::Bitfield& peerPieces,
                                     std::size_t max, std::vector<BlockRequest>& out) {
  std::size_t picked = 0;
  // Blocks with the fewest requests first: one pass per holder count.
  for (std::uint8_t holders = 1; holders < kMaxHolders && picked < max; ++holders) {
    for (Started& s : started_) {
      if (s.piece == kNone || state_[s.piece] != PieceState::Downloading ||
          classOf(s.piece) == kNoClass || s.piece >= peerPieces.size() ||
          !peerPieces.test(s.piece)) {
        continue;
      }
      const std::uint32_t size = pieceSize(s.piece);
      for (std::uint32_t block = 0; block < s.blocks.size() && picked < max; ++block) {
        const Block& b = s.blocks[block];
        if (b.state != BlockState::Requested || b.holders != holders || holds(s, block, peer)) {
          continue;
        }
        addHolder(s, block, peer);
        const std::uint32_t offset = block * kBlockSize;
        out.push_back({s.piece, offset, std::min(kBlockSize, size - offset), true});
        ++picked;
      }
      if (picked >= max) {
        break;
      }
    }
  }
  return picked;
}

}  // namespace tributary::core
