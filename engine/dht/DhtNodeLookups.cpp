// DhtNode: iterative lookups, announces, bootstrap and routing table upkeep.
#include "engine/dht/DhtNode.h"

#include <algorithm>

namespace tributary::dht {
namespace {

// A table this small means we are cut off: bootstrap again.
constexpr std::size_t kRebootstrapBelow = 8;
constexpr std::uint64_t kRebootstrapEveryMs = 60'000;
constexpr std::size_t kPingsPerMaintenance = 16;

}  // namespace

DhtNode::LookupId DhtNode::startLookup(Lookup::Kind kind, const NodeId& target, LookupRun run,
                                       const std::vector<NodeEntry>& seeds) {
  loop_.assertInLoopThread();
  if (!running_) {
    return 0;
  }
  const LookupId id = nextLookupId_++;
  run.startedMs = now();
  run.lookup = std::make_unique<Lookup>(
      kind, target, table_.self(), socket_.localAddress().family(),
      [this, id](const NodeEntry& node) { return sendLookupQuery(id, node); }, options_.lookup);
  run.lookup->addCandidates(seeds);
  run.lookup->addCandidates(table_.closest(target, options_.lookup.maxCandidates));
  Lookup* lookup = run.lookup.get();
  lookups_.emplace(id, std::move(run));
  lookup->step();
  if (lookup->finished()) {
    // Nobody to ask (an empty table): the done callback still never runs
    // inside the call that started the lookup.
    loop_.post([this, id, life = std::weak_ptr<char>(life_)] {
      if (life.lock()) {
        finishIfDone(id);
      }
    });
  }
  return id;
}

bool DhtNode::sendLookupQuery(LookupId id, const NodeEntry& node) {
  const auto it = lookups_.find(id);
  if (it == lookups_.end()) {
    return false;
  }
  KrpcQuery q;
  if (it->second.lookup->kind() == Lookup::Kind::GetPeers) {
    q.method = KrpcMethod::GetPeers;
    q.infoHash = it->second.lookup->target();
  } else {
    q.method = KrpcMethod::FindNode;
    q.target = it->second.lookup->target();
  }
  const loop::SocketAddress to = node.address;
  return sendQuery(to, q,
                   [this, id, to](const KrpcMessage* reply) { onLookupReply(id, to, reply); });
}

void DhtNode::onLookupReply(LookupId id, const loop::SocketAddress& from,
                            const KrpcMessage* reply) {
  auto it = lookups_.find(id);
  if (it == lookups_.end()) {
    return;
  }
  if (!reply || reply->kind != KrpcKind::Response) {
    it->second.lookup->onFailure(from);
    finishIfDone(id);
    return;
  }
  const auto peers = it->second.lookup->onReply(from, reply->response);
  if (!peers.empty() && it->second.onPeers) {
    it->second.onPeers(peers);  // may cancel this lookup: look it up again after
  }
  finishIfDone(id);
}

void DhtNode::finishIfDone(LookupId id) {
  auto it = lookups_.find(id);
  if (it == lookups_.end() || !it->second.lookup->finished()) {
    return;
  }
  LookupRun run = std::move(it->second);
  lookups_.erase(it);
  if (id == bootstrapLookup_) {
    bootstrapLookup_ = 0;
  }
  if (run.announce) {
    sendAnnounces(run);
  }
  if (run.onDone) {
    run.onDone(run.lookup->peersFound());
  }
}

void DhtNode::sendAnnounces(const LookupRun& run) {
  for (const Lookup::Responder& r : run.lookup->closestResponders()) {
    if (r.token.empty()) {
      continue;
    }
    KrpcQuery q;
    q.method = KrpcMethod::AnnouncePeer;
    q.infoHash = run.lookup->target();
    q.token = r.token;
    q.impliedPort = run.impliedPort || run.port == 0;
    q.port = run.port != 0 ? run.port : socket_.localAddress().port();
    (void)sendQuery(r.node.address, q, [](const KrpcMessage*) {});
  }
}

DhtNode::LookupId DhtNode::getPeers(const InfoHash& infoHash, PeersCallback onPeers,
                                    DoneCallback onDone) {
  LookupRun run;
  run.onPeers = std::move(onPeers);
  run.onDone = std::move(onDone);
  return startLookup(Lookup::Kind::GetPeers, infoHash, std::move(run));
}

DhtNode::LookupId DhtNode::announce(const InfoHash& infoHash, std::uint16_t port, bool impliedPort,
                                    PeersCallback onPeers, DoneCallback onDone) {
  LookupRun run;
  run.onPeers = std::move(onPeers);
  run.onDone = std::move(onDone);
  run.announce = true;
  run.port = port;
  run.impliedPort = impliedPort;
  return startLookup(Lookup::Kind::GetPeers, infoHash, std::move(run));
}

void DhtNode::cancel(LookupId id) {
  lookups_.erase(id);
  if (id == bootstrapLookup_) {
    bootstrapLookup_ = 0;
  }
}

void DhtNode::addBootstrapNode(std::string_view hostPort) {
  loop_.assertInLoopThread();
  bootstrapNodes_.emplace_back(hostPort);
  if (running_) {
    resolveAndQuery(bootstrapNodes_.back());
  }
}

void DhtNode::bootstrap() {
  lastBootstrapMs_ = now();
  for (const std::string& hostPort : bootstrapNodes_) {
    resolveAndQuery(hostPort);
  }
  // Whatever the table already holds (saved nodes that answered) also leads to us.
  if (table_.size() > 0 && bootstrapLookup_ == 0) {
    LookupRun run;
    run.bootstrap = true;
    bootstrapLookup_ = startLookup(Lookup::Kind::FindNode, table_.self(), std::move(run));
  }
}

void DhtNode::resolveAndQuery(const std::string& hostPort) {
  if (auto literal = loop::SocketAddress::parseWithPort(hostPort)) {
    queryBootstrapNode(*literal);
    return;
  }
  const auto colon = hostPort.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return;
  }
  int port = 0;
  for (char c : std::string_view(hostPort).substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return;
    }
    port = port * 10 + (c - '0');
  }
  if (port <= 0 || port > 65535) {
    return;
  }
  if (!resolver_) {
    ownResolver_ = std::make_unique<loop::Resolver>(loop_);
    resolver_ = ownResolver_.get();
  }
  std::erase_if(resolving_, [](const loop::Resolver::Request& r) { return !r.pending(); });
  resolving_.push_back(resolver_->resolve(std::string_view(hostPort).substr(0, colon),
                                          static_cast<std::uint16_t>(port),
                                          [this](Result<loop::Resolver::Addresses> addresses) {
                                            if (!addresses) {
                                              return;
                                            }
                                            for (const loop::SocketAddress& a : addresses.value()) {
                                              if (a.family() == socket_.localAddress().family()) {
                                                queryBootstrapNode(a);
                                                return;
                                              }
                                            }
                                          }));
}

