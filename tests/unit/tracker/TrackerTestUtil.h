// Helpers for the tracker tests: bytes from text and back, big-endian fields,
// and recognisable info-hashes and peer ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bt/TrackerTypes.h"

namespace tributary::bt::test {

inline std::vector<std::byte> bytesOf(std::string_view text) {
  std::vector<std::byte> out(text.size());
  if (!text.empty()) {
    std::memcpy(out.data(), text.data(), text.size());
  }
  return out;
}

inline std::string textOf(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline void putBe(std::vector<std::byte>& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    // Fields wider than 8 bytes (BEP 15's 16-byte addresses) have zero high bytes.
    out.push_back(static_cast<std::byte>(i >= 8 ? 0 : (value >> (8 * i)) & 0xff));
  }
}

inline std::uint64_t getBe(std::span<const std::byte> in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(in[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

// 20 bytes counting up from `first`, so each byte position is recognisable
// (and 0x00, '%', ' ', 0xff all occur when first is chosen to reach them).
inline InfoHashV1 hashFrom(unsigned first) {
  InfoHashV1 out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::byte>((first + i) & 0xff);
  }
  return out;
}

inline PeerId peerIdOf(std::string_view text) {
  PeerId out{};
  std::memcpy(out.data(), text.data(), std::min(text.size(), out.size()));
  return out;
}

}  // namespace tributary::bt::test
