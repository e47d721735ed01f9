// Peer connections of a torrent: dialling candidates, taking incoming ones,
// and what each message means for the torrent.
#include <algorithm>
#include <utility>

#include "engine/bt/AllowedFastSet.h"
#include "engine/bt/DhtAccess.h"
#include "engine/bt/TorrentTask.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

// Back-off before dialling a peer again after a failed or dropped connection
// (`failures` counts this one): 2 s, 4 s, ... about 2 minutes. The first is
// short: a seeder still checking its data turns everyone away for a moment.
// A peer that worked before is tried every 8 s at most, for its first
// kQuickRedials failures (about a minute and a half): when it was our own
// link that went away for a while, that peer is back as soon as the link is,
// and the task must not sit idle for minutes after it (issue 8's outage).
// After that it backs off like any other, or peers that left the swarm for
// good would take every half-open slot from new ones.
constexpr unsigned kQuickRedials = 12;

std::uint64_t retryDelayMs(unsigned failures, bool workedBefore) {
  const bool quick = workedBefore && failures <= kQuickRedials;
  const unsigned capped = std::clamp(failures, 1u, quick ? 3u : 7u);
  return 2'000ull << (capped - 1);
}

}  // namespace

PeerConnectionConfig TorrentTask::connectionConfig() const {
  PeerConnectionConfig config;
  config.infoHash = meta_->infoHash;
  config.ourId = shared_->peerId;
  config.reserved = ReservedBits::ours(shared_->switches.dht && !meta_->isPrivate);
  config.geometry = geometry_;
  config.ourRequestQueue = 500;
  config.listenPort = shared_->listenPort.load();
  config.pexEnabled = shared_->switches.pex && !meta_->isPrivate;
  // BEP 27 in libtorrent's reading: a private torrent's metadata is not handed out.
  config.metadataSize = meta_->isPrivate ? 0 : meta_->infoBytes.size();
  config.encryption = shared_->switches.encryption;
  return config;
}

void TorrentTask::addPeers(const std::vector<loop::SocketAddress>& addresses, PeerOrigin origin) {
  constexpr std::size_t kMaxCandidates = 2000;
  for (const loop::SocketAddress& address : addresses) {
    if (!address.isValid() || address.port() == 0 || candidates_.size() >= kMaxCandidates ||
        shared_->isOurListenAddress(address)) {
      continue;
    }
    candidates_.try_emplace(address, Candidate{origin});
  }
  if (phase_ == Phase::Running && !paused_) {
    connectMore();
  }
}

void TorrentTask::connectMore() {
  if (phase_ != Phase::Running || paused_ || (complete() && !seeding_)) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  const BtSwitches& limits = shared_->switches;
  for (auto& [address, candidate] : candidates_) {
    if (peers_.size() >= limits.maxPeersPerTorrent || halfOpen_ >= limits.maxHalfOpen) {
      return;
    }
    if (candidate.connected || candidate.banned || candidate.retryAtMs > now) {
      continue;
    }
    // The engine-wide caps: other torrents' connections count too.
    ConnectionBudget::Slot slot = shared_->budget.takeConnection();
    ConnectionBudget::Slot halfOpenSlot =
        slot ? shared_->budget.takeHalfOpen() : ConnectionBudget::Slot{};
    if (!halfOpenSlot) {
      return;  // a slot frees as another connection ends; the tick tries again
    }
    candidate.connected = true;
    const core::PeerKey key = nextPeerKey_++;
    Peer& peer = peers_[key];
    peer.key = key;
    peer.has = util::Bitfield(geometry_.pieceCount);
    peer.slot = std::move(slot);
    peer.halfOpenSlot = std::move(halfOpenSlot);
    PeerConnectionConfig config = connectionConfig();
    config.encryption = dialEncryption(config.encryption, candidate.failures);
    peer.connection = std::make_unique<PeerConnection>(*context_.loop, *this, std::move(config),
                                                       address, candidate.origin);
    ++halfOpen_;
    peer.connection->connect(kConnectTimeout);
    armPeer(peer);
  }
}

void TorrentTask::acceptIncoming(std::unique_ptr<net::ByteStream> socket, const Handshake& theirs) {
  if (phase_ != Phase::Running || paused_ ||
      peers_.size() >= shared_->switches.maxPeersPerTorrent) {
    return;  // dropping the socket closes it
  }
  auto found = candidates_.find(socket->remoteAddress());
  if (found != candidates_.end() && found->second.banned) {
    return;
  }
  ConnectionBudget::Slot slot = shared_->budget.takeConnection();
  if (!slot) {
    return;  // the engine is at its connection cap
  }
  const core::PeerKey key = nextPeerKey_++;
  Peer& peer = peers_[key];
  peer.key = key;
  peer.has = util::Bitfield(geometry_.pieceCount);
  peer.slot = std::move(slot);
  peer.connection = std::make_unique<PeerConnection>(*context_.loop, *this, connectionConfig(),
                                                     std::move(socket), theirs);
  armPeer(peer);
}

