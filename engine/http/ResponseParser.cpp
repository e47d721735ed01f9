#include "engine/http/ResponseParser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "engine/codec/PercentEncoding.h"
#include "engine/http/HttpText.h"

namespace tributary::http {

ResponseParser::ResponseParser(ResponseLimits limits) : limits_(limits) {}

void ResponseParser::reset(bool headRequest) {
  headRequest_ = headRequest;
  headReady_ = false;
  state_ = State::StatusLine;
  head_ = {};
  trailers_.clear();
  line_.clear();
  lineStart_ = 0;
  offset_ = 0;
  sectionBytes_ = 0;
  interimCount_ = 0;
  remaining_ = 0;
  bodyBytes_ = 0;
  error_ = ParseError::None;
  errorOffset_ = 0;
}

ResponseParser::FeedResult ResponseParser::result(Event event, std::size_t consumed,
                                                  std::span<const char> body) {
  offset_ += consumed;
  return {event, consumed, body};
}

bool ResponseParser::fail(ParseError error, std::uint64_t offset) {
  state_ = State::Error;
  error_ = error;
  errorOffset_ = offset;
  return false;
}

// Appends data up to and including the next LF to line_, within the line limit and
// the section's byte budget. On Complete, line_ holds the line without CRLF or LF
// (a bare LF ends a line too, RFC 9112 §2.2); a stray CR stays and is refused later.
// Limit errors are reported at the first byte past the limit, whichever limit is hit
// first, so the same input fails at the same offset however it was split.
ResponseParser::LineStatus ResponseParser::readLine(std::span<const char> data, std::size_t& pos,
                                                    std::size_t budget, ParseError overBudget) {
  const char* begin = data.data() + pos;
  const std::size_t available = data.size() - pos;
  const void* lf = available > 0 ? std::memchr(begin, '\n', available) : nullptr;
  const std::size_t take = lf != nullptr
                               ? static_cast<std::size_t>(static_cast<const char*>(lf) - begin) + 1
                               : available;
  if (take == 0) {
    return LineStatus::Partial;
  }
  const std::uint64_t here = offset_ + pos;
  if (line_.empty()) {
    lineStart_ = here;
  }

  // Content excludes the LF and a CR before it; a CR that ends the data so far may
  // still turn out to be that CR, so it does not count yet either.
  std::size_t content = line_.size() + take - (lf != nullptr ? 1 : 0);
  const char last = (lf != nullptr)
                        ? (take >= 2 ? begin[take - 2] : (line_.empty() ? '\0' : line_.back()))
                        : begin[take - 1];
  if (content > 0 && last == '\r') {
    --content;
  }
  bool failed = false;
  ParseError error = ParseError::None;
  std::uint64_t errorAt = 0;
  if (sectionBytes_ + take > budget) {
    failed = true;
    error = overBudget;
    errorAt = here + (budget - sectionBytes_);
  }
  if (content > limits_.maxLineLength) {
    const std::uint64_t at = lineStart_ + limits_.maxLineLength;
    if (!failed || at < errorAt) {
      failed = true;
      error = ParseError::LineTooLong;
      errorAt = at;
    }
  }
  if (failed) {
    fail(error, errorAt);
    return LineStatus::Failed;
  }

  line_.append(begin, take);
  pos += take;
  sectionBytes_ += take;
  if (lf == nullptr) {
    return LineStatus::Partial;
  }
  line_.pop_back();
  if (!line_.empty() && line_.back() == '\r') {
    line_.pop_back();
  }
  return LineStatus::Complete;
}

bool ResponseParser::onStatusLine(std::string_view line) {
  // RFC 9112 §2.2: blank lines before a message are tolerated (some servers add
  // one after a body); they count against maxHeadBytes like any other head byte.
  if (line.empty()) {
    return true;
  }
  if (line.size() < 12 || !line.starts_with("HTTP/") || !isDigit(line[5]) || line[6] != '.' ||
      !isDigit(line[7]) || line[8] != ' ') {
    return fail(ParseError::BadStatusLine, lineStart_);
  }
  if (line[5] != '1') {
    return fail(ParseError::BadVersion, lineStart_ + 5);
  }
  for (std::size_t i = 9; i < 12; ++i) {
    if (!isDigit(line[i])) {
      return fail(ParseError::BadStatusLine, lineStart_ + i);
    }
  }
  const int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (status < 100 || status > 599) {
    return fail(ParseError::BadStatus, lineStart_ + 9);
  }
  std::string_view reason;
  if (line.size() > 12) {
    if (line[12] != ' ') {
      return fail(ParseError::BadStatusLine, lineStart_ + 12);
    }
    reason = line.substr(13);
    for (std::size_t i = 0; i < reason.size(); ++i) {
      if (!isFieldValueChar(reason[i])) {
        return fail(ParseError::BadStatusLine, lineStart_ + 13 + i);
      }
    }
  }
  head_.versionMajor = 1;
  head_.versionMinor = line[7] - '0';
  head_.status = status;
  head_.reason.assign(reason);
  state_ = State::FieldLine;
  return true;
}

bool ResponseParser::onFieldLine(std::string_view line, std::vector<HeaderField>& into) {
  // Folding was how header injection hid for decades; RFC 9112 §5.2 lets us refuse it.
  if (isOws(line.front())) {
    return fail(ParseError::ObsoleteLineFolding, lineStart_);
  }
  std::size_t colon = 0;
  while (colon < line.size() && line[colon] != ':') {
    if (!isTokenChar(line[colon])) {
      return fail(ParseError::BadHeaderName, lineStart_ + colon);
    }
    ++colon;
  }
  if (colon == 0 || colon == line.size()) {
    return fail(ParseError::BadHeaderName, lineStart_ + colon);
  }
  const std::string_view value = trimOws(line.substr(colon + 1));
  const std::size_t valueStart = static_cast<std::size_t>(value.data() - line.data());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!isFieldValueChar(value[i])) {
      return fail(ParseError::BadHeaderValue, lineStart_ + valueStart + i);
    }
  }
  if (into.size() >= limits_.maxHeaderCount) {
    return fail(ParseError::TooManyHeaders, lineStart_);
  }
  into.push_back({std::string(line.substr(0, colon)), std::string(value)});
  return true;
}

