#include "engine/dht/NodeId.h"

#include <bit>
#include <cstring>
#include <random>

#include "engine/codec/HexBase32.h"

namespace tributary::dht {
namespace {

std::mt19937_64& generator() {
  // Seeded from the OS once per thread: ids and transaction ids need to be
  // unpredictable enough not to collide, not cryptographic (tokens use SHA-1
  // over a random_device secret, see TokenStore).
  thread_local std::mt19937_64 gen{(static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                   std::random_device{}()};
  return gen;
}

}  // namespace

std::optional<NodeId> NodeId::fromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) {
    return std::nullopt;
  }
  Bytes out;
  std::memcpy(out.data(), bytes.data(), kSize);
  return NodeId(out);
}

std::optional<NodeId> NodeId::fromBytes(std::span<const std::byte> bytes) {
  return fromBytes(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<NodeId> NodeId::fromHex(std::string_view hex) {
  Bytes out;
  if (!codec::hexDecode(hex, std::span<std::uint8_t>(out))) {
    return std::nullopt;
  }
  return NodeId(out);
}

NodeId NodeId::random() {
  Bytes out;
  auto& gen = generator();
  for (std::size_t i = 0; i < kSize; i += 8) {
    const std::uint64_t word = gen();
    std::memcpy(out.data() + i, &word, std::min<std::size_t>(8, kSize - i));
  }
  return NodeId(out);
}

NodeId NodeId::randomWithPrefix(const NodeId& base, int prefixBits) {
  if (prefixBits >= kBits) {
    return base;
  }
  NodeId out = random();
  for (int i = 0; i <= prefixBits; ++i) {
    const auto mask = static_cast<std::uint8_t>(0x80u >> (i % 8));
    const bool want = i < prefixBits ? base.bit(i) : !base.bit(i);
    auto& byte = out.bytes_[static_cast<std::size_t>(i / 8)];
    byte = static_cast<std::uint8_t>(want ? (byte | mask) : (byte & ~mask));
  }
  return out;
}

std::string NodeId::toHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(kSize * 2);
  for (std::uint8_t b : bytes_) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

NodeId NodeId::distance(const NodeId& other) const {
  Bytes out;
  for (std::size_t i = 0; i < kSize; ++i) {
    out[i] = static_cast<std::uint8_t>(bytes_[i] ^ other.bytes_[i]);
  }
  return NodeId(out);
}

int NodeId::commonPrefixBits(const NodeId& other) const {
  for (std::size_t i = 0; i < kSize; ++i) {
    const auto x = static_cast<std::uint8_t>(bytes_[i] ^ other.bytes_[i]);
    if (x != 0) {
      return static_cast<int>(i * 8) + std::countl_zero(x);
    }
  }
  return kBits;
}

bool NodeId::bit(int index) const {
  return ((bytes_[static_cast<std::size_t>(index / 8)] >> (7 - index % 8)) & 1) != 0;
}

bool closerTo(const NodeId& target, const NodeId& a, const NodeId& b) {
  for (std::size_t i = 0; i < NodeId::kSize; ++i) {
    const auto da = static_cast<std::uint8_t>(a.bytes()[i] ^ target.bytes()[i]);
    const auto db = static_cast<std::uint8_t>(b.bytes()[i] ^ target.bytes()[i]);
    if (da != db) {
      return da < db;
    }
  }
  return false;
}

}  // namespace tributary::dht