TorrentTask::Peer* TorrentTask::peerFor(const PeerConnection& connection) {
  // A torrent has at most a few hundred peers; a scan costs less than a
  // second index kept in step.
  for (auto& [key, peer] : peers_) {
    if (peer.connection.get() == &connection) {
      return &peer;
    }
  }
  return nullptr;
}

void TorrentTask::onPeerReady(PeerConnection& connection) {
  Peer* peer = peerFor(connection);
  if (peer == nullptr) {
    return;
  }
  if (!connection.incoming() && halfOpen_ > 0) {
    --halfOpen_;
  }
  peer->halfOpenSlot.release();
  armPeer(*peer);  // from the handshake deadline to the connection's own
  // No two connections to the same peer (it may have dialled us while we
  // dialled it): the newer one goes.
  for (auto& [key, other] : peers_) {
    if (key != peer->key && other.connection->ready() && !other.connection->closed() &&
        other.connection->theirHandshake().peerId == connection.theirHandshake().peerId) {
      connection.close({ErrorCode::Ok, "already connected to this peer"});
      return;
    }
  }
  if (auto found = candidates_.find(connection.address()); found != candidates_.end()) {
    if (found->second.failures > 0 && trackers_) {
      trackers_->networkRecovered();  // their errors may have been the same outage
    }
    found->second.failures = 0;
    found->second.workedBefore = true;
  }
  if (downThrottled_) {
    // Over the download limit: it waits with the others for the throttle's
    // end, or every new connection would read past the limit until then.
    connection.pauseReading();
  }
  const util::Bitfield& have = picker_.haveBitfield();
  if (connection.fastExtension() && have.none()) {
    connection.sendHaveNone();
  } else if (connection.fastExtension() && have.all()) {
    connection.sendHaveAll();
  } else if (have.any()) {
    connection.sendBitfield(have);
  }
  sendAllowedFast(*peer);
  // BEP 5: a peer that runs a DHT node hears where ours is.
  if (shared_->dht && !meta_->isPrivate && connection.theirHandshake().reserved.dht()) {
    if (const std::uint16_t port = shared_->dht->port(); port != 0) {
      connection.sendPort(port);
    }
  }
  // A half-open slot is free again: dial the next candidate now, not at the
  // next tick (which held dialling to 8 peers a second).
  connectMore();
}

void TorrentTask::onPeerMessage(PeerConnection& connection, const PeerMessage& message) {
  Peer* peer = peerFor(connection);
  if (peer == nullptr || connection.closed()) {
    return;
  }
  switch (message.kind) {
    case MessageKind::Choke:
      if (!connection.fastExtension()) {
        abortRequests(*peer);  // BEP 3: a choke drops every pending request
      }
      break;
    case MessageKind::Unchoke:
      requestMore(*peer);
      break;
    case MessageKind::Interested: {
      unsigned unchoked = 0;
      for (const auto& [key, other] : peers_) {
        unchoked += other.weChoking ? 0 : 1;
      }
      if (peer->weChoking && unchoked < shared_->switches.uploadSlots && !paused_) {
        unchokePeer(*peer);
      }
      break;
    }
    case MessageKind::NotInterested:
      break;
    case MessageKind::Have:
      if (!peer->has.test(message.index)) {
        peer->has.set(message.index);
        if (!peer->seed) {
          picker_.peerHas(message.index);
        }
        if (!peer->weInterested && needed_.test(message.index)) {
          updateInterest(*peer);
        }
      }
      break;
    case MessageKind::Bitfield:
      peer->has.assignFromWire(message.payload, geometry_.pieceCount);
      onPieceSet(*peer);
      break;
    case MessageKind::HaveAll:
      peer->has.setAll();
      onPieceSet(*peer);
      break;
    case MessageKind::HaveNone:
      break;
    case MessageKind::Request:
      onRequest(*peer, message);
      break;
    case MessageKind::Cancel:
      onCancel(*peer, message);
      break;
    case MessageKind::Piece:
      onBlock(*peer, message);
      break;
    case MessageKind::Reject: {
      auto& requests = peer->requests;
      auto it = std::find_if(requests.begin(), requests.end(), [&](const Outstanding& o) {
        return o.block.piece == message.index && o.block.offset == message.begin;
      });
      if (it != requests.end()) {
        picker_.abortRequest(peer->key, it->block.piece, it->block.offset);
        requests.erase(it);
      }
      break;
    }
    case MessageKind::AllowedFast:
      // Bounded: a peer has no reason to allow more than a few dozen.
      if (peer->allowedFast.size() < kMaxAllowedFastKept &&
          std::find(peer->allowedFast.begin(), peer->allowedFast.end(), message.index) ==
              peer->allowedFast.end()) {
        peer->allowedFast.push_back(message.index);
        requestMore(*peer);
      }
      break;
    case MessageKind::Port:
      // BEP 5: the peer's DHT node; ours pings it and keeps it if it answers.
      if (shared_->dht && !meta_->isPrivate && message.port != 0) {
        shared_->dht->addNode(connection.address().withPort(message.port));
      }
      break;
    case MessageKind::Extended:
      onExtendedMessage(*peer, message);
      break;
    case MessageKind::KeepAlive:
    case MessageKind::Suggest:  // advisory (BEP 6): rarest-first knows better
      break;
    case MessageKind::Unknown:
      break;
  }
}

