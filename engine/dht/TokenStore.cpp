#include "engine/dht/TokenStore.h"

#include <random>

#include "engine/util/Sha.h"

namespace tributary::dht {

TokenStore::TokenStore(std::uint64_t nowMs)
    : current_(newSecret()), previous_(newSecret()), rotatedAtMs_(nowMs) {}

TokenStore::Secret TokenStore::newSecret() {
  // random_device reads the OS's CSPRNG on the platforms we build for.
  std::random_device device;
  Secret out;
  for (std::size_t i = 0; i < out.size(); i += 4) {
    const std::uint32_t word = device();
    for (std::size_t j = 0; j < 4; ++j) {
      out[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
    }
  }
  return out;
}

void TokenStore::rotateIfDue(std::uint64_t nowMs) {
  if (nowMs - rotatedAtMs_ < kRotateMs) {
    return;
  }
  // After two periods or more without a call, both secrets are stale.
  previous_ = nowMs - rotatedAtMs_ >= 2 * kRotateMs ? newSecret() : current_;
  current_ = newSecret();
  rotatedAtMs_ = nowMs;
}

std::string TokenStore::tokenWith(const Secret& secret, const loop::SocketAddress& from) {
  util::Sha1 sha;
  sha.update(std::as_bytes(from.bytes()));
  sha.update(std::as_bytes(std::span(secret)));
  const auto digest = sha.finish();
  return {reinterpret_cast<const char*>(digest.data()), kTokenSize};
}

std::string TokenStore::tokenFor(const loop::SocketAddress& from, std::uint64_t nowMs) {
  rotateIfDue(nowMs);
  return tokenWith(current_, from);
}

bool TokenStore::verify(std::string_view token, const loop::SocketAddress& from,
                        std::uint64_t nowMs) {
  rotateIfDue(nowMs);
  return token.size() == kTokenSize &&
         (token == tokenWith(current_, from) || token == tokenWith(previous_, from));
}

}  // namespace tributary::dht
