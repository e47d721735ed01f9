// Internal: the head of an HTTP/1.1 GET or HEAD request for the downloader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/codec/Url.h"

namespace tributary::http {

enum class RequestMethod : std::uint8_t { Get, Head };

// "bytes=first-last" (last inclusive) or, without last, "bytes=first-".
struct ByteRange {
  std::uint64_t first = 0;
  std::optional<std::uint64_t> last;
};

struct RequestOptions {
  RequestMethod method = RequestMethod::Get;
  std::optional<ByteRange> range;
  std::string ifRange;    // sent only with a range; see ResourceValidators::ifRange()
  std::string userAgent;  // omitted when empty
  std::string referer;
  std::string cookie;     // a ready "a=b; c=d" line from the cookie jar
  bool keepAlive = true;  // false sends "Connection: close"
  std::vector<std::pair<std::string, std::string>> extraFields;  // e.g. Authorization
};

// Writes "GET /path?q HTTP/1.1\r\nHost: ...\r\n...\r\n\r\n". Always asks for
// "Accept-Encoding: identity": the bytes on the wire must be the bytes of the file,
// or ranges and resume offsets would mean nothing. Refuses (InvalidArgument) a
// value holding CR, LF or NUL, or a field name that is not a token, since either
// would let one option inject headers or a second request.
Result<std::string> writeRequestHead(const codec::Url& url, const RequestOptions& options);

}  // namespace tributary::http
