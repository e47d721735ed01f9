// Internal: CRC-32 (IEEE 802.3, the zlib/PNG one) to detect damage in state
// files. Not a defence against tampering, only against torn or flipped bytes:
// it catches every error burst of up to 32 bits, so any single damaged byte.
#pragma once

#include <cstdint>
#include <string_view>

namespace tributary::storage {

// Continues `crc` (0 to start) over `data`: crc32(a + b) == crc32(b, crc32(a)).
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0) noexcept;

}  // namespace tributary::storage
