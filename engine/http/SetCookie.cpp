#include "engine/http/SetCookie.h"

#include "engine/http/HttpText.h"

namespace tributary::http {

namespace {

// RFC 6265bis §5.6: a cookie with %x00-08 / %x0A-1F / %x7F anywhere is dropped.
bool hasForbiddenControl(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7F) {
      return true;
    }
  }
  return false;
}

// Max-Age (RFC 6265 §5.2.2): an optional '-' then digits; anything else is ignored.
// Values past int64 saturate rather than wrap.
std::optional<std::int64_t> parseMaxAge(std::string_view s) {
  const bool negative = s.starts_with('-');
  if (negative) {
    s.remove_prefix(1);
  }
  if (s.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char c : s) {
    if (!isDigit(c)) {
      return std::nullopt;
    }
    if (value < (INT64_MAX - 9) / 10) {
      value = value * 10 + (c - '0');
    } else {
      value = INT64_MAX;
    }
  }
  return negative ? (value == 0 ? 0 : -value) : value;
}

std::string lowerCase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    out += asciiLower(c);
  }
  return out;
}

void applyAttribute(SetCookie& cookie, std::string_view name, std::string_view value) {
  // Later attributes of the same name override earlier ones (§5.3 step 11 uses the last).
  if (equalsIgnoreCase(name, "expires")) {
    if (!value.empty()) {
      cookie.expires = std::string(value);
    }
  } else if (equalsIgnoreCase(name, "max-age")) {
    if (const std::optional<std::int64_t> maxAge = parseMaxAge(value)) {
      cookie.maxAge = maxAge;
    }
  } else if (equalsIgnoreCase(name, "domain")) {
    if (value.starts_with('.')) {
      value.remove_prefix(1);
    }
    if (!value.empty()) {
      cookie.domain = lowerCase(value);
    }
  } else if (equalsIgnoreCase(name, "path")) {
    // §5.2.4: a path not starting with '/' means "use the default path".
    if (value.starts_with('/')) {
      cookie.path = std::string(value);
    } else {
      cookie.path.reset();
    }
  } else if (equalsIgnoreCase(name, "secure")) {
    cookie.secure = true;
  } else if (equalsIgnoreCase(name, "httponly")) {
    cookie.httpOnly = true;
  } else if (equalsIgnoreCase(name, "samesite")) {
    cookie.sameSite = std::string(value);
  }
}

}  // namespace

std::optional<SetCookie> parseSetCookie(std::string_view value, std::size_t maxBytes) {
  if (value.size() > maxBytes || hasForbiddenControl(value)) {
    return std::nullopt;
  }
  const std::size_t semicolon = value.find(';');
  const std::string_view pair = value.substr(0, semicolon);
  const std::size_t equals = pair.find('=');
  if (equals == std::string_view::npos) {
    return std::nullopt;
  }
  SetCookie cookie;
  cookie.name = std::string(trimOws(pair.substr(0, equals)));
  cookie.value = std::string(trimOws(pair.substr(equals + 1)));
  if (cookie.name.empty()) {
    return std::nullopt;
  }
  std::string_view attributes =
      semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
  while (!attributes.empty()) {
    const std::size_t next = attributes.find(';');
    const std::string_view attribute = attributes.substr(0, next);
    attributes.remove_prefix(next == std::string_view::npos ? attributes.size() : next + 1);
    const std::size_t eq = attribute.find('=');
    const std::string_view name = trimOws(attribute.substr(0, eq));
    const std::string_view attributeValue =
        eq == std::string_view::npos ? std::string_view() : trimOws(attribute.substr(eq + 1));
    applyAttribute(cookie, name, attributeValue);
  }
  return cookie;
}

}  // namespace tributary::http
