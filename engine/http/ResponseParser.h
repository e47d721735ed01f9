// Internal: an incremental HTTP/1.1 response parser (RFC 9112) for bytes straight
// off a socket. It buffers only the head and the chunk-size lines; body bytes are
// handed out as spans into the caller's data, so they can go to disk uncopied.
//
//   for (;;) {
//     const auto r = parser.feed(data);
//     data = data.subspan(r.consumed);
//     switch (r.event) {
//       case Event::NeedMore: return;                 // wait for the next read
//       case Event::HeadReady: inspect(parser.head()); continue;
//       case Event::Body: write(r.body); continue;
//       case Event::Done: ...;  // data may still hold the start of the next message
//       case Event::Error: fail(parser.error(), parser.errorOffset());
//     }
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/ParseError.h"
#include "engine/http/ResponseHead.h"

namespace tributary::http {

struct ResponseLimits {
  std::size_t maxHeadBytes = 64 * 1024;     // status line + fields + line ends, per head
  std::size_t maxHeaderCount = 100;         // per head, and again for the trailers
  std::size_t maxLineLength = 16 * 1024;    // one field line or chunk-size line
  std::size_t maxTrailerBytes = 16 * 1024;  // the whole trailer section
  std::size_t maxInterimResponses = 16;     // 1xx heads skipped before the final one
};

class ResponseParser {
 public:
  enum class Event : std::uint8_t {
    NeedMore,   // all of data consumed, the message is not over
    HeadReady,  // head() holds the final (non-1xx) head
    Body,       // body holds decoded body bytes, a span into the fed data
    Done,       // the message is complete; bytes after `consumed` are not its
    Error,      // see error() and errorOffset(); the parser stays in this state
  };

  struct FeedResult {
    Event event = Event::NeedMore;
    std::size_t consumed = 0;    // bytes of the fed data used up by this call
    std::span<const char> body;  // Event::Body only
  };

  explicit ResponseParser(ResponseLimits limits = {});

  // Forgets the current message and expects a new response, on the same connection
  // or a fresh one. A response to HEAD has no body whatever its head says.
  void reset(bool headRequest = false);

  // Consumes data up to the next event. Call again with the rest of the data (even
  // when empty: a message that ends exactly at the data's end reports Done then).
  FeedResult feed(std::span<const char> data);

  // The peer closed the connection: Done for a body delimited by the close (or a
  // message already complete), Error(UnexpectedEof) for anything cut short.
  FeedResult finish();

  const ResponseHead& head() const noexcept { return head_; }
  const std::vector<HeaderField>& trailers() const noexcept { return trailers_; }
  ParseError error() const noexcept { return error_; }
  // Offset of the offending byte counted from the first byte fed since reset().
  std::uint64_t errorOffset() const noexcept { return errorOffset_; }
  // Bytes consumed since reset(), head and framing included.
  std::uint64_t offset() const noexcept { return offset_; }
  // Decoded body bytes handed out since reset().
  std::uint64_t bodyBytes() const noexcept { return bodyBytes_; }
  bool headReady() const noexcept { return headReady_; }
  bool done() const noexcept { return state_ == State::Done; }

 private:
  enum class State : std::uint8_t {
    StatusLine,
    FieldLine,
    BodyLength,
    BodyUntilClose,
    ChunkSize,
    ChunkData,
    ChunkDataCr,
    ChunkDataLf,
    Trailer,
    Done,
    Error,
  };

  enum class LineStatus : std::uint8_t { Complete, Partial, Failed };

  LineStatus readLine(std::span<const char> data, std::size_t& pos, std::size_t budget,
                      ParseError overBudget);
  bool onStatusLine(std::string_view line);
  bool onFieldLine(std::string_view line, std::vector<HeaderField>& into);
  bool onHeadEnd();
  bool onChunkSizeLine(std::string_view line);
  FeedResult takeBody(std::span<const char> data, std::size_t pos, std::uint64_t limit);
  FeedResult result(Event event, std::size_t consumed, std::span<const char> body = {});
  bool fail(ParseError error, std::uint64_t offset);

  ResponseLimits limits_;
  bool headRequest_ = false;
  bool headReady_ = false;
  State state_ = State::StatusLine;
  ResponseHead head_;
  std::vector<HeaderField> trailers_;
  std::string line_;              // the current line, without its end
  std::uint64_t lineStart_ = 0;   // stream offset of line_[0]
  std::uint64_t offset_ = 0;      // stream offset of the next byte fed
  std::size_t sectionBytes_ = 0;  // bytes of the current head or trailer section
  std::size_t interimCount_ = 0;
  std::uint64_t remaining_ = 0;  // of the Content-Length body or the current chunk
  std::uint64_t bodyBytes_ = 0;
  ParseError error_ = ParseError::None;
  std::uint64_t errorOffset_ = 0;
};

}  // namespace tributary::http
