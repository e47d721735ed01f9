// Uploading: serving peers' requests from disk through the worker pool, and
// choking (BEP 3's tit-for-tat with a rotating optimistic unchoke).
#include <algorithm>
#include <random>

#include "engine/bt/TorrentTask.h"

namespace tributary::bt {
namespace {

constexpr std::uint32_t kReadsInFlightPerPeer = 4;
constexpr std::size_t kMaxQueuedSendBytes = 1 << 20;
constexpr std::size_t kMaxIncomingRequests = 1000;
constexpr std::uint64_t kOptimisticEveryMs = 30'000;

}  // namespace

void TorrentTask::onRequest(Peer& peer, const PeerMessage& message) {
  PeerConnection& c = *peer.connection;
  // While we choke it, only the pieces we allowed it fast (BEP 6), and only
  // about as much as the set holds: asking for them again and again must not
  // turn a choked peer into an unchoked one.
  const bool fast = peer.weChoking && c.protocol().allowedFastGranted(message.index) &&
                    peer.fastServedBytes + message.length <=
                        std::uint64_t{kAllowedFastSetSize} * geometry_.pieceLength;
  if (fast) {
    peer.fastServedBytes += message.length;
  }
  const bool unchoked = !peer.weChoking || fast;
  const bool canServe =
      unchoked && picker_.have(message.index) && (phase_ == Phase::Running || seeding_) && !paused_;
  if (!canServe) {
    if (c.fastExtension()) {
      c.sendReject(message.index, message.begin, message.length);
    }
    return;
  }
  if (peer.incoming.size() >= kMaxIncomingRequests) {
    c.close({ErrorCode::ProtocolError, "more than 1000 requests queued"});
    return;
  }
  peer.incoming.push_back({message.index, message.begin, message.length, false});
  serveReads(peer);
}

void TorrentTask::onCancel(Peer& peer, const PeerMessage& message) {
  auto& queue = peer.incoming;
  queue.erase(std::remove_if(queue.begin(), queue.end(),
                             [&](const core::BlockRequest& r) {
                               return r.piece == message.index && r.offset == message.begin &&
                                      r.length == message.length;
                             }),
              queue.end());
}

void TorrentTask::onPeerBlockSent(PeerConnection& connection) {
  if (Peer* peer = peerFor(connection)) {
    serveReads(*peer);
  }
}

void TorrentTask::serveReads(Peer& peer) {
  PeerConnection& c = *peer.connection;
  while (!peer.incoming.empty() && peer.readsInFlight < kReadsInFlightPerPeer &&
         c.pendingWriteBytes() < kMaxQueuedSendBytes && !c.closed()) {
    if (!mayUpload(peer.incoming.front().length)) {
      return;  // the upload limit: the throttle timer serves the peers again
    }
    const core::BlockRequest request = peer.incoming.front();
    peer.incoming.pop_front();
    ++peer.readsInFlight;
    diskJobStarted();
    std::weak_ptr<char> alive = life_;
    const core::PeerKey key = peer.key;
    jobs_.submit(
        [storage = storage_, meta = meta_, request]() -> Result<util::SendQueue::SharedBytes> {
          auto bytes = std::make_shared<util::SendQueue::Bytes>(request.length);
          const auto offset =
              static_cast<std::uint64_t>(meta->pieceOffset(request.piece)) + request.offset;
          if (auto read = storage->read(offset, *bytes); !read) {
            return read.error();
          }
          return util::SendQueue::SharedBytes(std::move(bytes));
        },
        [this, alive, key, request](Result<util::SendQueue::SharedBytes> read) {
          if (alive.expired()) {
            return;
          }
          diskJobEnded();
          auto found = peers_.find(key);
          if (found == peers_.end()) {
            return;
          }
          Peer& peer = found->second;
          --peer.readsInFlight;
          if (!read) {
            // The data went missing under us (a file deleted): stop offering it.
            peer.connection->close({ErrorCode::IoError, read.error().detail});
            return;
          }
          // Choked since the read began: the choke rejected it already,
          // unless the piece is one we allowed it fast.
          if (peer.connection->closed() ||
              (peer.weChoking && !peer.connection->protocol().allowedFastGranted(request.piece))) {
            return;
          }
          uploaded_ += request.length;
          upRate_.add(request.length, context_.loop->nowMs());
          peer.connection->sendPiece(request.piece, request.offset, std::move(read.value()), 0,
                                     request.length);
          serveReads(peer);
        });
  }
}

void TorrentTask::chokePeer(Peer& peer) {
  if (peer.weChoking) {
    return;
  }
  peer.weChoking = true;
  peer.optimistic = false;
  peer.connection->sendChoke();
  // BEP 6: with the fast extension every pending request gets an answer,
  // and those for allowed-fast pieces stay.
  if (peer.connection->fastExtension()) {
    const PeerProtocolState& protocol = peer.connection->protocol();
    std::erase_if(peer.incoming, [&](const core::BlockRequest& r) {
      if (protocol.allowedFastGranted(r.piece)) {
        return false;
      }
      peer.connection->sendReject(r.piece, r.offset, r.length);
      return true;
    });
  } else {
    peer.incoming.clear();
  }
}

void TorrentTask::unchokePeer(Peer& peer) {
  if (!peer.weChoking) {
    return;
  }
  peer.weChoking = false;
  peer.connection->sendUnchoke();
}

void TorrentTask::runChoker() {
  const std::uint64_t now = context_.loop->nowMs();
  lastChokeMs_ = now;
  const bool seedingNow = complete();
  std::vector<Peer*> interested;
  for (auto& [key, peer] : peers_) {
    if (peer.connection->ready() && !peer.connection->closed() &&
        peer.connection->protocol().peerInterested()) {
      interested.push_back(&peer);
    } else {
      chokePeer(peer);
    }
  }
  // Leeching: reward who gives us most. Seeding: who takes most, so the
  // fastest downloaders finish and spread the data on.
  std::sort(interested.begin(), interested.end(), [&](Peer* a, Peer* b) {
    const auto rate = [&](Peer* p) {
      return seedingNow ? p->connection->uploadRate(now) : p->connection->downloadRate(now);
    };
    return rate(a) > rate(b);
  });
  const std::size_t slots = shared_->switches.uploadSlots;
  Peer* optimistic = nullptr;
  for (Peer* peer : interested) {
    if (peer->optimistic && now - lastOptimisticMs_ < kOptimisticEveryMs) {
      optimistic = peer;
    }
  }
  if (optimistic == nullptr && interested.size() > slots) {
    // A new optimistic unchoke among those the rates leave choked.
    static thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(slots, interested.size() - 1);
    optimistic = interested[pick(rng)];
    lastOptimisticMs_ = now;
  }
  for (std::size_t i = 0; i < interested.size(); ++i) {
    Peer* peer = interested[i];
    if (i < slots || peer == optimistic) {
      peer->optimistic = peer == optimistic && i >= slots;
      unchokePeer(*peer);
    } else {
      chokePeer(*peer);
    }
  }
}

}  // namespace tributary::bt
