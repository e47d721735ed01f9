// RoutingTable serialization: the table across restarts. Only our id and the
// addresses are kept; nodes read back are pinged, not trusted.
//
// Format 2 says "format" 2 and holds every table of a dual-stack session
// (BEP 32: one id, IPv4 nodes in "nodes", IPv6 ones in "nodes6"). Format 1,
// written before, had no "format" key and one node's table; it reads the
// same way. A newer format is refused rather than half understood: the
// session then starts with an empty table, as it does from a damaged file.
#include <algorithm>

#include "engine/codec/Bencode.h"
#include "engine/dht/CompactAddress.h"
#include "engine/dht/RoutingTable.h"

namespace tributary::dht {

std::string RoutingTable::serialize() const {
  return serializeTables(self_, {this});
}

std::string RoutingTable::serializeTables(const NodeId& self,
                                          std::initializer_list<const RoutingTable*> tables) {
  std::string nodes;
  std::string nodes6;
  for (const RoutingTable* table : tables) {
    if (!table) {
      continue;
    }
    for (const Bucket& b : table->buckets_) {
      for (const RoutingNode& n : b.nodes) {
        if (n.confirmed && n.failures < kMaxFailures) {
          appendCompactNode(n.entry.address.isV6() ? nodes6 : nodes, n.entry);
        }
      }
    }
  }
  codec::BencodeNode root;
  root.set("format", kSaveFormat);
  root.set("id", self.view());
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
  const auto format = doc->root().find("format") ? doc->root().findInteger("format")
                                                 : std::optional<std::int64_t>(1);
  if (!format || *format < 1 || *format > kSaveFormat) {
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
    // Capped per family, so a long IPv4 list leaves room for the IPv6 one.
    const std::size_t take = std::min(nodes->size(), kMaxSavedNodes);
    saved.nodes.insert(saved.nodes.end(), nodes->begin(), nodes->begin() + take);
  }
  return saved;
}

}  // namespace tributary::dht
