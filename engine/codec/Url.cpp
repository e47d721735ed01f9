#include "engine/codec/Url.h"

#include "engine/codec/IpLiteral.h"

#include <algorithm>

namespace tributary::codec {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr std::size_t kMaxHostLength = 255;  // RFC 1035 name limit, plus a trailing dot

bool isAlpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}
char toLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
bool isControl(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}
bool isTrimmable(char c) noexcept {
  return static_cast<unsigned char>(c) <= 0x20;
}

// Bytes a request line cannot carry, or that servers disagree about (WHATWG's path
// and query percent-encode sets, plus '\' which only browsers treat as '/').
bool needsEncoding(unsigned char c) noexcept {
  if (c <= 0x20 || c >= 0x7F) {
    return true;
  }
  switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
      return true;
    default:
      return false;
  }
}

// Hostname characters: RFC 3986 unreserved. '%' and sub-delims are legal in a
// reg-name but never resolve in DNS, so refusing them early gives a clearer error.
bool isHostChar(char c) noexcept {
  return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool fail(UrlParseError& error, UrlError code, std::size_t position) {
  error = {code, position};
  return false;
}

// Parses "[userinfo@]host[:port]" that starts at `offset` in the original input.
bool parseAuthority(std::string_view authority, std::size_t offset, const UrlLimits& limits,
                    Url& url, UrlParseError& error) {
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    if (!limits.allowUserinfo) {
      return fail(error, UrlError::UserinfoNotAllowed, offset);
    }
    url.userinfo = normalizeUrlComponent(authority.substr(0, at));
    authority.remove_prefix(at + 1);
    offset += at + 1;
  }
  std::string_view portText;
  std::size_t portOffset = 0;
  bool hasPort = false;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return fail(error, UrlError::BadIpv6, offset);
    }
    const std::string_view literal = authority.substr(1, close - 1);
    if (!isIpv6Literal(literal)) {
      return fail(error, UrlError::BadIpv6, offset + 1);
    }
    url.host.assign(literal);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') {
        return fail(error, UrlError::BadHost, offset + close + 1);
      }
      hasPort = true;
      portText = rest.substr(1);
      portOffset = offset + close + 2;
    }
  } else {
    const std::size_t colon = authority.find(':');
    const std::string_view name = authority.substr(0, colon);
    if (name.empty()) {
      return fail(error, UrlError::MissingHost, offset);
    }
    if (name.size() > kMaxHostLength) {
      return fail(error, UrlError::BadHost, offset + kMaxHostLength);
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (!isHostChar(name[i])) {
        return fail(error, UrlError::BadHost, offset + i);
      }
    }
    url.host.assign(name);
    if (colon != std::string_view::npos) {
      hasPort = true;
      portText = authority.substr(colon + 1);
      portOffset = offset + colon + 1;
    }
  }
  for (char& c : url.host) {
    c = toLower(c);
  }
  url.port = defaultPort(url.scheme);
  // RFC 3986 §3.2.3: an empty port ("host:") means the default one.
  if (hasPort && !portText.empty()) {
    std::uint32_t port = 0;
    for (std::size_t i = 0; i < portText.size(); ++i) {
      if (!isDigit(portText[i])) {
        return fail(error, UrlError::BadPort, portOffset + i);
      }
      port = port * 10 + static_cast<std::uint32_t>(portText[i] - '0');
      if (port > 65535) {
        return fail(error, UrlError::BadPort, portOffset + i);
      }
    }
    if (port == 0) {
      return fail(error, UrlError::BadPort, portOffset);
    }
    url.port = static_cast<std::uint16_t>(port);
  }
  return true;
}

}  // namespace

std::string_view urlErrorName(UrlError code) noexcept {
  switch (code) {
    case UrlError::Ok:
      return "ok";
    case UrlError::Empty:
      return "empty";
    case UrlError::TooLong:
      return "too_long";
    case UrlError::BadCharacter:
      return "bad_character";
    case UrlError::BadScheme:
      return "bad_scheme";
    case UrlError::UnsupportedScheme:
      return "unsupported_scheme";
    case UrlError::UserinfoNotAllowed:
      return "userinfo_not_allowed";
    case UrlError::MissingHost:
      return "missing_host";
    case UrlError::BadHost:
      return "bad_host";
    case UrlError::BadIpv6:
      return "bad_ipv6";
    case UrlError::BadPort:
      return "bad_port";
  }
  return "unknown";
}

