#include "engine/http/HeaderValues.h"

#include "engine/http/HttpText.h"

namespace tributary::http {

namespace {

// Consumes 1*DIGIT from the front of s; false when there is none or it overflows.
bool takeNumber(std::string_view& s, std::uint64_t& out) {
  std::size_t i = 0;
  std::uint64_t n = 0;
  while (i < s.size() && isDigit(s[i])) {
    const auto digit = static_cast<std::uint64_t>(s[i] - '0');
    if (n > (UINT64_MAX - digit) / 10) {
      return false;
    }
    n = n * 10 + digit;
    ++i;
  }
  if (i == 0) {
    return false;
  }
  s.remove_prefix(i);
  out = n;
  return true;
}

bool takeChar(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) {
    return false;
  }
  s.remove_prefix(1);
  return true;
}

// etagc = %x21 / %x23-7E / obs-text; an unquoted tag also may not hold a comma,
// which would make it a list.
bool isEtagChar(char c, bool quoted) {
  const auto u = static_cast<unsigned char>(c);
  if (u == '"' || u < 0x21 || u == 0x7F) {
    return false;
  }
  return quoted || u != ',';
}

}  // namespace

std::optional<ContentRange> parseContentRange(std::string_view value) {
  std::string_view s = trimOws(value);
  if (!startsWithIgnoreCase(s, "bytes") || s.size() < 6 || !isOws(s[5])) {
    return std::nullopt;
  }
  s = trimOws(s.substr(5));
  ContentRange range;
  if (takeChar(s, '*')) {
    range.unsatisfied = true;
  } else {
    if (!takeNumber(s, range.first) || !takeChar(s, '-') || !takeNumber(s, range.last) ||
        range.first > range.last) {
      return std::nullopt;
    }
  }
  if (!takeChar(s, '/')) {
    return std::nullopt;
  }
  if (takeChar(s, '*')) {
    if (range.unsatisfied) {
      return std::nullopt;  // "*/*" says nothing at all
    }
  } else {
    std::uint64_t complete = 0;
    if (!takeNumber(s, complete) || (!range.unsatisfied && range.last >= complete)) {
      return std::nullopt;
    }
    range.completeLength = complete;
  }
  if (!s.empty()) {
    return std::nullopt;
  }
  return range;
}

std::optional<EntityTag> parseEntityTag(std::string_view value) {
  std::string_view s = trimOws(value);
  EntityTag etag;
  if (s.starts_with("W/") || s.starts_with("w/")) {
    etag.weak = true;
    s.remove_prefix(2);
  }
  if (s.empty()) {
    return std::nullopt;
  }
  std::string_view inner = s;
  const bool quoted = s.front() == '"';
  if (quoted) {
    if (s.size() < 2 || s.back() != '"') {
      return std::nullopt;
    }
    inner = s.substr(1, s.size() - 2);
  }
  for (const char c : inner) {
    if (!isEtagChar(c, quoted)) {
      return std::nullopt;
    }
  }
  etag.tag.assign(s);
  return etag;
}

std::optional<std::string> ResourceValidators::ifRange() const {
  if (etag && !etag->weak) {
    return etag->tag;
  }
  if (!lastModified.empty()) {
    return lastModified;
  }
  return std::nullopt;
}

ResourceValidators validatorsFromHead(const ResponseHead& head) {
  ResourceValidators validators;
  if (const std::string* etag = head.find("etag")) {
    validators.etag = parseEntityTag(*etag);
  }
  if (const std::string* lastModified = head.find("last-modified")) {
    validators.lastModified = *lastModified;
  }
  return validators;
}

AcceptRanges parseAcceptRanges(std::string_view value) {
  AcceptRanges result = AcceptRanges::Unspecified;
  forEachListElement(value, [&](std::string_view unit) {
    if (equalsIgnoreCase(unit, "bytes")) {
      result = AcceptRanges::Bytes;
    } else if (equalsIgnoreCase(unit, "none") && result == AcceptRanges::Unspecified) {
      result = AcceptRanges::None;
    }
  });
  return result;
}

std::optional<codec::Url> parseLocation(const codec::Url& requestUrl, std::string_view value,
                                        codec::UrlParseError& error) {
  return codec::resolveUrl(requestUrl, value, error);
}

}  // namespace tributary::http
