// Internal: Set-Cookie (RFC 6265 §5.2), parsed only; storing and matching cookies
// belongs to whoever keeps the cookie jar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::http {

struct SetCookie {
  std::string name;
  std::string value;                   // as sent, quotes included if any
  std::optional<std::string> domain;   // lower-case, leading '.' removed
  std::optional<std::string> path;     // only a path starting with '/'
  std::optional<std::string> expires;  // the date text as sent
  std::optional<std::int64_t> maxAge;  // seconds; <= 0 means "delete now"
  bool secure = false;
  bool httpOnly = false;
  std::optional<std::string> sameSite;
};

// RFC 6265 §6.1 asks user agents to support at least 4096 bytes a cookie; larger
// ones are ignored, as browsers do. nullopt also for a missing '=', an empty name or
// control characters (RFC 6265bis §5.6).
std::optional<SetCookie> parseSetCookie(std::string_view value, std::size_t maxBytes = 4096);

}  // namespace tributary::http
