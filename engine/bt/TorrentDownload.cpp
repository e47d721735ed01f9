// Downloading: keeping each unchoking peer's request queue full, taking its
// blocks into per-piece buffers, and the hash-then-write of each piece on the
// worker pool.
#include <algorithm>
#include <cstring>

#include "engine/bt/TorrentTask.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

constexpr std::size_t kSpareBuffersKept = 8;
constexpr std::uint32_t kMinRequestQueue = 16;
// Requests cover this much of a peer's measured rate: enough to keep a fast
// link busy across one round trip and the peer's disk reads.
constexpr std::uint64_t kQueueSeconds = 2;
constexpr unsigned kBanAfterHashFailures = 2;

}  // namespace

std::uint32_t TorrentTask::queueDepth(const Peer& peer) const {
  const std::uint64_t rate = peer.connection->downloadRate(context_.loop->nowMs());
  std::uint64_t depth = rate * kQueueSeconds / core::PiecePicker::kBlockSize;
  std::uint32_t cap = kMaxRequestQueue;
  if (const auto& ext = peer.connection->extensions(); ext && ext->requestQueue > 0) {
    cap = std::min(cap, ext->requestQueue);
  }
  return static_cast<std::uint32_t>(
      std::clamp<std::uint64_t>(depth, std::min(kMinRequestQueue, cap), cap));
}

void TorrentTask::requestMore(Peer& peer) {
  PeerConnection& c = *peer.connection;
  if (phase_ != Phase::Running || paused_ || complete() || !c.ready() || c.closed() ||
      !peer.weInterested || c.protocol().peerChoking()) {
    return;
  }
  const std::uint32_t depth = queueDepth(peer);
  if (peer.requests.size() >= depth) {
    return;
  }
  // Too much in memory already: finish and write what is started first.
  const bool memoryFull = pieceMemory_ >= kMaxPieceMemory;
  std::vector<core::BlockRequest> picked;
  picker_.pickBlocks(peer.key, peer.seed ? allPieces_ : peer.has, depth - peer.requests.size(),
                     picked);
  const std::uint64_t now = context_.loop->nowMs();
  for (const core::BlockRequest& block : picked) {
    if (memoryFull && pieces_.count(block.piece) == 0) {
      picker_.abortRequest(peer.key, block.piece, block.offset);
      continue;
    }
    peer.requests.push_back({block, now});
    peer.currentPiece = block.piece;
    c.sendRequest(block.piece, block.offset, block.length);
  }
}

std::vector<std::byte> TorrentTask::takePieceBuffer(std::uint32_t piece) {
  std::vector<std::byte> buffer;
  if (!spareBuffers_.empty()) {
    buffer = std::move(spareBuffers_.back());
    spareBuffers_.pop_back();
  }
  buffer.resize(geometry_.pieceSize(piece));
  return buffer;
}

void TorrentTask::onBlock(Peer& peer, const PeerMessage& message) {
  const std::uint64_t now = context_.loop->nowMs();
  auto& requests = peer.requests;
  auto it = std::find_if(requests.begin(), requests.end(), [&](const Outstanding& o) {
    return o.block.piece == message.index && o.block.offset == message.begin &&
           o.block.length == message.length;
  });
  if (it == requests.end()) {
    wasted_ += message.length;  // cancelled in endgame, or never asked for
    return;
  }
  const std::uint64_t rtt = now - it->sentMs;
  peer.rttMs = peer.rttMs == 0 ? rtt : (peer.rttMs * 7 + rtt) / 8;
  requests.erase(it);
  peer.lastBlockMs = now;
  peer.snubbed = false;
  peer.connection->countDownloaded(message.length, now);
  downRate_.add(message.length, now);
  downloadedBt_ += message.length;

  core::PiecePicker::BlockReceipt receipt =
      picker_.blockReceived(peer.key, message.index, message.begin);
  for (core::PeerKey other : receipt.cancel) {
    auto found = peers_.find(other);
    if (found == peers_.end()) {
      continue;
    }
    auto& theirs = found->second.requests;
    auto dup = std::find_if(theirs.begin(), theirs.end(), [&](const Outstanding& o) {
      return o.block.piece == message.index && o.block.offset == message.begin;
    });
    if (dup != theirs.end()) {
      found->second.connection->sendCancel(dup->block.piece, dup->block.offset, dup->block.length);
      theirs.erase(dup);
    }
  }
  if (!receipt.accepted) {
    wasted_ += message.length;
    requestMore(peer);
    return;
  }
  PieceBuffer& piece = pieces_[message.index];
  if (piece.bytes.empty()) {
    piece.bytes = takePieceBuffer(message.index);
    pieceMemory_ += piece.bytes.size();
  }
  std::memcpy(piece.bytes.data() + message.begin, message.payload.data(), message.length);
  piece.senders.insert(peer.key);
  if (picker_.blockWritten(message.index, message.begin)) {
    onPieceComplete(message.index);
  }
  requestMore(peer);
}

