#include "engine/dht/QueryResponder.h"

#include <algorithm>

namespace tributary::dht {
namespace {

// Up to a bucket's worth of confirmed nodes of `family` from `table`, nearest first.
void appendClosest(const RoutingTable* table, const NodeId& target,
                   loop::SocketAddress::Family family, std::vector<NodeEntry>& out) {
  if (!table) {
    return;
  }
  std::size_t taken = 0;
  // Only nodes that answered us: we do not vouch for ones we never heard back from.
  for (const NodeEntry& n : table->closest(target, 4 * RoutingTable::kBucketSize, true)) {
    if (n.address.family() == family && taken < RoutingTable::kBucketSize) {
      ++taken;
      out.push_back(n);
    }
  }
}

// BEP 32: the families asked for, else the family of the socket it came in
// on. A family is served from whichever table holds it: ours, or the sibling's.
std::vector<NodeEntry> nodesFor(const KrpcQuery& q, const NodeId& target,
                                QueryResponderContext& ctx) {
  using Family = loop::SocketAddress::Family;
  const bool wantV4 = q.wantV4 || (!q.wantV6 && ctx.socketFamily == Family::V4);
  const bool wantV6 = q.wantV6 || (!q.wantV4 && ctx.socketFamily == Family::V6);
  std::vector<NodeEntry> out;
  for (const Family family : {Family::V4, Family::V6}) {
    if (!(family == Family::V4 ? wantV4 : wantV6)) {
      continue;
    }
    const bool own = family == ctx.socketFamily || !ctx.siblingTable;
    appendClosest(own ? &ctx.table : ctx.siblingTable, target, family, out);
  }
  return out;
}

}  // namespace

std::string encodeKrpcError(std::string_view tid, std::int64_t code, std::string_view text,
                            std::string_view version) {
  KrpcMessage m;
  m.kind = KrpcKind::Error;
  m.transactionId = tid;
  m.version = version;
  m.error = {code, std::string(text)};
  return encodeKrpc(m);
}

std::string answerQuery(const KrpcMessage& query, const loop::SocketAddress& from,
                        QueryResponderContext& ctx, std::uint64_t nowMs) {
  const KrpcQuery& q = query.query;
  KrpcMessage answer;
  answer.kind = KrpcKind::Response;
  answer.transactionId = query.transactionId;
  answer.version = ctx.version;
  answer.externalAddress = from;  // BEP 42: tell the querier how we see it
  answer.response.id = ctx.table.self();
  switch (q.method) {
    case KrpcMethod::Ping:
      break;
    case KrpcMethod::FindNode:
      answer.response.nodes = nodesFor(q, q.target, ctx);
      break;
    case KrpcMethod::GetPeers:
      answer.response.token = ctx.tokens.tokenFor(from, nowMs);
      answer.response.nodes = nodesFor(q, q.infoHash, ctx);
      answer.response.values =
          ctx.peers.peers(q.infoHash, from.family(), kMaxPeersPerAnswer, nowMs);
      break;
    case KrpcMethod::AnnouncePeer: {
      if (!ctx.tokens.verify(q.token, from, nowMs)) {
        return encodeKrpcError(query.transactionId, kKrpcProtocolError, "bad token", ctx.version);
      }
      const std::uint16_t port = q.impliedPort ? from.port() : q.port;
      if (port == 0) {
        return encodeKrpcError(query.transactionId, kKrpcProtocolError, "bad port", ctx.version);
      }
      ctx.peers.announce(q.infoHash, from.withPort(port), nowMs);
      break;
    }
    case KrpcMethod::Unknown:
      return encodeKrpcError(query.transactionId, kKrpcMethodUnknown, "Method Unknown",
                             ctx.version);
  }
  std::string wire = encodeKrpc(answer);
  auto& values = answer.response.values;
  while (wire.size() > kMaxAnswerBytes && !values.empty()) {
    const std::size_t each = values.front().isV6() ? 21 : 9;  // "18:" + 18, "6:" + 6 and change
    const std::size_t drop = std::min(values.size(), (wire.size() - kMaxAnswerBytes) / each + 1);
    values.resize(values.size() - drop);
    wire = encodeKrpc(answer);
  }
  return wire;
}

}  // namespace tributary::dht
