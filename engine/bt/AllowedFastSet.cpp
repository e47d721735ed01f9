#include "engine/bt/AllowedFastSet.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace tributary::bt {

std::vector<std::uint32_t> allowedFastSet(std::span<const std::uint8_t, 4> ipv4,
                                          const util::Sha1::Digest& infoHash,
                                          std::uint32_t pieceCount, std::uint32_t count) {
  std::vector<std::uint32_t> set;
  count = std::min(count, pieceCount);
  if (count == 0) {
    return set;
  }
  // x = (ip & 0xFFFFFF00) || infohash; then x = SHA1(x), 5 indices a round.
  std::array<std::byte, 24> seed{};
  for (std::size_t i = 0; i < 3; ++i) {
    seed[i] = std::byte{ipv4[i]};
  }
  std::memcpy(seed.data() + 4, infoHash.data(), infoHash.size());
  util::Sha1::Digest x = util::sha1(seed);
  while (true) {
    for (std::size_t i = 0; i < 5; ++i) {
      const std::uint32_t y = (std::to_integer<std::uint32_t>(x[i * 4]) << 24) |
                              (std::to_integer<std::uint32_t>(x[i * 4 + 1]) << 16) |
                              (std::to_integer<std::uint32_t>(x[i * 4 + 2]) << 8) |
                              std::to_integer<std::uint32_t>(x[i * 4 + 3]);
      const std::uint32_t index = y % pieceCount;
      if (std::find(set.begin(), set.end(), index) == set.end()) {
        set.push_back(index);
        if (set.size() == count) {
          return set;
        }
      }
    }
    x = util::sha1(x);
  }
}

}  // namespace tributary::bt