void TorrentTask::onPieceComplete(std::uint32_t index) {
  PieceBuffer& piece = pieces_[index];
  std::weak_ptr<char> alive = life_;
  diskJobStarted();
  struct Checked {
    bool hashOk = false;
    Result<void> written;
    std::vector<std::byte> buffer;
  };
  jobs_.submit(
      [storage = storage_, meta = meta_, index, bytes = std::move(piece.bytes)]() mutable {
        Checked checked;
        util::Sha1 sha;
        sha.update(bytes);
        const auto digest = sha.finish();
        const std::string_view expected = meta->pieceHash(index);
        checked.hashOk = std::equal(expected.begin(), expected.end(),
                                    reinterpret_cast<const char*>(digest.data()));
        if (checked.hashOk) {
          checked.written =
              storage->write(static_cast<std::uint64_t>(meta->pieceOffset(index)), bytes);
        }
        checked.buffer = std::move(bytes);
        return checked;
      },
      [this, alive, index](Checked checked) {
        if (alive.expired()) {
          return;
        }
        diskJobEnded();
        pieceMemory_ -= checked.buffer.size();
        if (spareBuffers_.size() < kSpareBuffersKept) {
          spareBuffers_.push_back(std::move(checked.buffer));
        }
        onPieceChecked(index, checked.hashOk, std::move(checked.written));
      });
}

void TorrentTask::onPieceChecked(std::uint32_t piece, bool hashOk, Result<void> written) {
  std::set<core::PeerKey> senders;
  if (auto it = pieces_.find(piece); it != pieces_.end()) {
    senders = std::move(it->second.senders);
    pieces_.erase(it);
  }
  if (phase_ == Phase::Done && !seeding_) {
    return;
  }
  if (!hashOk) {
    wasted_ += geometry_.pieceSize(piece);
    TLOG(Warning, "bt") << meta_->name << ": piece " << piece << " failed its hash check";
    for (core::PeerKey key : picker_.hashFailed(piece)) {
      senders.insert(key);
    }
    for (core::PeerKey key : senders) {
      auto found = peers_.find(key);
      if (found == peers_.end()) {
        continue;
      }
      Peer& peer = found->second;
      if (++peer.hashFailures >= kBanAfterHashFailures) {
        if (auto c = candidates_.find(peer.connection->address()); c != candidates_.end()) {
          c->second.banned = true;
        }
        peer.connection->close(
            {ErrorCode::ProtocolError, "banned: sent data that failed the hash check twice"});
      }
    }
    for (auto& [key, peer] : peers_) {
      requestMore(peer);
    }
    return;
  }
  if (!written) {
    failTask(written.error());  // disk full, permission: the user must act
    return;
  }
  picker_.hashPassed(piece);
  needed_.reset(piece);
  for (auto& [key, peer] : peers_) {
    if (peer.connection->ready() && !peer.connection->closed() && !peer.seed) {
      peer.connection->sendHave(piece);
    }
  }
  if (complete()) {
    for (auto& [key, peer] : peers_) {
      updateInterest(peer);
    }
    finishOrSeed();
  }
}

void TorrentTask::abortRequests(Peer& peer) {
  for (const Outstanding& o : peer.requests) {
    picker_.abortRequest(peer.key, o.block.piece, o.block.offset);
  }
  peer.requests.clear();
}

void TorrentTask::expireRequests() {
  const std::uint64_t now = context_.loop->nowMs();
  for (auto& [key, peer] : peers_) {
    bool expired = false;
    while (!peer.requests.empty() && now - peer.requests.front().sentMs > kRequestTimeoutMs) {
      const Outstanding& o = peer.requests.front();
      picker_.abortRequest(peer.key, o.block.piece, o.block.offset);
      peer.requests.pop_front();
      expired = true;
    }
    // Snubbed: it holds our requests and sends nothing for a minute.
    if (expired || (!peer.requests.empty() && now - peer.lastBlockMs > kRequestTimeoutMs &&
                    peer.lastBlockMs != 0)) {
      peer.snubbed = true;
    }
  }
}

}  // namespace tributary::bt
