#include "engine/dht/QueryResponder.h"

#include <algorithm>

namespace tributary::dht {
namespace {

// BEP 32: the families asked for, else the family of the socket it came in on.
std::vector<NodeEntry> nodesFor(const KrpcQuery& q, const NodeId& target,
                                QueryResponderContext& ctx) {
  const bool wantV4 =
      q.wantV4 || (!q.wantV6 && ctx.socketFamily == loop::SocketAddress::Family::V4);
  const bool wantV6 =
      q.wantV6 || (!q.wantV4 && ctx.socketFamily == loop::SocketAddress::Family::V6);
  std::vector<NodeEntry> out;
  std::size_t v4 = 0;
  std::size_t v6 = 0;
  // Only nodes that answered us: we do not vouch for ones we never heard back from.
  for (const NodeEntry& n : ctx.table.closest(target, 4 * RoutingTable::kBucketSize, true)) {
    if (n.address.isV4() && wantV4 && v4 < RoutingTable::kBucketSize) {
      ++v4;
      out.push_back(n);
    } else if (n.address.isV6() && wantV6 && v6 < RoutingTable::kBucketSize) {
      ++v6;
      out.push_back(n);
    }
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
