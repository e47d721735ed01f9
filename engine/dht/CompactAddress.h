// Internal: the compact forms of BEP 5 and BEP 32. A peer is its address and
// port (6 bytes for IPv4, 18 for IPv6); a node is its id followed by that
// (26 and 38 bytes). Multi-byte numbers are big-endian.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dht/NodeId.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

inline constexpr std::size_t kCompactPeerV4 = 6;
inline constexpr std::size_t kCompactPeerV6 = 18;
inline constexpr std::size_t kCompactNodeV4 = NodeId::kSize + kCompactPeerV4;  // 26
inline constexpr std::size_t kCompactNodeV6 = NodeId::kSize + kCompactPeerV6;  // 38

// Appends 6 or 18 bytes; nothing for an Unspecified address.
void appendCompactPeer(std::string& out, const loop::SocketAddress& address);
// 6 bytes -> IPv4, 18 -> IPv6, anything else -> nullopt.
std::optional<loop::SocketAddress> parseCompactPeer(std::string_view bytes);
// A peer from a get_peers reply ("values", 6 or 18 bytes whatever the node's
// family) as something worth dialling: an IPv4-mapped IPv6 address becomes
// the IPv4 one it stands for; port 0, "any" and multicast addresses -> nullopt.
std::optional<loop::SocketAddress> usablePeer(const loop::SocketAddress& peer);

void appendCompactNode(std::string& out, const NodeEntry& node);
// A "nodes" (v6 = false) or "nodes6" string: nullopt unless its length is a
// multiple of the entry size. Entries with port 0 are skipped (unreachable).
std::optional<std::vector<NodeEntry>> parseCompactNodes(std::string_view bytes, bool v6);

}  // namespace tributary::dht
