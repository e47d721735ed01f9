// Internal: a 160-bit DHT node id (BEP 5), also used for info-hashes, which
// live in the same key space. Distance is XOR, compared as a big-endian number.
// Ids are random (BEP 42 secure ids are not enforced by the nodes we meet).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

class NodeId {
 public:
  static constexpr std::size_t kSize = 20;
  static constexpr int kBits = 160;
  using Bytes = std::array<std::uint8_t, kSize>;

  NodeId() = default;  // all zero
  explicit NodeId(const Bytes& bytes) : bytes_(bytes) {}

  // Exactly kSize bytes, else nullopt.
  static std::optional<NodeId> fromBytes(std::string_view bytes);
  static std::optional<NodeId> fromBytes(std::span<const std::byte> bytes);
  // 40 hex digits, either case.
  static std::optional<NodeId> fromHex(std::string_view hex);
  static NodeId random();
  // A random id sharing exactly `prefixBits` leading bits with `base` (the bit
  // after them flipped, the rest random): a target inside one routing bucket.
  // prefixBits >= kBits gives `base` itself.
  static NodeId randomWithPrefix(const NodeId& base, int prefixBits);

  const Bytes& bytes() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  std::string toHex() const;

  NodeId distance(const NodeId& other) const;  // XOR
  // Leading bits in common, 0..160 (160 = equal).
  int commonPrefixBits(const NodeId& other) const;
  bool bit(int index) const;  // 0 = most significant

  friend auto operator<=>(const NodeId&, const NodeId&) = default;
  friend bool operator==(const NodeId&, const NodeId&) = default;

 private:
  Bytes bytes_{};
};

using InfoHash = NodeId;

// Whether `a` is strictly closer to `target` than `b` by XOR distance.
bool closerTo(const NodeId& target, const NodeId& a, const NodeId& b);

// A node as the DHT passes it around: its id and UDP endpoint (IPv4 or IPv6).
struct NodeEntry {
  NodeId id;
  loop::SocketAddress address;
  friend bool operator==(const NodeEntry&, const NodeEntry&) = default;
};

}  // namespace tributary::dht

template <>
struct std::hash<tributary::dht::NodeId> {
  std::size_t operator()(const tributary::dht::NodeId& id) const noexcept {
    // Ids are uniformly random (or SHA-1 output): any 8 bytes hash well.
    std::size_t h = 0;
    for (std::size_t i = 0; i < sizeof(h); ++i) {
      h = (h << 8) | id.bytes()[i];
    }
    return h;
  }
};
