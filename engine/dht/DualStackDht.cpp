#include "engine/dht/DualStackDht.h"

#include "engine/dht/CompactAddress.h"
#include "engine/dht/LookupFanIn.h"
#include "engine/util/Log.h"

namespace tributary::dht {
namespace {

NodeId chooseId(const DhtNodeOptions& options) {
  if (options.id) {
    return *options.id;
  }
  if (auto saved = RoutingTable::deserialize(options.savedState)) {
    return saved->self;
  }
  return NodeId::random();
}

}  // namespace

DualStackDht::DualStackDht(loop::EventLoop& loop, DualStackDhtOptions options,
                           loop::Resolver* resolver)
    : loop_(loop),
      options_(std::move(options)),
      id_(chooseId(options_.node)),
      resolver_(resolver) {}

DualStackDht::~DualStackDht() {
  stop();
  // Neither node may read the other's table while it goes.
  v4_.reset();
  v6_.reset();
}

std::unique_ptr<DhtNode> DualStackDht::bindNode(const loop::SocketAddress& address,
                                                Error& failure) {
  DhtNodeOptions options = options_.node;
  options.bindAddress = address;
  options.id = id_;  // BEP 32: one id for both families
  auto node = std::make_unique<DhtNode>(loop_, std::move(options), resolver_);
  if (Result<void> started = node->start(); !started) {
    failure = started.error();
    return nullptr;
  }
  return node;
}

Result<void> DualStackDht::start() {
  loop_.assertInLoopThread();
  if (v4_ || v6_) {
    return {};  // once only: a node's socket is not bound twice
  }
  if (!resolver_) {
    ownResolver_ = std::make_unique<loop::Resolver>(loop_);
    resolver_ = ownResolver_.get();
  }
  Error failure{ErrorCode::InvalidArgument, "no address to bind the DHT to"};
  const loop::SocketAddress& bindV4 = options_.node.bindAddress;
  if (bindV4.isValid()) {
    v4_ = bindNode(bindV4, failure);
    if (!v4_ && bindV4.port() != 0) {
      // The BitTorrent port's number is taken for UDP: any port will do.
      TLOG(Info, "dht") << "UDP port " << bindV4.port() << " is taken: " << failure.detail
                        << "; using another";
      v4_ = bindNode(bindV4.withPort(0), failure);
    }
    if (!v4_) {
      TLOG(Warning, "dht") << "no IPv4 DHT: " << failure.detail;
    }
  }
  if (options_.bindV6.isValid()) {
    std::uint16_t port = options_.bindV6.port();
    if (port == 0) {
      port = v4_ ? v4_->localAddress().port() : bindV4.port();
    }
    Error v6Failure;
    v6_ = bindNode(options_.bindV6.withPort(port), v6Failure);
    if (!v6_ && port != 0) {
      v6_ = bindNode(options_.bindV6.withPort(0), v6Failure);
    }
    if (!v6_) {
      // Common (no IPv6 on the host) and harmless: the DHT runs on IPv4.
      TLOG(Info, "dht") << "no IPv6 DHT: " << v6Failure.detail;
      if (!bindV4.isValid()) {
        failure = v6Failure;
      }
    }
  }
  if (!v4_ && !v6_) {
    return failure;
  }
  if (v4_ && v6_) {
    v4_->setSiblingTable(&v6_->routingTable());
    v6_->setSiblingTable(&v4_->routingTable());
  }
  return {};
}

void DualStackDht::stop() {
  lookups_.clear();
  for (DhtNode* node : {v4_.get(), v6_.get()}) {
    if (node) {
      node->setSiblingTable(nullptr);
      node->stop();
    }
  }
}

template <class StartFn>
DualStackDht::LookupId DualStackDht::fanOut(PeersCallback onPeers, DoneCallback onDone,
                                            StartFn startOne) {
  loop_.assertInLoopThread();
  const LookupId id = nextLookupId_++;
  auto fan = std::make_shared<LookupFanIn>(
      std::move(onPeers), [this, id, done = std::move(onDone)](std::size_t found) mutable {
        lookups_.erase(id);
        if (done) {
          done(found);
        }
      });
  std::vector<Part> parts;
  for (DhtNode* node : {v4_.get(), v6_.get()}) {
    if (!node || !node->running()) {
      continue;
    }
    fan->addPart();
    const DhtNode::LookupId part = startOne(
        *node, [fan](const std::vector<loop::SocketAddress>& peers) { fan->partPeers(peers); },
        [fan](std::size_t found) { fan->partDone(found); });
    if (part == 0) {
      fan->dropPart();
    } else {
      parts.emplace_back(node, part);
    }
  }
  if (parts.empty()) {
    return 0;  // like DhtNode: no lookup, no callback
  }
  lookups_.emplace(id, std::move(parts));
  // No part reports inside the call that started it, so the done callback
  // runs at the earliest once this returns.
  fan->seal();
  return id;
}

DualStackDht::LookupId DualStackDht::getPeers(const InfoHash& infoHash, PeersCallback onPeers,
                                              DoneCallback onDone) {
  return fanOut(std::move(onPeers), std::move(onDone),
                [&](DhtNode& node, PeersCallback peers, DoneCallback done) {
                  return node.getPeers(infoHash, std::move(peers), std::move(done));
                });
}

DualStackDht::LookupId DualStackDht::announce(const InfoHash& infoHash, std::uint16_t port,
                                              bool impliedPort, PeersCallback onPeers,
                                              DoneCallback onDone) {
  return fanOut(std::move(onPeers), std::move(onDone),
                [&](DhtNode& node, PeersCallback peers, DoneCallback done) {
                  return node.announce(infoHash, port, impliedPort, std::move(peers),
                                       std::move(done));
                });
}

void DualStackDht::cancel(LookupId id) {
  const auto it = lookups_.find(id);
  if (it == lookups_.end()) {
    return;
  }
  const std::vector<Part> parts = std::move(it->second);
  lookups_.erase(it);
  for (const auto& [node, part] : parts) {
    node->cancel(part);
  }
}

void DualStackDht::addNode(const loop::SocketAddress& address) {
  const auto usable = usablePeer(address);
  if (!usable) {
    return;
  }
  DhtNode* node = usable->isV6() ? v6_.get() : v4_.get();
  if (node && node->running()) {
    node->addNode(*usable);
  }
}

void DualStackDht::addBootstrapNode(std::string_view hostPort) {
  for (DhtNode* node : {v4_.get(), v6_.get()}) {
    if (node && node->running()) {
      node->addBootstrapNode(hostPort);
    }
  }
}

std::size_t DualStackDht::nodeCount() const {
  return (v4_ ? v4_->nodeCount() : 0) + (v6_ ? v6_->nodeCount() : 0);
}

std::string DualStackDht::saveState() const {
  if (!v4_ && !v6_) {
    return {};  // never started: whatever was saved before stays as it is
  }
  return RoutingTable::serializeTables(
      id_, {v4_ ? &v4_->routingTable() : nullptr, v6_ ? &v6_->routingTable() : nullptr});
}

std::uint16_t DualStackDht::port() const {
  if (v4_ && v4_->running()) {
    return v4_->localAddress().port();
  }
  if (v6_ && v6_->running()) {
    return v6_->localAddress().port();
  }
  return 0;
}

}  // namespace tributary::dht