void DhtNode::queryBootstrapNode(const loop::SocketAddress& address) {
  KrpcQuery q;
  q.method = KrpcMethod::FindNode;
  q.target = table_.self();
  (void)sendQuery(address, q, [this, address](const KrpcMessage* reply) {
    if (!reply || reply->kind != KrpcKind::Response) {
      return;
    }
    // The bootstrap node answered (and is now in the table): look for our own
    // neighbourhood through it and what it told us.
    std::vector<NodeEntry> seeds = reply->response.nodes;
    seeds.push_back({reply->response.id, address});
    auto it = lookups_.find(bootstrapLookup_);
    if (it != lookups_.end() && !it->second.lookup->finished()) {
      it->second.lookup->addCandidates(seeds);
      it->second.lookup->step();
      finishIfDone(bootstrapLookup_);
      return;
    }
    LookupRun run;
    run.bootstrap = true;
    bootstrapLookup_ = startLookup(Lookup::Kind::FindNode, table_.self(), std::move(run), seeds);
  });
}

void DhtNode::maintain() {
  const std::uint64_t nowMs = now();
  peers_.expire(nowMs);
  for (const NodeEntry& n : table_.takeNodesToPing(nowMs, kPingsPerMaintenance)) {
    addNode(n.address);
  }
  for (const NodeId& target : table_.takeRefreshTargets(nowMs)) {
    startLookup(Lookup::Kind::FindNode, target, LookupRun{});
  }
  if (table_.size() < kRebootstrapBelow && nowMs - lastBootstrapMs_ >= kRebootstrapEveryMs) {
    bootstrap();
  }
}

}  // namespace tributary::dht
