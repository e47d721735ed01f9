#include "engine/bt/TrackerUrl.h"

#include <cctype>

#include "engine/codec/IpLiteral.h"

namespace tributary::bt {

namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

bool isHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

std::optional<std::uint16_t> parsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

TrackerScheme trackerSchemeOf(std::string_view url) noexcept {
  if (startsWithNoCase(url, "http://")) {
    return TrackerScheme::Http;
  }
  if (startsWithNoCase(url, "https://")) {
    return TrackerScheme::Https;
  }
  if (startsWithNoCase(url, "udp://")) {
    return TrackerScheme::Udp;
  }
  return TrackerScheme::Unsupported;
}

std::optional<UdpTrackerUrl> parseUdpTrackerUrl(std::string_view url) {
  constexpr std::size_t kMaxUrl = 4096;
  if (!startsWithNoCase(url, "udp://") || url.size() > kMaxUrl) {
    return std::nullopt;
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return std::nullopt;
    }
  }
  std::string_view rest = url.substr(6);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const std::size_t authorityEnd = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authorityEnd);
  UdpTrackerUrl out;
  if (authorityEnd != std::string_view::npos) {
    out.urlData = std::string(rest.substr(authorityEnd));
  }
  if (authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close + 1 >= authority.size() ||
        authority[close + 1] != ':') {
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    port = authority.substr(close + 2);
    if (!codec::isIpv6Literal(host)) {
      return std::nullopt;
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    constexpr std::size_t kMaxHostName = 253;
    if (host.empty() || host.size() > kMaxHostName) {
      return std::nullopt;
    }
    for (const char c : host) {
      if (!isHostNameChar(c)) {
        return std::nullopt;
      }
    }
  }
  const std::optional<std::uint16_t> portValue = parsePort(port);
  if (!portValue) {
    return std::nullopt;
  }
  out.host = std::string(host);
  for (char& c : out.host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  out.port = *portValue;
  return out;
}

}  // namespace tributary::bt
