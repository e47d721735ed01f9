#include "engine/codec/Bencode.h"
#include "engine/dht/CompactAddress.h"
#include "engine/dht/Krpc.h"

namespace tributary::dht {
namespace {

using codec::BencodeNode;

BencodeNode queryArguments(const KrpcQuery& q) {
  BencodeNode a;
  a.set("id", q.id.view());
  switch (q.method) {
    case KrpcMethod::FindNode:
      a.set("target", q.target.view());
      break;
    case KrpcMethod::GetPeers:
      a.set("info_hash", q.infoHash.view());
      break;
    case KrpcMethod::AnnouncePeer:
      a.set("info_hash", q.infoHash.view());
      a.set("port", static_cast<std::int64_t>(q.port));
      a.set("token", q.token);
      if (q.impliedPort) {
        a.set("implied_port", 1);
      }
      break;
    case KrpcMethod::Ping:
    case KrpcMethod::Unknown:
      break;
  }
  if (q.wantV4 || q.wantV6) {
    BencodeNode want = BencodeNode::makeList();
    if (q.wantV4) {
      want.push("n4");
    }
    if (q.wantV6) {
      want.push("n6");
    }
    a.set("want", std::move(want));
  }
  if (q.readOnly) {
    a.set("ro", 1);
  }
  return a;
}

BencodeNode responseBody(const KrpcResponse& r) {
  BencodeNode body;
  body.set("id", r.id.view());
  std::string nodes;
  std::string nodes6;
  for (const NodeEntry& node : r.nodes) {
    appendCompactNode(node.address.isV6() ? nodes6 : nodes, node);
  }
  if (!nodes.empty()) {
    body.set("nodes", std::move(nodes));
  }
  if (!nodes6.empty()) {
    body.set("nodes6", std::move(nodes6));
  }
  if (!r.values.empty()) {
    BencodeNode values = BencodeNode::makeList();
    for (const loop::SocketAddress& peer : r.values) {
      std::string compact;
      appendCompactPeer(compact, peer);
      values.push(std::move(compact));
    }
    body.set("values", std::move(values));
  }
  if (!r.token.empty()) {
    body.set("token", r.token);
  }
  return body;
}

}  // namespace

std::string_view krpcMethodName(KrpcMethod method) {
  switch (method) {
    case KrpcMethod::Ping:
      return "ping";
    case KrpcMethod::FindNode:
      return "find_node";
    case KrpcMethod::GetPeers:
      return "get_peers";
    case KrpcMethod::AnnouncePeer:
      return "announce_peer";
    case KrpcMethod::Unknown:
      break;
  }
  return "";
}

std::string encodeKrpc(const KrpcMessage& message) {
  BencodeNode root;
  root.set("t", message.transactionId);
  if (!message.version.empty()) {
    root.set("v", message.version);
  }
  if (message.externalAddress.isValid()) {
    std::string ip;
    appendCompactPeer(ip, message.externalAddress);
    root.set("ip", std::move(ip));
  }
  switch (message.kind) {
    case KrpcKind::Query:
      root.set("y", "q");
      root.set("q", message.query.method == KrpcMethod::Unknown
                        ? std::string_view(message.query.name)
                        : krpcMethodName(message.query.method));
      root.set("a", queryArguments(message.query));
      break;
    case KrpcKind::Response:
      root.set("y", "r");
      root.set("r", responseBody(message.response));
      break;
    case KrpcKind::Error: {
      root.set("y", "e");
      BencodeNode list = BencodeNode::makeList();
      list.push(message.error.code);
      list.push(message.error.message);
      root.set("e", std::move(list));
      break;
    }
  }
  return root.encode();
}

std::string_view krpcErrorName(KrpcError code) {
  switch (code) {
    case KrpcError::Ok:
      return "ok";
    case KrpcError::TooLarge:
      return "too_large";
    case KrpcError::Bencode:
      return "bencode";
    case KrpcError::NotADict:
      return "not_a_dict";
    case KrpcError::BadTransactionId:
      return "bad_transaction_id";
    case KrpcError::BadType:
      return "bad_type";
    case KrpcError::BadQueryName:
      return "bad_query_name";
    case KrpcError::MissingArguments:
      return "missing_arguments";
    case KrpcError::BadNodeId:
      return "bad_node_id";
    case KrpcError::BadTarget:
      return "bad_target";
    case KrpcError::BadInfoHash:
      return "bad_info_hash";
    case KrpcError::BadPort:
      return "bad_port";
    case KrpcError::BadToken:
      return "bad_token";
    case KrpcError::BadNodes:
      return "bad_nodes";
    case KrpcError::BadValues:
      return "bad_values";
    case KrpcError::TooManyValues:
      return "too_many_values";
    case KrpcError::BadErrorList:
      return "bad_error_list";
  }
  return "unknown";
}

}  // namespace tributary::dht
