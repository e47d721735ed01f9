// DhtNode: the socket, incoming messages and our outgoing queries. Lookups,
// bootstrap and table upkeep are in DhtNodeLookups.cpp.
#include "engine/dht/DhtNode.h"

#include "engine/dht/QueryResponder.h"

namespace tributary::dht {
namespace {

constexpr std::chrono::milliseconds kTick{250};

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

DhtNode::DhtNode(loop::EventLoop& loop, DhtNodeOptions options, loop::Resolver* resolver)
    : loop_(loop),
      options_(std::move(options)),
      resolver_(resolver),
      socket_(loop),
      tickTimer_(loop),
      table_(chooseId(options_)),
      tokens_(loop.nowMs()),
      peers_(options_.peerStore),
      limiter_(options_.queriesPerSecondPerIp, options_.queryBurstPerIp) {
  if (auto saved = RoutingTable::deserialize(options_.savedState)) {
    // A dual-stack state holds both families: ours are the ones we can ping.
    for (const NodeEntry& n : saved->nodes) {
      if (n.address.family() == options_.bindAddress.family()) {
        savedNodes_.push_back(n);
      }
    }
  }
  bootstrapNodes_ = options_.bootstrapNodes;
}

DhtNode::~DhtNode() {
  stop();
}

Result<void> DhtNode::start() {
  loop_.assertInLoopThread();
  if (running_) {
    return {};
  }
  if (auto bound = socket_.bind(options_.bindAddress); !bound) {
    return bound.error();
  }
  socket_.setOnReceive([this](const loop::SocketAddress& from, std::span<const std::byte> bytes) {
    onDatagram(from, bytes);
  });
  running_ = true;
  tickTimer_.start(kTick, kTick, [this] { onTick(); });
  lastMaintainMs_ = now();
  for (const NodeEntry& n : savedNodes_) {
    queryBootstrapNode(n.address);
  }
  savedNodes_.clear();
  bootstrap();
  return {};
}

void DhtNode::stop() {
  running_ = false;
  tickTimer_.stop();
  socket_.close();
  resolving_.clear();
  transactions_.clear();
  lookups_.clear();
  bootstrapLookup_ = 0;
}

DhtNodeStats DhtNode::stats() const {
  DhtNodeStats s = counters_;
  s.nodes = table_.size();
  s.goodNodes = table_.goodCount(now());
  s.lookups = lookups_.size();
  s.pendingQueries = transactions_.size();
  return s;
}

void DhtNode::send(const loop::SocketAddress& to, const std::string& wire) {
  // A refused send is like a lost datagram: the query's timeout covers it.
  (void)socket_.send(to, std::as_bytes(std::span(wire)));
}

bool DhtNode::sendQuery(const loop::SocketAddress& to, KrpcQuery query,
                        TransactionTable::Callback cb) {
  if (!running_ || to.family() != socket_.localAddress().family()) {
    return false;
  }
  const auto deadline = now() + static_cast<std::uint64_t>(options_.queryTimeout.count());
  auto tid = transactions_.add(to, deadline, std::move(cb));
  if (!tid) {
    return false;
  }
  KrpcMessage m;
  m.kind = KrpcKind::Query;
  m.transactionId = *tid;
  m.version = options_.version;
  query.id = table_.self();
  if (to.isV6() && (query.method == KrpcMethod::FindNode || query.method == KrpcMethod::GetPeers)) {
    // BEP 32: say so, since a dual-stack node may answer an IPv6 query with IPv4 nodes.
    query.wantV6 = true;
  }
  m.query = std::move(query);
  send(to, encodeKrpc(m));
  ++counters_.queriesSent;
  return true;
}

void DhtNode::onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes) {
  KrpcDecodeFailure failure;
  const auto message = decodeKrpc(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), failure);
  if (!message) {
    ++counters_.queriesDropped;
    if (failure.wasQuery && limiter_.allow(from, now())) {
      send(from, encodeKrpcError(failure.transactionId, kKrpcProtocolError,
                                 krpcErrorName(failure.code), options_.version));
    }
    return;
  }
  if (message->kind == KrpcKind::Query) {
    onQuery(*message, from);
    return;
  }
  auto cb = transactions_.take(message->transactionId, from);
  if (!cb) {
    return;  // late, unsolicited or forged
  }
  if (message->kind == KrpcKind::Response) {
    table_.onReply({message->response.id, from}, now());
  }
  cb(&*message);
}

void DhtNode::onQuery(const KrpcMessage& message, const loop::SocketAddress& from) {
  if (!limiter_.allow(from, now())) {
    ++counters_.queriesDropped;
    return;
  }
  if (message.query.id == table_.self()) {
    return;  // our own id: a reflection or an impostor
  }
  if (!message.query.readOnly) {
    const bool known = table_.find(message.query.id) != nullptr;
    table_.onQuery({message.query.id, from}, now());
    const RoutingNode* added = known ? nullptr : table_.find(message.query.id);
    if (added && !added->confirmed) {
      // A newcomer took a place in a bucket: one ping proves its address
      // (UDP sources can be forged) and makes it good, so we vouch for it.
      addNode(from);
    }
  }
  QueryResponderContext context{table_, tokens_, peers_, socket_.localAddress().family(),
                                options_.version};
  context.siblingTable = sibling_;
  send(from, answerQuery(message, from, context, now()));
  ++counters_.queriesAnswered;
}

void DhtNode::addNode(const loop::SocketAddress& address) {
  loop_.assertInLoopThread();
  KrpcQuery ping;
  ping.method = KrpcMethod::Ping;
  (void)sendQuery(address, ping, [](const KrpcMessage*) {});
}

void DhtNode::onTick() {
  const std::uint64_t nowMs = now();
  for (auto& expired : transactions_.takeExpired(nowMs)) {
    ++counters_.timeouts;
    table_.onTimeout(expired.to, nowMs);
    if (expired.callback) {
      expired.callback(nullptr);
    }
  }
  std::vector<LookupId> late;
  for (auto& [id, run] : lookups_) {
    if (nowMs - run.startedMs >= static_cast<std::uint64_t>(options_.lookupTimeout.count())) {
      late.push_back(id);
    }
  }
  for (LookupId id : late) {
    if (auto it = lookups_.find(id); it != lookups_.end()) {
      it->second.lookup->finish();
      finishIfDone(id);
    }
  }
  if (nowMs - lastMaintainMs_ >= 60'000) {
    lastMaintainMs_ = nowMs;
    maintain();
  }
}

}  // namespace tributary::dht
