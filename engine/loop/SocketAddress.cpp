#include "engine/loop/SocketAddress.h"

#include <uv.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace tributary::loop {
namespace {

// Longer than any IPv6 literal with a zone ("ffff:...:255.255.255.255%" + IF_NAMESIZE).
constexpr std::size_t kMaxLiteral = 64;

bool isAllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <class Int>
std::optional<Int> parseNumber(std::string_view s) {
  if (!isAllDigits(s)) {
    return std::nullopt;
  }
  Int value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint32_t> parseZone(std::string_view zone, std::string_view literal) {
  if (zone.empty()) {
    return std::nullopt;
  }
  if (isAllDigits(zone)) {
    return parseNumber<std::uint32_t>(zone);
  }
  // An interface name: let libuv look it up (if_nametoindex); 0 means unknown.
  char text[kMaxLiteral + 1];
  std::memcpy(text, literal.data(), literal.size());
  text[literal.size()] = '\0';
  sockaddr_in6 sin6{};
  if (uv_ip6_addr(text, 0, &sin6) != 0 || sin6.sin6_scope_id == 0) {
    return std::nullopt;
  }
  return sin6.sin6_scope_id;
}

}  // namespace

SocketAddress SocketAddress::v4(const std::array<std::uint8_t, 4>& bytes, std::uint16_t port) {
  SocketAddress a;
  a.family_ = Family::V4;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  a.port_ = port;
  return a;
}

SocketAddress SocketAddress::v6(const std::array<std::uint8_t, 16>& bytes, std::uint16_t port,
                                std::uint32_t scopeId) {
  SocketAddress a;
  a.family_ = Family::V6;
  a.bytes_ = bytes;
  a.scopeId_ = scopeId;
  a.port_ = port;
  return a;
}

SocketAddress SocketAddress::loopbackV6(std::uint16_t port) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[15] = 1;
  return v6(bytes, port);
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view ip, std::uint16_t port) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') {
    ip = ip.substr(1, ip.size() - 2);
    if (ip.find(':') == std::string_view::npos) {
      return std::nullopt;  // brackets are for IPv6 only
    }
  }
  if (ip.empty() || ip.size() > kMaxLiteral) {
    return std::nullopt;
  }
  char text[kMaxLiteral + 1];
  if (ip.find(':') == std::string_view::npos) {
    std::memcpy(text, ip.data(), ip.size());
    text[ip.size()] = '\0';
    std::array<std::uint8_t, 4> bytes{};
    if (uv_inet_pton(AF_INET, text, bytes.data()) != 0) {
      return std::nullopt;
    }
    return v4(bytes, port);
  }
  const std::size_t percent = ip.find('%');
  const std::string_view address = ip.substr(0, percent);
  std::memcpy(text, address.data(), address.size());
  text[address.size()] = '\0';
  std::array<std::uint8_t, 16> bytes{};
  if (uv_inet_pton(AF_INET6, text, bytes.data()) != 0) {
    return std::nullopt;
  }
  std::uint32_t scope = 0;
  if (percent != std::string_view::npos) {
    const auto zone = parseZone(ip.substr(percent + 1), ip);
    if (!zone) {
      return std::nullopt;
    }
    scope = *zone;
  }
  return v6(bytes, port, scope);
}

std::optional<SocketAddress> SocketAddress::parseWithPort(std::string_view text) {
  std::string_view host;
  std::string_view portText;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    host = text.substr(0, close + 1);
    portText = text.substr(close + 2);
  } else {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
      return std::nullopt;  // no port, or an IPv6 literal without brackets
    }
    host = text.substr(0, colon);
    portText = text.substr(colon + 1);
  }
  const auto port = parseNumber<std::uint16_t>(portText);
  if (!port || portText.size() > 5) {
    return std::nullopt;
  }
  return parse(host, *port);
}

std::optional<SocketAddress> SocketAddress::fromSockaddr(const sockaddr* address) {
  if (address == nullptr) {
    return std::nullopt;
  }
  if (address->sa_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, address, sizeof sin);
    std::array<std::uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &sin.sin_addr, 4);
    return v4(bytes, ntohs(sin.sin_port));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, address, sizeof sin6);
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &sin6.sin6_addr, 16);
    return v6(bytes, ntohs(sin6.sin6_port), sin6.sin6_scope_id);
  }
  return std::nullopt;
}

std::size_t SocketAddress::toSockaddr(sockaddr_storage* out) const {
  std::memset(out, 0, sizeof *out);
  if (family_ == Family::V4) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port_);
    std::memcpy(&sin.sin_addr, bytes_.data(), 4);
    std::memcpy(out, &sin, sizeof sin);
    return sizeof sin;
  }
  if (family_ == Family::V6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port_);
    sin6.sin6_scope_id = scopeId_;
    std::memcpy(&sin6.sin6_addr, bytes_.data(), 16);
    std::memcpy(out, &sin6, sizeof sin6);
    return sizeof sin6;
  }
  return 0;
}

std::span<const std::uint8_t> SocketAddress::bytes() const {
  switch (family_) {
    case Family::V4:
      return {bytes_.data(), 4};
    case Family::V6:
      return {bytes_.data(), 16};
    case Family::Unspecified:
      break;
  }
  return {};
}

bool SocketAddress::isLoopback() const {
  if (family_ == Family::V4) {
    return bytes_[0] == 127;
  }
  if (family_ == Family::V6) {
    return std::all_of(bytes_.begin(), bytes_.end() - 1, [](std::uint8_t b) { return b == 0; }) &&
           bytes_[15] == 1;
  }
  return false;
}

bool SocketAddress::isUnspecified() const {
  const auto b = bytes();
  return isValid() && std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

std::string SocketAddress::ipString() const {
  char text[kMaxLiteral] = {};  // INET6_ADDRSTRLEN is 46
  if (family_ == Family::V4) {
    uv_inet_ntop(AF_INET, bytes_.data(), text, sizeof text);
    return text;
  }
  if (family_ == Family::V6) {
    uv_inet_ntop(AF_INET6, bytes_.data(), text, sizeof text);
    std::string out = text;
    if (scopeId_ != 0) {
      out += '%';
      out += std::to_string(scopeId_);
    }
    return out;
  }
  return {};
}

std::string SocketAddress::toString() const {
  if (family_ == Family::V4) {
    return ipString() + ':' + std::to_string(port_);
  }
  if (family_ == Family::V6) {
    return '[' + ipString() + "]:" + std::to_string(port_);
  }
  return {};
}

std::size_t SocketAddress::hash() const {
  // FNV-1a over what operator== compares.
  std::uint64_t h = 14695981039346656037ull;
  const auto mix = [&h](std::uint8_t byte) {
    h ^= byte;
    h *= 1099511628211ull;
  };
  mix(static_cast<std::uint8_t>(family_));
  for (std::uint8_t b : bytes_) {
    mix(b);
  }
  for (int shift = 0; shift < 32; shift += 8) {
    mix(static_cast<std::uint8_t>(scopeId_ >> shift));
  }
  mix(static_cast<std::uint8_t>(port_ >> 8));
  mix(static_cast<std::uint8_t>(port_));
  return static_cast<std::size_t>(h);
}

}  // namespace tributary::loop
