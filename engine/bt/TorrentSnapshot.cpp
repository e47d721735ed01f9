// What the UI sees of a torrent at one tick: the task line, the per-peer stats
// (qBittorrent's columns and flags), the files and a coarse piece map.
#include <algorithm>
#include <ctime>

#include "engine/bt/TorrentTask.h"
#include "engine/bt/TrackerListSnapshot.h"

namespace tributary::bt {
namespace {

constexpr std::size_t kPieceMapBuckets = 256;

tributary::PeerSource sourceOf(PeerOrigin origin) {
  switch (origin) {
    case PeerOrigin::Tracker:
      return tributary::PeerSource::Tracker;
    case PeerOrigin::Dht:
      return tributary::PeerSource::Dht;
    case PeerOrigin::Pex:
      return tributary::PeerSource::Pex;
    case PeerOrigin::Lsd:
      return tributary::PeerSource::Lsd;
    case PeerOrigin::Incoming:
      return tributary::PeerSource::Incoming;
    case PeerOrigin::Manual:
      return tributary::PeerSource::Manual;
  }
  return tributary::PeerSource::Manual;
}

}  // namespace

TaskSnapshot TorrentTask::snapshot() {
  const std::uint64_t now = context_.loop->nowMs();
  const auto wallNow = static_cast<std::int64_t>(std::time(nullptr));
  TaskSnapshot s;
  s.id = context_.id;
  s.kind = TaskKind::Torrent;
  s.name = meta_->name;
  s.saveDir = params_.saveDir;
  s.source = params_.source;
  s.totalBytes = geometry_.totalLength;
  s.sizeKnown = true;
  s.verifiedBytes = verifiedBytes();
  s.downloadRate = downRate_.rate(now);
  s.uploadRate = upRate_.rate(now);
  s.traffic.bt = downloadedBt_;
  s.traffic.shared = uploaded_;
  s.addedAtUnix = addedAtUnix_;
  s.error =
      error_.code == ErrorCode::Internal && error_.detail.empty() ? ErrorCode::Ok : error_.code;
  s.errorDetail = error_.detail;
  if (finalState_ != TaskState::Failed) {
    s.error = ErrorCode::Ok;
    s.errorDetail.clear();
  }
  if (phase_ == Phase::Checking) {
    s.state = TaskState::Checking;  // a recheck of a paused task shows too
  } else if (paused_ && finalState_ != TaskState::Failed) {
    s.state = TaskState::Paused;
  } else if (seeding_) {
    s.state = TaskState::Seeding;
  } else if (phase_ == Phase::Done) {
    s.state = finalState_;
  } else if (phase_ == Phase::Running) {
    s.state = TaskState::Downloading;
  } else {
    s.state = TaskState::Queued;
  }

  TorrentSnapshot t;
  t.infoHashHex = meta_->infoHashHex();
  t.pieceCount = geometry_.pieceCount;
  t.pieceLength = geometry_.pieceLength;
  const util::Bitfield& have = picker_.haveBitfield();
  t.piecesHave = static_cast<std::uint32_t>(have.count());
  t.comment = meta_->comment;
  t.createdBy = meta_->createdBy;
  t.isPrivate = meta_->isPrivate;
  t.wastedBytes = wasted_;

  const std::size_t buckets = std::min<std::size_t>(kPieceMapBuckets, geometry_.pieceCount);
  t.pieceMap.resize(buckets);
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t first = b * geometry_.pieceCount / buckets;
    const std::size_t last = (b + 1) * geometry_.pieceCount / buckets;
    std::size_t got = 0;
    for (std::size_t i = first; i < last; ++i) {
      got += have.test(i) ? 1 : 0;
    }
    t.pieceMap[b] = static_cast<std::uint8_t>(got * 255 / std::max<std::size_t>(last - first, 1));
  }

