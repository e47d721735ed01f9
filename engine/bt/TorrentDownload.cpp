// Downloading: keeping each unchoking peer's request queue full, taking its
// blocks into per-piece buffers, and the hash-then-write of each piece on the
// worker pool.
#include <algorithm>
#include <cstring>

#include "engine/bt/TorrentTask.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

constexpr std::uint32_t kMinRequestQueue = 16;
// Requests cover the peer's rate for one round trip (the bandwidth-delay
// product) plus this long: the time a peer may take to read blocks from its
// disk and queue them, during which the link would otherwise go idle.
constexpr std::uint64_t kPeerServiceMs = 500;
constexpr unsigned kBanAfterHashFailures = 2;

}  // namespace

std::uint32_t TorrentTask::queueDepth(const Peer& peer) const {
  const std::uint64_t rate = peer.connection->downloadRate(context_.loop->nowMs());
  // The round trip: the longer of the kernel's RTT (where the OS gives it)
  // and what we measure from request to block. The measured time also counts
  // the wait behind earlier requests (an upper bound, capped so it cannot
  // feed on itself), and it is what shows a peer slow to serve (a busy disk,
  // many leechers), which the kernel's figure does not.
  const std::uint64_t measuredMs = std::min<std::uint64_t>(peer.rttMs, 2000);
  const std::uint64_t rttMs =
      std::max(peer.networkRttUs ? (*peer.networkRttUs + 999) / 1000 : 0, measuredMs);
  const std::uint64_t depth =
      (rate * (rttMs + kPeerServiceMs) / 1000 + core::PiecePicker::kBlockSize - 1) /
      core::PiecePicker::kBlockSize;
  std::uint32_t cap = kMaxRequestQueue;
  if (const auto& ext = peer.connection->extensions(); ext && ext->requestQueue > 0) {
    cap = std::min(cap, ext->requestQueue);
  }
  // A fair share of the piece-memory budget: 200 slow peers each asking for
  // seconds of their rate would hold every block between a few of them while
  // the rest idle (1 GiB from 200 peers at 0.5 MiB/s: 35 s instead of 11 s).
  const std::uint64_t share =
      pieceMemoryCap() / std::max(1U, senders_) / core::PiecePicker::kBlockSize;
  cap = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(cap, std::max<std::uint64_t>(share, kMinRequestQueue)));
  return static_cast<std::uint32_t>(
      std::clamp<std::uint64_t>(depth, std::min(kMinRequestQueue, cap), cap));
}

void TorrentTask::requestMore(Peer& peer) {
  PeerConnection& c = *peer.connection;
  const bool choked = c.ready() && c.protocol().peerChoking();
  if (phase_ != Phase::Running || paused_ || complete() || !c.ready() || c.closed() ||
      !peer.weInterested || (choked && peer.allowedFast.empty())) {
    return;
  }
  const std::uint32_t depth = queueDepth(peer);
  if (peer.requests.size() >= depth) {
    return;
  }
  const util::Bitfield* from = peer.seed ? &allPieces_ : &peer.has;
  // Choked: only the pieces it allowed us fast (BEP 6), which it serves anyway.
  util::Bitfield fastOnly;
  if (choked) {
    fastOnly = util::Bitfield(geometry_.pieceCount);
    for (std::uint32_t piece : peer.allowedFast) {
      if (piece < geometry_.pieceCount && from->test(piece)) {
        fastOnly.set(piece);
      }
    }
    if (fastOnly.none()) {
      return;
    }
    from = &fastOnly;
  }
  // The memory budget counts every piece the picker has started (its buffer
  // comes with its first block; it stays started while hashed and written):
  // finish what is started before starting more. 200 peers each starting
  // their own piece would otherwise hold 200 of them.
  const std::uint64_t length = geometry_.pieceLength;
  const std::uint64_t committed = std::uint64_t{picker_.startedPieceCount()} * length;
  // Rounded up: a piece bigger than the whole cap still starts, one at a time.
  const std::uint64_t now = context_.loop->nowMs();
  // PreferCdn: while a web seed carries the download, peers only finish what
  // they started and race the last pieces.
  const bool cdnLeads =
      params_.sourcePolicy.preference == SourcePreference::PreferCdn && webSeedsCarry(now);
  const std::uint32_t maxNewPieces =
      committed < pieceMemoryCap() && !cdnLeads
          ? static_cast<std::uint32_t>((pieceMemoryCap() - committed + length - 1) / length)
          : 0;
  std::vector<core::BlockRequest> picked;
  picker_.pickBlocks(peer.key, *from, depth - peer.requests.size(), picked, maxNewPieces);
  // Nothing to take from the started pieces, no room to start one, and
  // nothing in flight anywhere (no request out to any peer, no piece on the
  // disk): the started pieces are held by peers that left or choke us, and
  // would stall the download for good. One new piece then, as long as the
  // memory really in use stays under a hard ceiling. (Anything in flight
  // means the budget frees up by itself.)
  const std::uint64_t hardCap = 4 * std::max<std::uint64_t>(pieceMemoryCap(), length);
  const auto nothingInFlight = [this] {
    return diskJobs_ == 0 && std::all_of(peers_.begin(), peers_.end(), [](const auto& entry) {
             return entry.second.requests.empty();
           });
  };
  if (picked.empty() && maxNewPieces == 0 && !cdnLeads && pieceMemory_ + length <= hardCap &&
      nothingInFlight()) {
    picker_.pickBlocks(peer.key, *from, depth - peer.requests.size(), picked, 1);
  }
  const bool queueWasEmpty = peer.requests.empty();
  for (const core::BlockRequest& block : picked) {
    peer.requests.push_back({block, now});
    peer.currentPiece = block.piece;
    c.sendRequest(block.piece, block.offset, block.length);
  }
  if (queueWasEmpty && !peer.requests.empty()) {
    // Snubbing is a minute without a block while it holds our requests: the
    // minute starts now, not at its last block before an idle spell.
    peer.lastBlockMs = now;
    armPeer(peer);  // a request deadline, maybe earlier than the armed one
  }
}

