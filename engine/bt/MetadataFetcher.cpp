#include "engine/bt/MetadataFetcher.h"

#include <ctime>
#include <utility>

#include "engine/bt/DhtAccess.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/TaskTrackers.h"
#include "engine/bt/TrackerListSnapshot.h"
#include "engine/bt/UtMetadataMessage.h"
#include "engine/codec/HexBase32.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

std::span<const std::byte> bytesOf(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

}  // namespace

MetadataFetcher::MetadataFetcher(const core::TaskContext& context,
                                 const util::Sha1::Digest& infoHash,
                                 std::vector<std::string> trackers,
                                 std::shared_ptr<BtShared> shared, DoneCallback done)
    : context_(context),
      infoHash_(infoHash),
      shared_(std::move(shared)),
      done_(std::move(done)),
      dht_(*context.loop, shared_, infoHash,
           [this](const std::vector<loop::SocketAddress>& peers) {
             addPeers(peers, PeerOrigin::Dht);
           }),
      lsd_(*context.loop, shared_, infoHash,
           [this](const loop::SocketAddress& peer) { addPeers({peer}, PeerOrigin::Lsd); }),
      assembler_(infoHash),
      tick_(*context.loop) {
  setUpTrackers(std::move(trackers));
}

MetadataFetcher::~MetadataFetcher() {
  // No "stopped" to the trackers: the torrent that follows announces
  // "started" at once, and a stopped arriving after it would drop us.
  trackers_.reset();
  stop();
}

void MetadataFetcher::setUpTrackers(std::vector<std::string> trackers) {
  if (trackers.empty()) {
    return;
  }
  // BEP 12 for a magnet: each tr= is a tier of its own, tried in order.
  std::vector<std::vector<std::string>> tiers;
  for (std::string& url : trackers) {
    tiers.push_back({std::move(url)});
  }
  TaskTrackers made = makeTaskTrackers(context_, *shared_, infoHash_, std::move(tiers), this,
                                       [this](const std::vector<loop::SocketAddress>& peers) {
                                         addPeers(peers, PeerOrigin::Tracker);
                                       });
  udpTrackers_ = std::move(made.udp);
  trackers_ = std::move(made.list);
  // The size is unknown until the metadata is in; left must not be 0, or
  // the tracker counts us as a seed and hands us no seeders.
  trackers_->setTotals([] { return TransferTotals{0, 0, 16 * 1024}; });
}

void MetadataFetcher::registerForIncoming() {
  if (registered_) {
    return;
  }
  TorrentRegistry::Entry entry;
  entry.loop = context_.loop;
  std::weak_ptr<char> alive = life_;
  entry.accept =
      std::make_shared<util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, Handshake)>>(
          [this, alive](std::unique_ptr<net::ByteStream> socket, Handshake theirs) {
            if (!alive.expired()) {
              acceptIncoming(std::move(socket), theirs);
            }
          });
  registered_ = shared_->registry.add(infoHash_, std::move(entry));
}

void MetadataFetcher::start() {
  if (running_ || finished_) {
    return;
  }
  running_ = true;
  registerForIncoming();
  if (trackers_ && !trackers_->running()) {
    trackers_->start();
  }
  tick_.start(kTick, kTick, [this] { onTick(); });
  dht_.poll();
  lsd_.poll();
  connectMore();
}

void MetadataFetcher::stop() {
  running_ = false;
  tick_.stop();
  dht_.stop();
  lsd_.stop();
  if (registered_) {
    shared_->registry.remove(infoHash_);
    registered_ = false;
  }
  if (trackers_ && trackers_->running()) {
    trackers_->stop([] {});
  }
  for (auto& [key, peer] : peers_) {
    assembler_.onPeerGone(key);
    if (auto found = candidates_.find(peer.connection->address()); found != candidates_.end()) {
      found->second.connected = false;
    }
  }
  peers_.clear();  // closes the sockets; no callback runs after this
  halfOpen_ = 0;
}

void MetadataFetcher::addPeers(const std::vector<loop::SocketAddress>& addresses,
                               PeerOrigin origin) {
  constexpr std::size_t kMaxCandidates = 2000;
  for (const loop::SocketAddress& address : addresses) {
    if (!address.isValid() || address.port() == 0 || candidates_.size() >= kMaxCandidates ||
        shared_->isOurListenAddress(address)) {
      continue;
    }
    candidates_.try_emplace(address, Candidate{origin});
  }
  if (running_) {
    connectMore();
  }
}

void MetadataFetcher::onPeerMessage(PeerConnection& connection, const PeerMessage& message) {
  const std::uint64_t key = keyOf(connection);
  if (key == 0 || connection.closed()) {
    return;
  }
  if (message.kind == MessageKind::Port && shared_->dht && message.port != 0) {
    shared_->dht->addNode(connection.address().withPort(message.port));  // BEP 5
    return;
  }
  if (message.kind != MessageKind::Extended) {
    return;  // bitfields, haves and the like mean nothing before the metadata
  }
  FetchPeer& peer = peers_.at(key);
  if (message.extendedId == 0) {
    onExtensionHandshake(key, peer);
  } else if (message.extendedId == kOurUtMetadataId) {
    onMetadataMessage(key, peer, message);
  }
}

void MetadataFetcher::onExtensionHandshake(std::uint64_t key, FetchPeer& peer) {
  const std::optional<ExtensionHandshake>& ext = peer.connection->extensions();
  const std::optional<std::uint8_t> id = ext ? ext->extensionId(kUtMetadata) : std::nullopt;
  if (!id || ext->metadataSize == 0) {
    peer.connection->close({ErrorCode::Ok, "the peer does not offer the metadata"});
    return;
  }
  peer.theirMetadataId = *id;
  assembler_.onPeerMetadataSize(key, ext->metadataSize);
  requestMore(key, peer);
}