std::uint16_t defaultPort(std::string_view scheme) noexcept {
  if (scheme == "http") {
    return 80;
  }
  if (scheme == "https") {
    return 443;
  }
  return 0;
}

bool Url::isIpv6Literal() const noexcept {
  return host.find(':') != std::string::npos;
}

bool Url::hasDefaultPort() const noexcept {
  return port == defaultPort(scheme);
}

std::string Url::hostHeader() const {
  std::string out;
  out.reserve(host.size() + 8);
  if (isIpv6Literal()) {
    out += '[';
    out += host;
    out += ']';
  } else {
    out += host;
  }
  if (!hasDefaultPort()) {
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

std::string Url::requestTarget() const {
  if (!query) {
    return path;
  }
  return path + '?' + *query;
}

std::string Url::toString(bool withUserinfo) const {
  std::string out = scheme + "://";
  if (withUserinfo && !userinfo.empty()) {
    out += userinfo;
    out += '@';
  }
  out += hostHeader();
  out += requestTarget();
  return out;
}

std::string normalizeUrlComponent(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (std::size_t i = 0; i < component.size(); ++i) {
    const auto c = static_cast<unsigned char>(component[i]);
    const bool strayPercent =
        c == '%' && (i + 2 >= component.size() || hexDigitValue(component[i + 1]) < 0 ||
                     hexDigitValue(component[i + 2]) < 0);
    if (needsEncoding(c) || strayPercent) {
      out += '%';
      out += kUpperHex[c >> 4];
      out += kUpperHex[c & 0x0F];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<Url> parseUrl(std::string_view text, UrlParseError& error, const UrlLimits& limits) {
  error = {};
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && isTrimmable(text[begin])) {
    ++begin;
  }
  while (end > begin && isTrimmable(text[end - 1])) {
    --end;
  }
  if (begin == end) {
    fail(error, UrlError::Empty, 0);
    return std::nullopt;
  }
  if (end - begin > limits.maxLength) {
    fail(error, UrlError::TooLong, begin + limits.maxLength);
    return std::nullopt;
  }
  const std::string_view s = text.substr(begin, end - begin);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (isControl(s[i])) {
      fail(error, UrlError::BadCharacter, begin + i);
      return std::nullopt;
    }
  }

  Url url;
  std::size_t i = 0;
  while (i < s.size() && (isAlpha(s[i]) || (i > 0 && (isDigit(s[i]) || s[i] == '+' || s[i] == '-' ||
                                                      s[i] == '.')))) {
    ++i;
  }
  if (i == 0 || i == s.size() || s[i] != ':') {
    fail(error, UrlError::BadScheme, begin + i);
    return std::nullopt;
  }
  for (std::size_t k = 0; k < i; ++k) {
    url.scheme += toLower(s[k]);
  }
  if (defaultPort(url.scheme) == 0) {
    fail(error, UrlError::UnsupportedScheme, begin);
    return std::nullopt;
  }
  if (s.substr(i + 1, 2) != "//") {
    fail(error, UrlError::BadScheme, begin + i + 1);
    return std::nullopt;
  }
  i += 3;

  const std::size_t authorityEnd = std::min(s.find_first_of("/?#", i), s.size());
  if (!parseAuthority(s.substr(i, authorityEnd - i), begin + i, limits, url, error)) {
    return std::nullopt;
  }

  std::string_view rest = s.substr(authorityEnd);
  rest = rest.substr(0, rest.find('#'));  // the fragment never goes to the server
  const std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    url.query = normalizeUrlComponent(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  url.path = rest.empty() ? std::string("/") : removeDotSegments(normalizeUrlComponent(rest));
  if (url.path.empty()) {
    url.path = "/";
  }
  return url;
}

Result<Url> parseUrl(std::string_view text, const UrlLimits& limits) {
  UrlParseError error;
  std::optional<Url> url = parseUrl(text, error, limits);
  if (!url) {
    return Error{ErrorCode::InvalidArgument,
                 std::string(urlErrorName(error.code)) + " at " + std::to_string(error.position)};
  }
  return std::move(*url);
}

std::string fileNameFromUrl(const Url& url) {
  const std::size_t slash = url.path.rfind('/');
  const std::string_view last =
      std::string_view(url.path).substr(slash == std::string::npos ? 0 : slash + 1);
  return percentDecodeLenient(last);
}

}  // namespace tributary::codec
