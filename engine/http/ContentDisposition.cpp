#include "engine/http/ContentDisposition.h"

#include "engine/codec/PercentEncoding.h"
#include "engine/codec/Utf8.h"
#include "engine/http/HttpText.h"

namespace tributary::http {

namespace {

void skipOws(std::string_view& s) {
  while (!s.empty() && isOws(s.front())) {
    s.remove_prefix(1);
  }
}

void skipPastSemicolon(std::string_view& s) {
  const std::size_t semicolon = s.find(';');
  s.remove_prefix(semicolon == std::string_view::npos ? s.size() : semicolon + 1);
}

// Reads a quoted-string (RFC 9110 §5.6.4) from the front of s, which starts at the
// opening quote. nullopt when it never closes.
std::optional<std::string> takeQuotedString(std::string_view& s) {
  std::string out;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '"') {
      s.remove_prefix(i + 1);
      return out;
    }
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
    }
    out += s[i];
  }
  return std::nullopt;
}

// A parameter value: a quoted-string, or (leniently, since servers send
// `filename=my file.txt`) everything up to the next ';', trimmed.
std::optional<std::string> takeValue(std::string_view& s) {
  if (!s.empty() && s.front() == '"') {
    return takeQuotedString(s);
  }
  const std::size_t semicolon = s.find(';');
  const std::string_view raw = trimOws(s.substr(0, semicolon));
  s.remove_prefix(semicolon == std::string_view::npos ? s.size() : semicolon);
  return std::string(raw);
}

std::string asUtf8(std::string bytes) {
  return codec::isValidUtf8(bytes) ? std::move(bytes) : codec::latin1ToUtf8(bytes);
}

}  // namespace

std::optional<std::string> decodeExtValue(std::string_view value) {
  const std::size_t firstQuote = value.find('\'');
  if (firstQuote == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t secondQuote = value.find('\'', firstQuote + 1);
  if (secondQuote == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view charset = value.substr(0, firstQuote);
  const std::optional<std::string> bytes = codec::percentDecode(value.substr(secondQuote + 1));
  if (!bytes) {
    return std::nullopt;
  }
  if (equalsIgnoreCase(charset, "utf-8")) {
    if (!codec::isValidUtf8(*bytes)) {
      return std::nullopt;
    }
    return bytes;
  }
  if (equalsIgnoreCase(charset, "iso-8859-1")) {
    return codec::latin1ToUtf8(*bytes);
  }
  return std::nullopt;
}

std::optional<ContentDisposition> parseContentDisposition(std::string_view value) {
  std::string_view s = trimOws(value);
  if (s.empty()) {
    return std::nullopt;
  }
  ContentDisposition result;
  const std::string_view first = trimOws(s.substr(0, s.find(';')));
  // `Content-Disposition: filename="x"` (no type) is common enough to accept.
  if (first.find('=') == std::string_view::npos) {
    if (!isToken(first)) {
      return std::nullopt;
    }
    for (const char c : first) {
      result.type += asciiLower(c);
    }
    skipPastSemicolon(s);
  }

  // Every parameter ends at a ';' (or the end); a malformed one is skipped, never
  // allowed to swallow the next, and the first of each name wins (RFC 6266 §4.1).
  while (!s.empty()) {
    skipOws(s);
    std::size_t nameLength = 0;
    while (nameLength < s.size() && isTokenChar(s[nameLength])) {
      ++nameLength;
    }
    const std::string_view name = s.substr(0, nameLength);
    s.remove_prefix(nameLength);
    skipOws(s);
    if (name.empty() || s.empty() || s.front() != '=') {
      skipPastSemicolon(s);
      continue;
    }
    s.remove_prefix(1);
    skipOws(s);
    const std::optional<std::string> parameter = takeValue(s);
    if (!parameter) {
      break;  // an unterminated quote runs to the end: nothing after it is reliable
    }
    skipPastSemicolon(s);
    if (equalsIgnoreCase(name, "filename") && !result.filename) {
      result.filename = asUtf8(*parameter);
    } else if (equalsIgnoreCase(name, "filename*") && !result.filenameExt) {
      result.filenameExt = decodeExtValue(*parameter);
    }
  }
  return result;
}

}  // namespace tributary::http