bool ResponseParser::onHeadEnd() {
  if (head_.status < 200) {
    if (head_.status == 101) {
      return fail(ParseError::UnexpectedUpgrade, lineStart_);
    }
    if (++interimCount_ > limits_.maxInterimResponses) {
      return fail(ParseError::TooManyInterimResponses, lineStart_);
    }
    // 100 Continue, 103 Early Hints...: informational only, the real head follows.
    head_ = {};
    sectionBytes_ = 0;
    state_ = State::StatusLine;
    return true;
  }
  const ParseError error = decideFraming(head_, headRequest_);
  if (error != ParseError::None) {
    return fail(error, lineStart_);
  }
  headReady_ = true;
  sectionBytes_ = 0;
  switch (head_.framing) {
    case BodyFraming::None:
      state_ = State::Done;
      break;
    case BodyFraming::Length:
      remaining_ = *head_.contentLength;
      state_ = remaining_ > 0 ? State::BodyLength : State::Done;
      break;
    case BodyFraming::Chunked:
      state_ = State::ChunkSize;
      break;
    case BodyFraming::UntilClose:
      state_ = State::BodyUntilClose;
      break;
  }
  return true;
}

bool ResponseParser::onChunkSizeLine(std::string_view line) {
  std::uint64_t size = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    const int digit = codec::hexDigitValue(line[i]);
    if (digit < 0) {
      break;
    }
    if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
      return fail(ParseError::ChunkSizeOverflow, lineStart_ + i);
    }
    size = (size << 4) | static_cast<std::uint64_t>(digit);
  }
  if (i == 0) {
    return fail(ParseError::BadChunkSize, lineStart_);
  }
  while (i < line.size() && isOws(line[i])) {
    ++i;
  }
  if (i < line.size()) {
    if (line[i] != ';') {
      return fail(ParseError::BadChunkSize, lineStart_ + i);
    }
    // Extensions carry nothing we use; they only must not smuggle control bytes.
    for (; i < line.size(); ++i) {
      if (!isFieldValueChar(line[i])) {
        return fail(ParseError::BadChunkExtension, lineStart_ + i);
      }
    }
  }
  if (size == 0) {
    sectionBytes_ = 0;  // maxTrailerBytes counts the trailer section alone
    trailers_.clear();
    state_ = State::Trailer;
  } else {
    remaining_ = size;
    state_ = State::ChunkData;
  }
  return true;
}