util::PageAlignedBytes TorrentTask::takePieceBuffer(std::uint32_t piece) {
  util::PageAlignedBytes buffer;
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
  lastPeerBlockMs_ = now;
  chargeDownload(message.length);

  core::PiecePicker::BlockReceipt receipt =
      picker_.blockReceived(peer.key, message.index, message.begin);
  cancelDuplicates(receipt.cancel, message.index, message.begin);
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
  if (piece.blockSenders.empty()) {
    piece.blockSenders.assign(picker_.blockCount(message.index), 0);
  }
  piece.blockSenders[message.begin / core::PiecePicker::kBlockSize] = peer.key;
  if (picker_.blockWritten(message.index, message.begin)) {
    onPieceComplete(message.index);
  }
  requestMore(peer);
}

void TorrentTask::cancelDuplicates(const std::vector<core::PeerKey>& holders, std::uint32_t piece,
                                   std::uint32_t offset) {
  for (core::PeerKey other : holders) {
    auto found = peers_.find(other);
    if (found == peers_.end()) {
      continue;  // a web seed: its copy arrives anyway and is dropped as a duplicate
    }
    auto& theirs = found->second.requests;
    auto dup = std::find_if(theirs.begin(), theirs.end(), [&](const Outstanding& o) {
      return o.block.piece == piece && o.block.offset == offset;
    });
    if (dup != theirs.end()) {
      found->second.connection->sendCancel(dup->block.piece, dup->block.offset, dup->block.length);
      theirs.erase(dup);
    }
  }
}

void TorrentTask::onPieceComplete(std::uint32_t index) {
  PieceBuffer& piece = pieces_[index];
  std::weak_ptr<char> alive = life_;
  diskJobStarted();
  struct Checked {
    bool hashOk = false;
    Result<void> written;
    util::PageAlignedBytes buffer;
    std::vector<util::Sha1::Digest> blockDigests;  // when someone must be blamed
  };
  const bool earlierFailure = failedBlocks_.count(index) > 0;
  jobs_.submit(
      [storage = storage_, meta = meta_, index, earlierFailure,
       bytes = std::move(piece.bytes)]() mutable {
        Checked checked;
        util::Sha1 sha;
        sha.update(bytes);
        const auto digest = sha.finish();
        const std::string_view expected = meta->pieceHash(index);
        checked.hashOk = std::equal(expected.begin(), expected.end(),
                                    reinterpret_cast<const char*>(digest.data()));
        if (!checked.hashOk || earlierFailure) {
          for (std::size_t at = 0; at < bytes.size(); at += core::PiecePicker::kBlockSize) {
            const std::size_t n =
                std::min<std::size_t>(core::PiecePicker::kBlockSize, bytes.size() - at);
            sha.update(std::span(bytes).subspan(at, n));
            checked.blockDigests.push_back(sha.finish());
          }
        }
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
        pieceMemory_ -= checked.buffer.size();
        // Kept for the next piece while pieces in use and spares stay within
        // the cap: a fresh 1 MiB buffer is a new mapping whose every page
        // faults and is zeroed twice (kernel, then vector), which cost more
        // than the copy of the blocks into it.
        const std::uint64_t spareBytes =
            std::uint64_t{spareBuffers_.size()} * geometry_.pieceLength;
        if (pieceMemory_ + spareBytes + checked.buffer.size() <= pieceMemoryCap()) {
          spareBuffers_.push_back(std::move(checked.buffer));
        }
        onPieceChecked(index, checked.hashOk, std::move(checked.written),
                       std::move(checked.blockDigests));
        // Last: a recheck waiting for the disk to go idle must see this
        // piece's outcome already applied, not apply it in the middle.
        diskJobEnded();
      });
}

