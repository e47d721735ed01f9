// Internal: an IPv4 or IPv6 address with a port, as a plain value (no libuv
// or socket types in this header, so every layer above engine/loop can keep
// and compare peers' addresses). Parsing accepts IP literals only: names go
// through Resolver.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sockaddr;
struct sockaddr_storage;

namespace tributary::loop {

class SocketAddress {
 public:
  enum class Family : std::uint8_t { Unspecified, V4, V6 };

  SocketAddress() = default;  // Unspecified: isValid() is false

  static SocketAddress v4(const std::array<std::uint8_t, 4>& bytes, std::uint16_t port);
  static SocketAddress v6(const std::array<std::uint8_t, 16>& bytes, std::uint16_t port,
                          std::uint32_t scopeId = 0);
  static SocketAddress loopbackV4(std::uint16_t port) { return v4({127, 0, 0, 1}, port); }
  static SocketAddress loopbackV6(std::uint16_t port);
  static SocketAddress anyV4(std::uint16_t port) { return v4({0, 0, 0, 0}, port); }
  static SocketAddress anyV6(std::uint16_t port) { return v6({}, port); }

  // An IP literal: "1.2.3.4", "::1", "[::1]", "fe80::1%3" (numeric zone) or
  // "fe80::1%eth0". Strict: no host names, no short IPv4 forms ("127.1"), no port.
  static std::optional<SocketAddress> parse(std::string_view ip, std::uint16_t port = 0);
  // "1.2.3.4:80" or "[::1]:80" (an IPv6 literal needs its brackets here).
  static std::optional<SocketAddress> parseWithPort(std::string_view text);

  // engine/loop internals: conversion from and to the OS form. fromSockaddr
  // takes AF_INET and AF_INET6 only. toSockaddr returns the length to pass
  // to bind/connect, 0 for an Unspecified address.
  static std::optional<SocketAddress> fromSockaddr(const sockaddr* address);
  std::size_t toSockaddr(sockaddr_storage* out) const;

  Family family() const { return family_; }
  bool isValid() const { return family_ != Family::Unspecified; }
  bool isV4() const { return family_ == Family::V4; }
  bool isV6() const { return family_ == Family::V6; }

  std::uint16_t port() const { return port_; }
  void setPort(std::uint16_t port) { port_ = port; }
  SocketAddress withPort(std::uint16_t port) const {
    SocketAddress copy = *this;
    copy.port_ = port;
    return copy;
  }

  // Network byte order: 4 bytes for V4, 16 for V6, none when Unspecified.
  std::span<const std::uint8_t> bytes() const;
  std::uint32_t scopeId() const { return scopeId_; }

  bool isLoopback() const;     // 127.0.0.0/8 or ::1
  bool isUnspecified() const;  // 0.0.0.0 or :: (the "any" address)

  // "1.2.3.4", "::1", "fe80::1%3"; "" when Unspecified.
  std::string ipString() const;
  // "1.2.3.4:80", "[::1]:80"; "" when Unspecified.
  std::string toString() const;

  std::size_t hash() const;
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
  friend auto operator<=>(const SocketAddress&, const SocketAddress&) = default;

 private:
  // Declared first so <=> orders by family, then address, then port.
  Family family_ = Family::Unspecified;
  std::array<std::uint8_t, 16> bytes_{};  // V4 uses the first four
  std::uint32_t scopeId_ = 0;
  std::uint16_t port_ = 0;
};

}  // namespace tributary::loop

template <>
struct std::hash<tributary::loop::SocketAddress> {
  std::size_t operator()(const tributary::loop::SocketAddress& a) const noexcept {
    return a.hash();
  }
};