ResponseParser::FeedResult ResponseParser::takeBody(std::span<const char> data, std::size_t pos,
                                                    std::uint64_t limit) {
  const std::size_t n = static_cast<std::size_t>(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(data.size() - pos), limit));
  bodyBytes_ += n;
  if (state_ != State::BodyUntilClose) {
    remaining_ -= n;
    if (remaining_ == 0) {
      state_ = state_ == State::BodyLength ? State::Done : State::ChunkDataCr;
    }
  }
  return result(Event::Body, pos + n, data.subspan(pos, n));
}

ResponseParser::FeedResult ResponseParser::feed(std::span<const char> data) {
  std::size_t pos = 0;
  for (;;) {
    switch (state_) {
      case State::Error:
        return result(Event::Error, pos);
      case State::Done:
        return result(Event::Done, pos);
      case State::StatusLine:
      case State::FieldLine: {
        const LineStatus status =
            readLine(data, pos, limits_.maxHeadBytes, ParseError::HeadTooLarge);
        if (status != LineStatus::Complete) {
          return result(status == LineStatus::Partial ? Event::NeedMore : Event::Error, pos);
        }
        const bool ok = state_ == State::StatusLine ? onStatusLine(line_)
                        : line_.empty()             ? onHeadEnd()
                                                    : onFieldLine(line_, head_.fields);
        line_.clear();
        if (!ok) {
          return result(Event::Error, pos);
        }
        if (headReady_) {
          return result(Event::HeadReady, pos);
        }
        break;
      }
      case State::ChunkSize:
      case State::Trailer: {
        const bool trailer = state_ == State::Trailer;
        if (line_.empty() && !trailer) {
          sectionBytes_ = 0;  // each chunk-size line is bounded by maxLineLength alone
        }
        const LineStatus status =
            trailer ? readLine(data, pos, limits_.maxTrailerBytes, ParseError::TrailerTooLarge)
                    : readLine(data, pos, std::numeric_limits<std::size_t>::max(),
                               ParseError::LineTooLong);
        if (status != LineStatus::Complete) {
          return result(status == LineStatus::Partial ? Event::NeedMore : Event::Error, pos);
        }
        bool ok = true;
        if (!trailer) {
          ok = onChunkSizeLine(line_);
        } else if (line_.empty()) {
          state_ = State::Done;
        } else {
          ok = onFieldLine(line_, trailers_);
        }
        line_.clear();
        if (!ok) {
          return result(Event::Error, pos);
        }
        break;
      }
      case State::BodyLength:
      case State::ChunkData:
        if (pos == data.size()) {
          return result(Event::NeedMore, pos);
        }
        return takeBody(data, pos, remaining_);
      case State::BodyUntilClose:
        if (pos == data.size()) {
          return result(Event::NeedMore, pos);
        }
        return takeBody(data, pos, std::numeric_limits<std::uint64_t>::max());
      case State::ChunkDataCr:
      case State::ChunkDataLf: {
        if (pos == data.size()) {
          return result(Event::NeedMore, pos);
        }
        const char c = data[pos];
        if (c == '\n') {
          state_ = State::ChunkSize;
        } else if (c == '\r' && state_ == State::ChunkDataCr) {
          state_ = State::ChunkDataLf;
        } else {
          fail(ParseError::BadChunkTerminator, offset_ + pos);
          return result(Event::Error, pos);
        }
        ++pos;
        break;
      }
    }
  }
}

ResponseParser::FeedResult ResponseParser::finish() {
  switch (state_) {
    case State::Done:
      return result(Event::Done, 0);
    case State::BodyUntilClose:
      state_ = State::Done;
      return result(Event::Done, 0);
    case State::Error:
      return result(Event::Error, 0);
    default:
      fail(ParseError::UnexpectedEof, offset_);
      return result(Event::Error, 0);
  }
}

}  // namespace tributary::http
