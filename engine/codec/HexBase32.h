// Internal: hex (RFC 4648 §8) and base32 (RFC 4648 §6) for info-hashes in magnet
// links, tracker URLs and logs. Decoders take untrusted text and never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::codec {

// Lower-case hex, two characters a byte.
std::string hexEncode(std::span<const std::uint8_t> bytes);
// Either case; nullopt for an odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> hexDecode(std::string_view text);
// Decodes exactly out.size() bytes (text must be 2 * out.size() characters long);
// false, with out unspecified, otherwise. Fits fixed-size hashes without allocating.
bool hexDecode(std::string_view text, std::span<std::uint8_t> out);

// Upper-case RFC 4648 alphabet (A-Z 2-7); '=' padding to a multiple of 8 when asked.
std::string base32Encode(std::span<const std::uint8_t> bytes, bool pad = false);
// Either case, padding optional. Refuses impossible lengths (1, 3 or 6 characters
// past a multiple of 8), characters outside the alphabet, padding in the middle and
// non-zero leftover bits, so each byte string has exactly one accepted spelling
// (up to case and padding).
std::optional<std::vector<std::uint8_t>> base32Decode(std::string_view text);
// Decodes into exactly out.size() bytes; false when the text holds any other amount.
bool base32Decode(std::string_view text, std::span<std::uint8_t> out);

}  // namespace tributary::codec
