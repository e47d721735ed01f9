// Internal: absolute http/https URLs (RFC 3986) and relative references resolved
// against them (§5.2), as the HTTP downloader needs them for requests and redirects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/codec/PercentEncoding.h"

namespace tributary::codec {

enum class UrlError : std::uint8_t {
  Ok = 0,
  Empty,
  TooLong,
  BadCharacter,       // a control character (CR, LF, NUL...) inside the URL
  BadScheme,          // not `scheme "://"`
  UnsupportedScheme,  // a well-formed scheme other than http/https
  UserinfoNotAllowed,
  MissingHost,
  BadHost,
  BadIpv6,
  BadPort,
};

// A stable name ("bad_port") for logs and Error details.
std::string_view urlErrorName(UrlError code) noexcept;

struct UrlParseError {
  UrlError code = UrlError::Ok;
  std::size_t position = 0;  // offset in the (untrimmed) input where the problem was found
};

struct UrlLimits {
  std::size_t maxLength = 8 * 1024;  // what common servers accept in a request line
  bool allowUserinfo = true;         // "user:pass@" is split off, or rejected when false
};

// A parsed absolute URL in a normal form: lower-case scheme and host, a port always
// set, a path starting with '/' with its dot segments removed, no fragment. Path,
// query and userinfo stay percent-encoded as given; only bytes that cannot travel
// in a request line (space, non-ASCII, <">...) are encoded, and a '%' that does not
// start an escape becomes "%25".
struct Url {
  std::string scheme;                // "http" or "https"
  std::string userinfo;              // "user:password" as given, empty when absent
  std::string host;                  // an IPv6 literal without its brackets
  std::uint16_t port = 0;            // the scheme's default when the URL names none
  std::string path = "/";            // never empty
  std::optional<std::string> query;  // without the '?'; nullopt when there was no '?'

  bool isHttps() const noexcept { return scheme == "https"; }
  bool isIpv6Literal() const noexcept;
  bool hasDefaultPort() const noexcept;

  // The Host header value: host, bracketed if IPv6, with ":port" when not the default.
  std::string hostHeader() const;
  // path[?query]: the request-target of an origin-form request line.
  std::string requestTarget() const;
  // scheme://[userinfo@]host[:port]path[?query]; parseUrl(toString()) == *this.
  std::string toString(bool withUserinfo = true) const;

  friend bool operator==(const Url&, const Url&) = default;
};

// 80 for http, 443 for https, 0 otherwise.
std::uint16_t defaultPort(std::string_view scheme) noexcept;

// Parses an absolute http(s) URL. Leading and trailing whitespace is ignored.
std::optional<Url> parseUrl(std::string_view text, UrlParseError& error,
                            const UrlLimits& limits = {});
// The same, with an InvalidArgument Error carrying the error name and position.
Result<Url> parseUrl(std::string_view text, const UrlLimits& limits = {});

// Resolves a URI reference (a Location header: "https://h/x", "//h/x", "/abs", "rel",
// "?q", "../..", "") against base, RFC 3986 §5.2. The result must be http(s).
std::optional<Url> resolveUrl(const Url& base, std::string_view reference, UrlParseError& error,
                              const UrlLimits& limits = {});

// RFC 3986 §5.2.4: "/a/b/../c/./d" -> "/a/c/d".
std::string removeDotSegments(std::string_view path);

// The last path segment, percent-decoded (bytes as sent, not checked as UTF-8);
// empty when the path ends with '/'. Callers sanitise it before using it as a name.
std::string fileNameFromUrl(const Url& url);

// Internal to the two Url*.cpp files: encodes the bytes a request line cannot carry.
std::string normalizeUrlComponent(std::string_view component);

}  // namespace tributary::codec
