// Internal: parsers for the response header values the downloader acts on. Each
// takes one field value (already bounded by the ResponseParser limits) and returns
// nullopt for anything malformed rather than guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/codec/Url.h"
#include "engine/http/ContentDisposition.h"
#include "engine/http/FileName.h"
#include "engine/http/ResponseHead.h"
#include "engine/http/SetCookie.h"

namespace tributary::http {

// Content-Range (RFC 9110 §14.4): "bytes first-last/complete", "bytes first-last/*",
// or, on a 416, "bytes */complete".
struct ContentRange {
  bool unsatisfied = false;  // the "*/complete" form: no range, just the size
  std::uint64_t first = 0;
  std::uint64_t last = 0;                       // inclusive
  std::optional<std::uint64_t> completeLength;  // nullopt for "/*"

  std::uint64_t length() const noexcept { return unsatisfied ? 0 : last - first + 1; }
  friend bool operator==(const ContentRange&, const ContentRange&) = default;
};
// Refuses first > last and last >= complete length: a server that sends those is
// not describing the bytes it sends.
std::optional<ContentRange> parseContentRange(std::string_view value);

// ETag (RFC 9110 §8.8.3). `tag` is kept exactly as sent, quotes included, so an
// If-Range echoes the server's own spelling; an unquoted tag (a common server bug)
// is accepted as it is.
struct EntityTag {
  bool weak = false;
  std::string tag;  // "\"abc\"" for ETag: W/"abc"

  std::string toString() const { return weak ? "W/" + tag : tag; }
  // The strong comparison of §8.8.3.2: both strong and byte-identical.
  bool strongMatch(const EntityTag& other) const noexcept {
    return !weak && !other.weak && tag == other.tag;
  }
  friend bool operator==(const EntityTag&, const EntityTag&) = default;
};
std::optional<EntityTag> parseEntityTag(std::string_view value);

// What tells the downloader whether a resumed resource is still the same one.
struct ResourceValidators {
  std::optional<EntityTag> etag;
  std::string lastModified;  // kept as text, compared as text, never parsed

  // The If-Range value (RFC 9110 §13.1.5): a strong ETag, else Last-Modified, else
  // nothing, since a weak tag never satisfies If-Range.
  std::optional<std::string> ifRange() const;
  friend bool operator==(const ResourceValidators&, const ResourceValidators&) = default;
};
ResourceValidators validatorsFromHead(const ResponseHead& head);

enum class AcceptRanges : std::uint8_t {
  Unspecified,  // absent or only unknown range units
  Bytes,
  None,
};
AcceptRanges parseAcceptRanges(std::string_view value);

// Location (RFC 9110 §10.2.2): a URI reference resolved against the request URL.
std::optional<codec::Url> parseLocation(const codec::Url& requestUrl, std::string_view value,
                                        codec::UrlParseError& error);

}  // namespace tributary::http