  const std::size_t missing = geometry_.pieceCount - have.count();
  for (const auto& [key, peer] : peers_) {
    const PeerConnection& c = *peer.connection;
    if (!c.ready() || c.closed()) {
      continue;
    }
    ++s.peers;
    s.seeds += peer.seed ? 1 : 0;
    PeerSnapshot p;
    p.address = c.address().toString();
    p.source = sourceOf(c.origin());
    const bool peerChoking = c.protocol().peerChoking();
    const bool peerInterested = c.protocol().peerInterested();
    std::string flags;
    if (peer.weInterested) {
      flags += peerChoking ? 'd' : 'D';
    } else if (!peerChoking) {
      flags += 'K';
    }
    if (peerInterested) {
      flags += peer.weChoking ? 'u' : 'U';
    } else if (!peer.weChoking) {
      flags += '?';
    }
    if (peer.optimistic) {
      flags += 'O';
    }
    if (peer.snubbed) {
      flags += 'S';
    }
    switch (c.origin()) {
      case PeerOrigin::Incoming:
        flags += 'I';
        break;
      case PeerOrigin::Dht:
        flags += 'H';
        break;
      case PeerOrigin::Pex:
        flags += 'X';
        break;
      case PeerOrigin::Lsd:
        flags += 'L';
        break;
      default:
        break;
    }
    p.flags = flags;
    p.client = c.clientName();
    p.peerIdPrefix = printablePeerIdPrefix(c.theirHandshake().peerId);
    const std::size_t peerHas = peer.seed ? geometry_.pieceCount : peer.has.count();
    p.progress = static_cast<double>(peerHas) / geometry_.pieceCount;
    p.downloadRate = c.downloadRate(now);
    p.uploadRate = c.uploadRate(now);
    p.downloaded = c.downloaded();
    p.uploaded = c.uploaded();
    if (missing > 0) {
      const std::size_t useful = peer.seed ? missing : peer.has.countAnd(needed_);
      p.relevance = static_cast<double>(useful) / static_cast<double>(missing);
    }
    if (peer.currentPiece && !peer.requests.empty()) {
      for (const FileSlice& slice : meta_->mapPiece(*peer.currentPiece)) {
        const TorrentFile& file = meta_->files[slice.fileIndex];
        if (!file.padding) {
          p.files += (p.files.empty() ? "" : ", ") + file.path;
        }
      }
    }
    p.rttMs = static_cast<std::uint32_t>(peer.networkRttUs ? (*peer.networkRttUs + 999) / 1000
                                                           : peer.rttMs);
    p.hashFailures = peer.hashFailures;
    p.requestsOut = static_cast<std::uint32_t>(peer.requests.size());
    p.requestsIn = static_cast<std::uint32_t>(peer.incoming.size());
    p.connectedAtUnix = wallNow - static_cast<std::int64_t>((now - c.connectedAtMs()) / 1000);
    t.peers.push_back(std::move(p));
  }

  addWebSeedSnapshots(s, t, now);
  if (trackers_) {
    t.trackers = trackerSnapshots(*trackers_, wallNow);
  }
  std::uint64_t selectedTotal = 0;
  std::uint64_t selectedDone = 0;
  t.files.reserve(meta_->files.size());
  for (std::size_t i = 0; i < meta_->files.size(); ++i) {
    const TorrentFile& file = meta_->files[i];
    if (file.padding) {
      continue;
    }
    FileSnapshot f;
    f.path = file.path;
    f.size = static_cast<std::uint64_t>(file.length);
    f.index = static_cast<std::uint32_t>(i);
    f.priority = filePriority_[i];
    if (auto range = meta_->filePieces(static_cast<std::uint32_t>(i))) {
      for (std::uint32_t piece = range->first; piece <= range->second; ++piece) {
        if (!have.test(piece)) {
          continue;
        }
        const std::int64_t begin = std::max(meta_->pieceOffset(piece), file.offset);
        const std::int64_t end = std::min(meta_->pieceOffset(piece) + meta_->pieceSize(piece),
                                          file.offset + file.length);
        f.doneBytes += static_cast<std::uint64_t>(end - begin);
      }
    }
    if (f.priority > 0) {
      selectedTotal += f.size;
      selectedDone += f.doneBytes;
    }
    t.files.push_back(std::move(f));
  }
  // Size and progress are those of the files the user selected, as in
  // qBittorrent's list; the whole torrent's figures are in the piece counts.
  s.totalBytes = selectedTotal;
  s.verifiedBytes = selectedDone;
  s.torrent = std::move(t);
  return s;
}

}  // namespace tributary::bt
