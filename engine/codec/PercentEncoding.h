// Internal: RFC 3986 percent-encoding (§2.1) of URL components.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary::codec {

// Decodes every "%XY"; nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view text);

// Decodes every well-formed "%XY" and keeps malformed escapes as they are, the way
// browsers show a URL: used where a best-effort name beats no name at all.
std::string percentDecodeLenient(std::string_view text);

// Encodes every byte but the RFC 3986 unreserved set (ALPHA DIGIT "-" "." "_" "~"):
// safe for any component, e.g. a binary info-hash in a tracker query.
std::string percentEncode(std::string_view bytes);

// 0..15 for a hex digit of either case, -1 otherwise.
int hexDigitValue(char c) noexcept;

}  // namespace tributary::codec