void TorrentTask::onPieceChecked(std::uint32_t piece, bool hashOk, Result<void> written,
                                 std::vector<util::Sha1::Digest> blockDigests) {
  std::vector<core::PeerKey> senders;
  if (auto it = pieces_.find(piece); it != pieces_.end()) {
    senders = std::move(it->second.blockSenders);
    pieces_.erase(it);
  }
  if (phase_ == Phase::Done && !seeding_) {
    // Stopped (failed: the disk filled up): the picker still learns how the
    // piece ended, or it would stay "being hashed" for good and a resume
    // would never fetch it again.
    if (hashOk && written) {
      picker_.hashPassed(piece);
      needed_.reset(piece);
    } else {
      (void)picker_.hashFailed(piece);
    }
    return;
  }
  if (!hashOk) {
    wasted_ += geometry_.pieceSize(piece);
    TLOG(Info, "bt") << meta_->name << ": piece " << piece << " failed its hash check";
    (void)picker_.hashFailed(piece);  // its blocks are free again
    blamePeers(piece, std::move(senders), blockDigests, false);
    for (auto& [key, peer] : peers_) {
      requestMore(peer);
    }
    runWebSeeds();
    return;
  }
  if (!written) {
    (void)picker_.hashFailed(piece);  // not on disk: fetched again after a resume
    failTask(written.error());        // disk full, permission: the user must act
    return;
  }
  if (!blockDigests.empty()) {
    blamePeers(piece, {}, blockDigests, true);
  }
  picker_.hashPassed(piece);
  needed_.reset(piece);
  for (auto& [key, peer] : peers_) {
    if (peer.connection->ready() && !peer.connection->closed() && !peer.seed) {
      peer.connection->sendHave(piece);
    }
    // Memory freed: a peer held back by the piece-memory cap may go on.
    requestMore(peer);
  }
  if (complete() && phase_ == Phase::Running) {
    for (auto& [key, peer] : peers_) {
      updateInterest(peer);
    }
    finishOrSeed();
    return;
  }
  runWebSeeds();  // memory freed: a seed held back may start its next run
}

void TorrentTask::blamePeers(std::uint32_t piece, std::vector<core::PeerKey> senders,
                             const std::vector<util::Sha1::Digest>& blockDigests, bool hashOk) {
  if (hashOk) {
    // The good copy: every block that differs from the failed one was a lie.
    auto it = failedBlocks_.find(piece);
    if (it == failedBlocks_.end()) {
      return;
    }
    std::set<core::PeerKey> liars;
    for (std::size_t i = 0; i < it->second.size() && i < blockDigests.size(); ++i) {
      if (it->second[i].sender != 0 && it->second[i].digest != blockDigests[i]) {
        liars.insert(it->second[i].sender);
      }
    }
    failedBlocks_.erase(it);
    for (core::PeerKey key : liars) {
      punish(key, piece);
    }
    return;
  }
  std::set<core::PeerKey> distinct(senders.begin(), senders.end());
  distinct.erase(0);
  if (distinct.size() == 1) {
    punish(*distinct.begin(), piece);  // one sender, a bad piece: no doubt who
    return;
  }
  // Several senders: remember who sent what until a good copy tells.
  constexpr std::size_t kMaxRemembered = 256;
  if (failedBlocks_.size() >= kMaxRemembered) {
    failedBlocks_.erase(failedBlocks_.begin());
  }
  std::vector<FailedBlock>& record = failedBlocks_[piece];
  record.assign(blockDigests.size(), {});
  for (std::size_t i = 0; i < record.size(); ++i) {
    record[i].sender = i < senders.size() ? senders[i] : 0;
    record[i].digest = blockDigests[i];
  }
}

void TorrentTask::punish(core::PeerKey key, std::uint32_t piece) {
  if (WebSeed* seed = webSeedFor(key)) {
    // HTTP does not garble bytes: the server's copy of the file is wrong,
    // and every later piece from it would be too.
    dropWebSeed(*seed, {ErrorCode::ChecksumMismatch,
                        "piece " + std::to_string(piece) + " from " + seed->url() +
                            " failed its hash check (the server's copy differs)"});
    return;
  }
  auto found = peers_.find(key);
  if (found == peers_.end()) {
    return;
  }
  Peer& peer = found->second;
  if (++peer.hashFailures < kBanAfterHashFailures) {
    return;
  }
  if (auto c = candidates_.find(peer.connection->address()); c != candidates_.end()) {
    c->second.banned = true;
  }
  TLOG(Warning, "bt") << meta_->name << ": banned " << peer.connection->address().toString() << " ("
                      << peer.connection->clientName() << "): its data failed the hash check twice";
  peer.connection->close(
      {ErrorCode::ProtocolError, "banned: sent data that failed the hash check twice"});
}

void TorrentTask::abortRequests(Peer& peer) {
  for (const Outstanding& o : peer.requests) {
    picker_.abortRequest(peer.key, o.block.piece, o.block.offset);
  }
  peer.requests.clear();
}

}  // namespace tributary::bt
