#include "engine/codec/Bencode.h"
#include "engine/dht/CompactAddress.h"
#include "engine/dht/Krpc.h"

namespace tributary::dht {
namespace {

using codec::BencodeValue;

struct Decoder {
  const KrpcLimits& limits;
  KrpcDecodeFailure& failure;

  bool fail(KrpcError code) {
    failure.code = code;
    return false;
  }

  bool readId(const BencodeValue& dict, std::string_view key, NodeId& out, KrpcError code) {
    const auto text = dict.findString(key);
    const auto id = text ? NodeId::fromBytes(*text) : std::nullopt;
    if (!id) {
      return fail(code);
    }
    out = *id;
    return true;
  }

  // "nodes" and "nodes6" are optional; when present they must be well formed.
  bool readNodes(const BencodeValue& dict, std::vector<NodeEntry>& out) {
    for (const bool v6 : {false, true}) {
      const BencodeValue value = dict.find(v6 ? "nodes6" : "nodes");
      if (!value) {
        continue;
      }
      const auto text = value.asString();
      auto nodes = text ? parseCompactNodes(*text, v6) : std::nullopt;
      if (!nodes) {
        return fail(KrpcError::BadNodes);
      }
      out.insert(out.end(), nodes->begin(), nodes->end());
    }
    return true;
  }

  bool readValues(const BencodeValue& dict, std::vector<loop::SocketAddress>& out) {
    const BencodeValue list = dict.find("values");
    if (!list) {
      return true;
    }
    if (!list.isList()) {
      return fail(KrpcError::BadValues);
    }
    if (list.size() > limits.maxValues) {
      return fail(KrpcError::TooManyValues);
    }
    out.reserve(list.size());
    for (const BencodeValue item : list.items()) {
      const auto text = item.asString();
      if (!text) {
        return fail(KrpcError::BadValues);
      }
      // A peer of a length we do not know (a future family) is skipped, not fatal.
      if (auto peer = parseCompactPeer(*text); peer && peer->port() != 0) {
        out.push_back(*peer);
      }
    }
    return true;
  }

  bool readToken(const BencodeValue& dict, std::string& out, bool required) {
    const BencodeValue value = dict.find("token");
    if (!value) {
      return required ? fail(KrpcError::BadToken) : true;
    }
    const auto text = value.asString();
    if (!text || text->empty() || text->size() > limits.maxToken) {
      return fail(KrpcError::BadToken);
    }
    out = *text;
    return true;
  }

  bool readQuery(const BencodeValue& root, KrpcQuery& q) {
    const auto name = root.findString("q");
    if (!name || name->empty() || name->size() > limits.maxQueryName) {
      return fail(KrpcError::BadQueryName);
    }
    q.name = *name;
    q.method = KrpcMethod::Unknown;
    for (const KrpcMethod m :
         {KrpcMethod::Ping, KrpcMethod::FindNode, KrpcMethod::GetPeers, KrpcMethod::AnnouncePeer}) {
      if (*name == krpcMethodName(m)) {
        q.method = m;
      }
    }
    const BencodeValue args = root.findDict("a");
    if (!args) {
      return fail(KrpcError::MissingArguments);
    }
    if (!readId(args, "id", q.id, KrpcError::BadNodeId)) {
      return false;
    }
    q.readOnly = args.findInteger("ro").value_or(0) == 1;
    if (const BencodeValue want = args.findList("want")) {
      for (const BencodeValue item : want.items()) {
        const auto text = item.asString();
        q.wantV4 = q.wantV4 || text == "n4";
        q.wantV6 = q.wantV6 || text == "n6";
      }
    }
    switch (q.method) {
      case KrpcMethod::FindNode:
        return readId(args, "target", q.target, KrpcError::BadTarget);
      case KrpcMethod::GetPeers:
        return readId(args, "info_hash", q.infoHash, KrpcError::BadInfoHash);
      case KrpcMethod::AnnouncePeer: {
        if (!readId(args, "info_hash", q.infoHash, KrpcError::BadInfoHash) ||
            !readToken(args, q.token, true)) {
          return false;
        }
        q.impliedPort = args.findInteger("implied_port").value_or(0) != 0;
        const auto port = args.findInteger("port");
        if (port && *port >= 1 && *port <= 65535) {
          q.port = static_cast<std::uint16_t>(*port);
        } else if (!q.impliedPort) {
          return fail(KrpcError::BadPort);
        }
        return true;
      }
      case KrpcMethod::Ping:
      case KrpcMethod::Unknown:
        return true;
    }
    return true;
  }