void TorrentTask::sendAllowedFast(Peer& peer) {
  PeerConnection& c = *peer.connection;
  const loop::SocketAddress& address = c.address();
  // BEP 6 defines the set for IPv4 only. A peer with nothing gets a start
  // from us even before the choker picks it; we serve only pieces we have.
  if (!c.fastExtension() || !address.isV4() || !picker_.haveBitfield().any()) {
    return;
  }
  const auto ip = address.bytes();
  for (std::uint32_t piece :
       allowedFastSet(std::span<const std::uint8_t, 4>(ip.data(), 4), meta_->infoHash,
                      geometry_.pieceCount, kAllowedFastSetSize)) {
    if (picker_.have(piece)) {
      c.sendAllowedFast(piece);
    }
  }
}

void TorrentTask::onPieceSet(Peer& peer) {
  if (peer.has.all()) {
    peer.seed = true;
    picker_.addSeed();
    if (complete()) {
      peer.connection->close({ErrorCode::Ok, "both sides are seeds"});
      return;
    }
  } else {
    picker_.addPeerBitfield(peer.has);
  }
  updateInterest(peer);
}

void TorrentTask::updateInterest(Peer& peer) {
  const bool interested =
      !complete() && (peer.seed ? needed_.any() : peer.has.countAnd(needed_) > 0);
  if (interested == peer.weInterested) {
    return;
  }
  peer.weInterested = interested;
  if (interested) {
    peer.connection->sendInterested();
    requestMore(peer);
  } else {
    peer.connection->sendNotInterested();
  }
}

void TorrentTask::onPeerClosed(PeerConnection& connection, const Error& why) {
  Peer* peer = peerFor(connection);
  if (peer == nullptr) {
    return;
  }
  const bool everReady = connection.ready();
  TLOG(Debug, "bt") << connection.address().toString() << ": closed"
                    << (everReady ? "" : " before the handshake") << ": " << why.detail;
  if (!everReady && !connection.incoming() && halfOpen_ > 0) {
    --halfOpen_;
  }
  if (auto found = candidates_.find(connection.address()); found != candidates_.end()) {
    Candidate& candidate = found->second;
    candidate.connected = false;
    if (std::exchange(candidate.closedByUs, false)) {
      candidate.retryAtMs = 0;
    } else {
      if (!everReady || why.code != ErrorCode::Ok) {
        ++candidate.failures;
      }
      candidate.retryAtMs =
          context_.loop->nowMs() + retryDelayMs(candidate.failures, candidate.workedBefore);
    }
  }
  dropPeer(peer->key);
  connectMore();
}

void TorrentTask::dropPeer(core::PeerKey key) {
  auto it = peers_.find(key);
  if (it == peers_.end()) {
    return;
  }
  Peer& peer = it->second;
  picker_.peerGone(key);
  if (metadataServer_) {
    metadataServer_->onPeerGone(key);
  }
  if (peer.seed) {
    picker_.removeSeed();
  } else if (peer.has.any()) {
    picker_.removePeerBitfield(peer.has);
  }
  peers_.erase(it);  // the connection is closed: its callbacks are gone
  // Its blocks are free again: let the others take them.
  for (auto& [otherKey, other] : peers_) {
    if (other.connection->ready()) {
      requestMore(other);
    }
  }
}

}  // namespace tributary::bt
