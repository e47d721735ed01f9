// Internal: a parsed HTTP/1.x response head and the body framing it implies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/ParseError.h"

namespace tributary::http {

struct HeaderField {
  std::string name;   // as received; compare with equalsIgnoreCase
  std::string value;  // leading and trailing whitespace removed
};

// How the body that follows a head is delimited (RFC 9112 §6.3).
enum class BodyFraming : std::uint8_t {
  None,        // HEAD request, 1xx, 204, 304: the message ends with its head
  Length,      // Content-Length bytes
  Chunked,     // Transfer-Encoding: chunked
  UntilClose,  // neither: the body runs until the server closes the connection
};

struct ResponseHead {
  int versionMajor = 1;
  int versionMinor = 1;
  int status = 0;
  std::string reason;
  std::vector<HeaderField> fields;  // in order of arrival, duplicates kept

  // Set by decideFraming().
  BodyFraming framing = BodyFraming::None;
  // The agreed Content-Length, also for HEAD and 304 responses where it describes
  // the resource; reset when Transfer-Encoding overrides it.
  std::optional<std::uint64_t> contentLength;
  bool keepAlive = false;  // the connection may carry the next request

  // The first field of that name, or nullptr. Singleton fields (Location, ETag...)
  // that a server sends twice are taken from their first occurrence.
  const std::string* find(std::string_view name) const;
  std::vector<std::string_view> findAll(std::string_view name) const;
  // Whether the comma-separated list in all fields of that name (e.g. Connection)
  // holds token, compared case-insensitively.
  bool hasToken(std::string_view name, std::string_view token) const;
};

// Parses a Content-Length value: 1*DIGIT, or a list of identical ones ("42, 42",
// RFC 9110 §8.6). nullopt for anything else, with the reason in error.
std::optional<std::uint64_t> parseContentLength(std::string_view value, ParseError& error);

// Fills framing, contentLength and keepAlive from status, version and fields, per
// RFC 9112 §6.3 and §9.3. Returns ParseError::None or why the framing is unusable.
ParseError decideFraming(ResponseHead& head, bool headRequest);

}  // namespace tributary::http
