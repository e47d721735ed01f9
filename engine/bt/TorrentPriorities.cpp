// File priorities: a piece takes the highest priority of the files it holds
// bytes of (so a piece shared by a skipped and a wanted file is downloaded),
// skipped files are never created, and a finished torrent whose selection
// grows goes back to downloading.
#include <algorithm>

#include "engine/bt/TorrentTask.h"

namespace tributary::bt {

void TorrentTask::setFilePriorities(const std::vector<std::uint8_t>& priorities) {
  for (std::size_t i = 0; i < filePriority_.size(); ++i) {
    filePriority_[i] = i < priorities.size() ? std::min<std::uint8_t>(priorities[i], 2) : 1;
  }
  if (!storage_) {
    return;
  }
  const bool wasComplete = complete();
  applyFilePriorities();
  for (auto& [key, peer] : peers_) {
    if (peer.connection->ready() && !peer.connection->closed()) {
      updateInterest(peer);
    }
  }
  if (!wasComplete && complete() && phase_ == Phase::Running) {
    finishOrSeed();  // what is left was just skipped
  } else if (wasComplete && !complete() && phase_ == Phase::Done &&
             finalState_ == TaskState::Completed) {
    // More files wanted after the end: download them.
    finalState_ = TaskState::Queued;
    enterRunning();
  }
}

void TorrentTask::applyFilePriorities() {
  std::vector<std::uint8_t> pieces(geometry_.pieceCount, 0);
  std::vector<bool> wanted(meta_->files.size(), false);
  for (std::size_t i = 0; i < meta_->files.size(); ++i) {
    const TorrentFile& file = meta_->files[i];
    wanted[i] = filePriority_[i] > 0;
    if (file.padding) {
      continue;
    }
    if (auto range = meta_->filePieces(static_cast<std::uint32_t>(i))) {
      for (std::uint32_t piece = range->first; piece <= range->second; ++piece) {
        pieces[piece] = std::max(pieces[piece], filePriority_[i]);
      }
    }
  }
  storage_->setWanted(std::move(wanted));
  picker_.setPiecePriorities(pieces);
  for (std::uint32_t piece = 0; piece < geometry_.pieceCount; ++piece) {
    needed_.assign(piece, pieces[piece] > 0 && !picker_.have(piece));
  }
}

}  // namespace tributary::bt