  bool readResponse(const BencodeValue& root, KrpcResponse& r) {
    const BencodeValue body = root.findDict("r");
    if (!body) {
      return fail(KrpcError::MissingArguments);
    }
    return readId(body, "id", r.id, KrpcError::BadNodeId) && readNodes(body, r.nodes) &&
           readValues(body, r.values) && readToken(body, r.token, false);
  }

  bool readError(const BencodeValue& root, KrpcErrorReply& e) {
    const BencodeValue list = root.findList("e");
    const auto code = list ? list.item(0).asInteger() : std::nullopt;
    if (!code) {
      return fail(KrpcError::BadErrorList);
    }
    e.code = *code;
    e.message = list.item(1).asString().value_or("");
    if (e.message.size() > limits.maxErrorMessage) {
      e.message.resize(limits.maxErrorMessage);
    }
    return true;
  }
};

}  // namespace

std::optional<KrpcMessage> decodeKrpc(std::string_view datagram, KrpcDecodeFailure& failure,
                                      const KrpcLimits& limits) {
  failure = {};
  Decoder d{limits, failure};
  if (datagram.size() > limits.maxMessageSize) {
    d.fail(KrpcError::TooLarge);
    return std::nullopt;
  }
  codec::BencodeParseError parseError;
  codec::BencodeLimits bencodeLimits;
  bencodeLimits.maxDepth = limits.maxDepth;
  bencodeLimits.maxTokens = limits.maxTokens;
  const auto doc = codec::decodeBencode(datagram, parseError, bencodeLimits);
  if (!doc) {
    d.fail(KrpcError::Bencode);
    return std::nullopt;
  }
  const BencodeValue root = doc->root();
  if (!root.isDict()) {
    d.fail(KrpcError::NotADict);
    return std::nullopt;
  }
  const auto tid = root.findString("t");
  if (!tid || tid->size() > limits.maxTransactionId) {
    d.fail(KrpcError::BadTransactionId);
    return std::nullopt;
  }
  KrpcMessage msg;
  msg.transactionId = *tid;
  const auto type = root.findString("y");
  if (type == "q") {
    msg.kind = KrpcKind::Query;
    failure.transactionId = msg.transactionId;
    failure.wasQuery = true;
  } else if (type == "r") {
    msg.kind = KrpcKind::Response;
  } else if (type == "e") {
    msg.kind = KrpcKind::Error;
  } else {
    d.fail(KrpcError::BadType);
    return std::nullopt;
  }
  if (const auto version = root.findString("v"); version && version->size() <= 16) {
    msg.version = *version;
  }
  if (const auto ip = root.findString("ip")) {
    msg.externalAddress = parseCompactPeer(*ip).value_or(loop::SocketAddress{});
  }
  bool ok = false;
  switch (msg.kind) {
    case KrpcKind::Query:
      ok = d.readQuery(root, msg.query);
      break;
    case KrpcKind::Response:
      ok = d.readResponse(root, msg.response);
      break;
    case KrpcKind::Error:
      ok = d.readError(root, msg.error);
      break;
  }
  if (!ok) {
    return std::nullopt;
  }
  failure = {};
  return msg;
}

}  // namespace tributary::dht
