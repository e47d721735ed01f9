#include "engine/bt/TrackerCompactPeers.h"

#include <array>
#include <cstdint>

namespace tributary::bt {

bool appendCompactPeers(std::span<const std::byte> bytes, loop::SocketAddress::Family family,
                        std::vector<TrackerPeer>& out) {
  const bool v6 = family == loop::SocketAddress::Family::V6;
  const std::size_t stride = v6 ? kCompactPeerV6Bytes : kCompactPeerV4Bytes;
  if (family == loop::SocketAddress::Family::Unspecified || bytes.size() % stride != 0) {
    return false;
  }
  out.reserve(out.size() + bytes.size() / stride);
  for (std::size_t at = 0; at < bytes.size(); at += stride) {
    const std::span<const std::byte> entry = bytes.subspan(at, stride);
    const std::size_t ipBytes = stride - 2;
    const auto port = static_cast<std::uint16_t>((std::to_integer<unsigned>(entry[ipBytes]) << 8) |
                                                 std::to_integer<unsigned>(entry[ipBytes + 1]));
    loop::SocketAddress address;
    if (v6) {
      std::array<std::uint8_t, 16> ip{};
      for (std::size_t i = 0; i < ip.size(); ++i) {
        ip[i] = std::to_integer<std::uint8_t>(entry[i]);
      }
      address = loop::SocketAddress::v6(ip, port);
    } else {
      std::array<std::uint8_t, 4> ip{};
      for (std::size_t i = 0; i < ip.size(); ++i) {
        ip[i] = std::to_integer<std::uint8_t>(entry[i]);
      }
      address = loop::SocketAddress::v4(ip, port);
    }
    if (port == 0 || address.isUnspecified()) {
      continue;
    }
    out.push_back(TrackerPeer{address, std::nullopt});
  }
  return true;
}

std::vector<std::byte> encodeCompactPeer(const loop::SocketAddress& address) {
  std::vector<std::byte> out;
  for (const std::uint8_t b : address.bytes()) {
    out.push_back(static_cast<std::byte>(b));
  }
  out.push_back(static_cast<std::byte>(address.port() >> 8));
  out.push_back(static_cast<std::byte>(address.port() & 0xff));
  return out;
}

}  // namespace tributary::bt
