// Internal: why the HTTP response parser refused its input.
#pragma once

#include <cstdint>
#include <string_view>

namespace tributary::http {

enum class ParseError : std::uint8_t {
  None = 0,
  HeadTooLarge,                 // status line + fields over ResponseLimits::maxHeadBytes
  TooManyHeaders,               // over ResponseLimits::maxHeaderCount (fields or trailers)
  LineTooLong,                  // one line over ResponseLimits::maxLineLength
  BadStatusLine,                // not "HTTP/x.y NNN reason"
  BadVersion,                   // not HTTP/1.x
  BadStatus,                    // a status code outside 100..599
  UnexpectedUpgrade,            // 101 Switching Protocols: we never ask to upgrade
  TooManyInterimResponses,      // an endless train of 1xx
  BadHeaderName,                // empty, non-token, or whitespace before ':'
  BadHeaderValue,               // NUL, CR or another control character in a value
  ObsoleteLineFolding,          // a line starting with SP/HTAB (RFC 9112 §5.2)
  BadContentLength,             // not 1*DIGIT, or beyond 2^64-1
  ConflictingContentLength,     // two different values
  UnsupportedTransferEncoding,  // anything but exactly "chunked"
  BadChunkSize,                 // not 1*HEXDIG [BWS] [";" ext]
  ChunkSizeOverflow,            // beyond 2^64-1
  BadChunkExtension,            // a control character in a chunk extension
  BadChunkTerminator,           // chunk data not followed by CRLF
  TrailerTooLarge,              // trailer section over ResponseLimits::maxTrailerBytes
  UnexpectedEof,                // the stream ended before the message did
};

// A stable name ("conflicting_content_length") for logs and Error details.
std::string_view parseErrorName(ParseError error) noexcept;

}  // namespace tributary::http
