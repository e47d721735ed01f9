// RoutingTable::serialize/deserialize: the table across restarts. Only our id
// and the addresses are kept; nodes read back are pinged, not trusted.
#include "engine/codec/Bencode.h"
#include "engine/dht/CompactAddress.h"
#include "engine/dht/RoutingTable.h"

namespace tributary::dht {

std::string RoutingTable::serialize() const {
  std::string nodes;
  std::string nodes6;
  for (const Bucket& b : buckets_) {
    for (const RoutingNode& n : b.nodes) {
      if (n.confirmed && n.failures < kMaxFailures) {
        appendCompactNode(n.entry.address.isV6() ? nodes6 : nodes, n.entry);
      }
    }
  }
  codec::BencodeNode root;
  root.set("id", self_.view());
  root.set("nodes", std::move(nodes));
  root.set("nodes6", std::move(nodes6));
  return root.encode();
}

std::optional<SavedRoutingTable> RoutingTable::deserialize(std::string_view bytes) {
  codec::BencodeParseError error;
  codec::BencodeLimits limits;
  limits.maxDepth = 4;
  limits.maxTokens = 64;
  const auto doc = codec::decodeBencode(bytes, error, limits);
  if (!doc || !doc->root().isDict()) {
    return std::nullopt;
  }
  const auto idText = doc->root().findString("id");
  const auto id = idText ? NodeId::fromBytes(*idText) : std::nullopt;
  if (!id) {
    return std::nullopt;
  }
  SavedRoutingTable saved{*id, {}};
  for (const bool v6 : {false, true}) {
    const auto text = doc->root().findString(v6 ? "nodes6" : "nodes");
    auto nodes = text ? parseCompactNodes(*text, v6) : std::nullopt;
    if (!nodes) {
      continue;
    }
    for (const NodeEntry& n : *nodes) {
      if (saved.nodes.size() >= kMaxSavedNodes) {
        break;
      }
      saved.nodes.push_back(n);
    }
  }
  return saved;
}

}  // namespace tributary::dht
