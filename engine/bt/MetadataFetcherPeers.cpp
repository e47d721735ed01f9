// The MetadataFetcher's connections: dialling candidates within its own and
// the engine's limits, taking incoming peers, and letting peers go.
#include <algorithm>

#include "engine/bt/MetadataFetcher.h"
#include "engine/util/Log.h"

namespace tributary::bt {

PeerConnectionConfig MetadataFetcher::connectionConfig() const {
  PeerConnectionConfig config;
  config.infoHash = infoHash_;
  config.ourId = shared_->peerId;
  // Whether the torrent is private is unknown until the metadata is in; a
  // magnet is a public thing (BEP 9), so DHT and PEX are advertised.
  config.reserved = ReservedBits::ours(shared_->switches.dht);
  config.listenPort = shared_->listenPort.load();
  config.pexEnabled = false;  // nothing to exchange before we know the torrent
  config.metadataSize = 0;
  config.encryption = shared_->switches.encryption;
  return config;
}

void MetadataFetcher::connectMore() {
  if (!running_) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  for (auto& [address, candidate] : candidates_) {
    if (peers_.size() >= kMaxConnections || halfOpen_ >= kMaxHalfOpen) {
      return;
    }
    if (candidate.connected || candidate.banned || candidate.retryAtMs > now || isBanned(address)) {
      continue;
    }
    ConnectionBudget::Slot slot = shared_->budget.takeConnection();
    ConnectionBudget::Slot halfOpenSlot =
        slot ? shared_->budget.takeHalfOpen() : ConnectionBudget::Slot{};
    if (!halfOpenSlot) {
      return;  // the engine's caps; the tick tries again
    }
    candidate.connected = true;
    const std::uint64_t key = nextKey_++;
    FetchPeer& peer = peers_[key];
    peer.slot = std::move(slot);
    peer.halfOpenSlot = std::move(halfOpenSlot);
    PeerConnectionConfig config = connectionConfig();
    config.encryption = dialEncryption(config.encryption, candidate.failures);
    peer.connection = std::make_unique<PeerConnection>(*context_.loop, *this, std::move(config),
                                                       address, candidate.origin);
    ++halfOpen_;
    peer.connection->connect(kConnectTimeout);
  }
}

void MetadataFetcher::acceptIncoming(std::unique_ptr<net::ByteStream> socket,
                                     const Handshake& theirs) {
  if (!running_ || peers_.size() >= kMaxConnections) {
    return;  // dropping the socket closes it
  }
  if (isBanned(socket->remoteAddress())) {
    return;
  }
  ConnectionBudget::Slot slot = shared_->budget.takeConnection();
  if (!slot) {
    return;
  }
  const std::uint64_t key = nextKey_++;
  FetchPeer& peer = peers_[key];
  peer.slot = std::move(slot);
  peer.connection = std::make_unique<PeerConnection>(*context_.loop, *this, connectionConfig(),
                                                     std::move(socket), theirs);
}

std::uint64_t MetadataFetcher::keyOf(const PeerConnection& connection) const {
  for (const auto& [key, peer] : peers_) {
    if (peer.connection.get() == &connection) {
      return key;
    }
  }
  return 0;
}

void MetadataFetcher::onPeerReady(PeerConnection& connection) {
  const std::uint64_t key = keyOf(connection);
  if (key == 0) {
    return;
  }
  FetchPeer& peer = peers_.at(key);
  if (!connection.incoming() && halfOpen_ > 0) {
    --halfOpen_;
  }
  peer.halfOpenSlot.release();
  if (!connection.theirHandshake().reserved.extensionProtocol()) {
    connection.close({ErrorCode::Ok, "the peer cannot send metadata (no BEP 10)"});
    return;
  }
  if (connection.fastExtension()) {
    connection.sendHaveNone();
  }
  connectMore();
}

void MetadataFetcher::ban(std::uint64_t key) {
  auto found = peers_.find(key);
  if (found == peers_.end()) {
    return;
  }
  PeerConnection& connection = *found->second.connection;
  if (auto candidate = candidates_.find(connection.address()); candidate != candidates_.end()) {
    candidate->second.banned = true;
  }
  bannedIps_.insert(banKey(connection.address()));
  TLOG(Warning, "bt") << connection.address().toString()
                      << ": banned: its metadata did not match the info-hash";
  connection.close({ErrorCode::ProtocolError, "sent metadata that does not match the info-hash"});
}

void MetadataFetcher::onPeerClosed(PeerConnection& connection, const Error& why) {
  TLOG(Debug, "bt") << connection.address().toString() << ": closed: " << why.detail;
  const std::uint64_t key = keyOf(connection);
  if (key == 0) {
    return;
  }
  FetchPeer& peer = peers_.at(key);
  if (!connection.ready() && !connection.incoming() && halfOpen_ > 0) {
    --halfOpen_;
  }
  assembler_.onPeerGone(key);
  if (auto found = candidates_.find(connection.address()); found != candidates_.end()) {
    Candidate& candidate = found->second;
    candidate.connected = false;
    // Dropped for having no metadata, unreachable, or reset (libtorrent resets
    // connections while it checks its files): again after 2 s, 4 s, ... 64 s.
    candidate.failures = std::min(candidate.failures + 1, 6u);
    candidate.retryAtMs = context_.loop->nowMs() + (2'000ull << (candidate.failures - 1));
  }
  (void)peer;
  // Not here: the connection is still on the stack. The tick reaps it.
  std::weak_ptr<char> alive = life_;
  context_.loop->post([this, alive, key] {
    if (!alive.expired()) {
      peers_.erase(key);
      connectMore();
    }
  });
}

}  // namespace tributary::bt