void MetadataFetcher::onMetadataMessage(std::uint64_t key, FetchPeer& peer,
                                        const PeerMessage& message) {
  const UtMetadataParse parsed = parseUtMetadata(message.payload);
  if (parsed.status == UtMetadataParse::Status::Unknown) {
    return;
  }
  if (parsed.status == UtMetadataParse::Status::Error) {
    peer.connection->close(
        {ErrorCode::ProtocolError, std::string("a bad ut_metadata message: ") +
                                       std::string(peerWireErrorName(parsed.error))});
    return;
  }
  const UtMetadataMessage& m = parsed.message;
  const std::uint64_t now = context_.loop->nowMs();
  switch (m.type) {
    case UtMetadataMessage::Type::Request:
      // We have nothing to give yet (BEP 9: reject what we do not have).
      if (peer.theirMetadataId != 0) {
        const std::string reject = encodeUtMetadataReject(m.piece);
        peer.connection->sendExtended(peer.theirMetadataId, bytesOf(reject));
      }
      return;
    case UtMetadataMessage::Type::Reject:
      assembler_.onReject(key, m.piece, now);
      break;
    case UtMetadataMessage::Type::Data: {
      MetadataAssembler::DataOutcome outcome =
          assembler_.onData(key, m.piece, m.totalSize, m.data, now);
      if (outcome.result == MetadataAssembler::DataResult::HashMismatch) {
        onHashMismatch(outcome.failedSenders);
      }
      for (std::uint64_t liar : outcome.liars) {
        ban(liar);  // the verified dictionary shows its pieces were false
      }
      checkComplete();
      if (finished_) {
        return;
      }
      break;
    }
  }
  requestMore(key, peer);
}

void MetadataFetcher::requestMore(std::uint64_t key, FetchPeer& peer) {
  if (peer.theirMetadataId == 0 || peer.connection->closed() || finished_) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  while (auto piece = assembler_.nextRequest(key, now)) {
    TLOG(Debug, "bt") << peer.connection->address().toString() << ": metadata request " << *piece;
    const std::string request = encodeUtMetadataRequest(*piece);
    peer.connection->sendExtended(peer.theirMetadataId, bytesOf(request));
  }
}

void MetadataFetcher::onHashMismatch(const std::vector<std::uint64_t>& senders) {
  TLOG(Warning, "bt") << "metadata from " << senders.size()
                      << " peer(s) did not match the info-hash; fetching it again";
  // Each sender lost trust inside the assembler; the ones it excluded are
  // of no more use and are let go for good.
  for (std::uint64_t key : senders) {
    if (assembler_.isExcluded(key)) {
      ban(key);
    }
  }
}

void MetadataFetcher::checkComplete() {
  if (!assembler_.isComplete() || finished_) {
    return;
  }
  finished_ = true;
  std::string info = assembler_.takeMetadata();
  std::weak_ptr<char> alive = life_;
  // Posted: the owner destroys us in the callback, and we are inside a peer's dispatch.
  context_.loop->post([this, alive, info = std::move(info)]() mutable {
    if (!alive.expired() && done_) {
      auto done = std::move(done_);
      done(std::move(info));
    }
  });
}

// A peer that stalls the handshake, never offers the metadata or falls
// silent holds a connection (and, before the handshake, one of the engine's
// connects in flight): it goes, as TorrentTask's timers would make it.
void MetadataFetcher::closeIfStuck(FetchPeer& peer, std::uint64_t now) {
  PeerConnection& c = *peer.connection;
  if (c.closed()) {
    return;
  }
  if (!c.ready()) {
    if (c.tcpConnected() && now - c.connectedAtMs() >= kHandshakeTimeoutMs) {
      c.close({ErrorCode::Timeout, "no handshake within 10 s"});
    }
    return;
  }
  if (peer.theirMetadataId == 0 && now - c.connectedAtMs() >= kHandshakeTimeoutMs) {
    c.close({ErrorCode::Timeout, "no extension handshake within 10 s"});
  } else if (now - c.lastReceiveMs() >= kInactivityTimeoutMs) {
    c.close({ErrorCode::Timeout, "nothing received for 120 s"});
  }
}

void MetadataFetcher::onTick() {
  const std::uint64_t now = context_.loop->nowMs();
  assembler_.expire(now);
  checkComplete();
  if (finished_) {
    return;
  }
  for (auto& [key, peer] : peers_) {
    closeIfStuck(peer, now);
    requestMore(key, peer);
  }
  dht_.poll();
  lsd_.poll();
  connectMore();
}

std::vector<MetadataFetcher::KnownPeer> MetadataFetcher::knownPeers() const {
  std::vector<KnownPeer> out;
  out.reserve(candidates_.size());
  for (const auto& [address, candidate] : candidates_) {
    if (!candidate.banned && !isBanned(address)) {
      out.push_back({address, candidate.origin});
    }
  }
  return out;
}

void MetadataFetcher::fillSnapshot(TaskSnapshot& s) const {
  const auto wallNow = static_cast<std::int64_t>(std::time(nullptr));
  s.torrent.emplace();
  s.torrent->infoHashHex =
      codec::hexEncode(std::span(reinterpret_cast<const std::uint8_t*>(infoHash_.data()), 20));
  for (const auto& [key, peer] : peers_) {
    const PeerConnection& c = *peer.connection;
    if (!c.ready() || c.closed()) {
      continue;
    }
    ++s.peers;
    PeerSnapshot p;
    p.address = c.address().toString();
    p.client = c.clientName();
    s.torrent->peers.push_back(std::move(p));
  }
  if (trackers_) {
    s.torrent->trackers = trackerSnapshots(*trackers_, wallNow);
  }
}

}  // namespace tributary::bt
