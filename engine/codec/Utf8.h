// Internal: strict UTF-8 (RFC 3629) checks for names that come off the network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::codec {

// Decodes the code point at text[pos] and advances pos past it. Returns -1 (and
// advances by one byte) for an invalid sequence: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate or a value above U+10FFFF.
std::int32_t decodeUtf8(std::string_view text, std::size_t& pos) noexcept;

// Appends the UTF-8 form of a valid code point.
void appendUtf8(std::string& out, std::int32_t codePoint);

bool isValidUtf8(std::string_view text) noexcept;

// Untrusted text made fit to show and log: valid UTF-8 (invalid sequences
// become U+FFFD), control characters dropped, cut at a character boundary
// to at most maxBytes.
std::string printableUtf8(std::string_view text, std::size_t maxBytes);

// ISO-8859-1 bytes as UTF-8: every byte is the code point of the same value.
std::string latin1ToUtf8(std::string_view text);

}  // namespace tributary::codec
