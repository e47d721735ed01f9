#include "engine/http/ResponseHead.h"

#include "engine/http/HttpText.h"

namespace tributary::http {

const std::string* ResponseHead::find(std::string_view name) const {
  for (const HeaderField& field : fields) {
    if (equalsIgnoreCase(field.name, name)) {
      return &field.value;
    }
  }
  return nullptr;
}

std::vector<std::string_view> ResponseHead::findAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const HeaderField& field : fields) {
    if (equalsIgnoreCase(field.name, name)) {
      values.emplace_back(field.value);
    }
  }
  return values;
}

bool ResponseHead::hasToken(std::string_view name, std::string_view token) const {
  bool found = false;
  for (const HeaderField& field : fields) {
    if (equalsIgnoreCase(field.name, name)) {
      forEachListElement(field.value, [&](std::string_view element) {
        found = found || equalsIgnoreCase(element, token);
      });
    }
  }
  return found;
}

std::optional<std::uint64_t> parseContentLength(std::string_view value, ParseError& error) {
  std::optional<std::uint64_t> agreed;
  bool bad = false;
  bool conflicting = false;
  bool sawElement = false;
  // Empty list elements ("42,") are not a number: a value with any is refused whole.
  std::string_view rest = value;
  while (!bad) {
    const std::size_t comma = rest.find(',');
    const std::string_view element = trimOws(rest.substr(0, comma));
    if (element.empty()) {
      bad = true;
      break;
    }
    std::uint64_t n = 0;
    for (const char c : element) {
      const auto digit = static_cast<std::uint64_t>(c - '0');
      if (!isDigit(c) || n > (UINT64_MAX - digit) / 10) {
        bad = true;
        break;
      }
      n = n * 10 + digit;
    }
    if (!bad) {
      sawElement = true;
      conflicting = conflicting || (agreed && *agreed != n);
      agreed = n;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  if (bad || !sawElement) {
    error = ParseError::BadContentLength;
    return std::nullopt;
  }
  if (conflicting) {
    error = ParseError::ConflictingContentLength;
    return std::nullopt;
  }
  return agreed;
}

ParseError decideFraming(ResponseHead& head, bool headRequest) {
  head.contentLength.reset();
  bool sawContentLength = false;
  for (const HeaderField& field : head.fields) {
    if (!equalsIgnoreCase(field.name, "content-length")) {
      continue;
    }
    ParseError error = ParseError::None;
    const std::optional<std::uint64_t> length = parseContentLength(field.value, error);
    if (!length) {
      return error;
    }
    // Two fields that disagree are the classic response-smuggling vector (§6.3 rule 5).
    if (sawContentLength && *head.contentLength != *length) {
      return ParseError::ConflictingContentLength;
    }
    sawContentLength = true;
    head.contentLength = length;
  }

  const bool noBody = headRequest || head.status < 200 || head.status == 204 || head.status == 304;
  bool sawTransferEncoding = false;
  bool chunkedOnly = true;
  int codings = 0;
  for (const HeaderField& field : head.fields) {
    if (!equalsIgnoreCase(field.name, "transfer-encoding")) {
      continue;
    }
    sawTransferEncoding = true;
    forEachListElement(field.value, [&](std::string_view coding) {
      ++codings;
      chunkedOnly = chunkedOnly && equalsIgnoreCase(coding, "chunked");
    });
  }

  const bool http11 = head.versionMajor == 1 && head.versionMinor >= 1;
  head.keepAlive =
      http11 ? !head.hasToken("connection", "close") : head.hasToken("connection", "keep-alive");

  if (sawTransferEncoding) {
    // We ask for identity and cannot undo gzip & co; a coding list other than
    // exactly "chunked" would hand compressed or unframed bytes to the file.
    if ((codings != 1 || !chunkedOnly) && !noBody) {
      return ParseError::UnsupportedTransferEncoding;
    }
    // §6.1 and §6.3 rule 3: chunked overrides Content-Length, but a message carrying
    // both, or chunked in HTTP/1.0, is suspect: use it, then close the connection.
    if (sawContentLength || !http11) {
      head.keepAlive = false;
    }
    head.contentLength.reset();
  }
  if (noBody) {
    head.framing = BodyFraming::None;
  } else if (sawTransferEncoding) {
    head.framing = BodyFraming::Chunked;
  } else if (head.contentLength) {
    head.framing = BodyFraming::Length;
  } else {
    head.framing = BodyFraming::UntilClose;
    head.keepAlive = false;
  }
  return ParseError::None;
}

}  // namespace tributary::http
