// Internal: announce tokens (BEP 5). A token is SHA-1 over the requester's IP
// and a secret, cut to kTokenSize bytes; the secret changes every kRotateMs
// and the previous one is still accepted, so a token given in get_peers stays
// good for 5 to 10 minutes and only at the IP it was given to. Nothing is
// stored per requester.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

class TokenStore {
 public:
  static constexpr std::uint64_t kRotateMs = 5 * 60 * 1000;
  static constexpr std::size_t kTokenSize = 8;

  explicit TokenStore(std::uint64_t nowMs);

  std::string tokenFor(const loop::SocketAddress& from, std::uint64_t nowMs);
  bool verify(std::string_view token, const loop::SocketAddress& from, std::uint64_t nowMs);

 private:
  using Secret = std::array<std::uint8_t, 16>;

  static Secret newSecret();
  void rotateIfDue(std::uint64_t nowMs);
  static std::string tokenWith(const Secret& secret, const loop::SocketAddress& from);

  Secret current_;
  Secret previous_;
  std::uint64_t rotatedAtMs_;
};

}  // namespace tributary::dht
