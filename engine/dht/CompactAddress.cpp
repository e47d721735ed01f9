#include "engine/dht/CompactAddress.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace tributary::dht {

void appendCompactPeer(std::string& out, const loop::SocketAddress& address) {
  if (!address.isValid()) {
    return;
  }
  const auto ip = address.bytes();
  out.append(reinterpret_cast<const char*>(ip.data()), ip.size());
  out.push_back(static_cast<char>(address.port() >> 8));
  out.push_back(static_cast<char>(address.port() & 0xff));
}

std::optional<loop::SocketAddress> parseCompactPeer(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (bytes.size() == kCompactPeerV4) {
    std::array<std::uint8_t, 4> ip;
    std::memcpy(ip.data(), data, ip.size());
    return loop::SocketAddress::v4(ip, static_cast<std::uint16_t>((data[4] << 8) | data[5]));
  }
  if (bytes.size() == kCompactPeerV6) {
    std::array<std::uint8_t, 16> ip;
    std::memcpy(ip.data(), data, ip.size());
    return loop::SocketAddress::v6(ip, static_cast<std::uint16_t>((data[16] << 8) | data[17]));
  }
  return std::nullopt;
}

std::optional<loop::SocketAddress> usablePeer(const loop::SocketAddress& peer) {
  if (!peer.isValid() || peer.port() == 0 || peer.isUnspecified()) {
    return std::nullopt;
  }
  const auto ip = peer.bytes();
  if (peer.isV4()) {
    if (ip[0] >= 224 && ip[0] < 240) {
      return std::nullopt;  // multicast
    }
    return peer;
  }
  if (ip[0] == 0xff) {
    return std::nullopt;  // multicast
  }
  constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), ip.begin())) {
    auto v4 = loop::SocketAddress::v4({ip[12], ip[13], ip[14], ip[15]}, peer.port());
    return usablePeer(v4);
  }
  return peer;
}

void appendCompactNode(std::string& out, const NodeEntry& node) {
  if (!node.address.isValid()) {
    return;
  }
  out.append(node.id.view());
  appendCompactPeer(out, node.address);
}

std::optional<std::vector<NodeEntry>> parseCompactNodes(std::string_view bytes, bool v6) {
  const std::size_t size = v6 ? kCompactNodeV6 : kCompactNodeV4;
  if (bytes.size() % size != 0) {
    return std::nullopt;
  }
  std::vector<NodeEntry> out;
  out.reserve(bytes.size() / size);
  for (std::size_t at = 0; at < bytes.size(); at += size) {
    auto id = NodeId::fromBytes(bytes.substr(at, NodeId::kSize));
    auto address = parseCompactPeer(bytes.substr(at + NodeId::kSize, size - NodeId::kSize));
    if (id && address && address->port() != 0) {
      out.push_back({*id, *address});
    }
  }
  return out;
}

}  // namespace tributary::dht
