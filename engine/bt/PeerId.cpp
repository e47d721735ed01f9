#include "engine/bt/PeerId.h"

#include <algorithm>
#include <random>

namespace tributary::bt {

namespace {

constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static_assert(kUrlSafe.size() == 64);

}  // namespace

PeerId generatePeerId(std::string_view prefix) {
  PeerId id{};
  const std::size_t fixed = std::min(prefix.size(), id.size());
  for (std::size_t i = 0; i < fixed; ++i) {
    id[i] = static_cast<std::byte>(prefix[i]);
  }
  // std::random_device reads the kernel's CSPRNG on Linux, macOS and Windows;
  // a peer id needs to be unpredictable only enough not to collide.
  std::random_device device;
  for (std::size_t i = fixed; i < id.size(); ++i) {
    id[i] = static_cast<std::byte>(kUrlSafe[device() % kUrlSafe.size()]);
  }
  return id;
}

PeerId peerIdFromString(std::string_view text) {
  PeerId id{};
  const std::size_t n = std::min(text.size(), id.size());
  for (std::size_t i = 0; i < n; ++i) {
    id[i] = static_cast<std::byte>(text[i]);
  }
  return id;
}

std::string_view peerIdView(const PeerId& id) noexcept {
  return {reinterpret_cast<const char*>(id.data()), id.size()};
}

std::string printablePeerIdPrefix(const PeerId& id, std::size_t bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const std::size_t n = std::min(bytes, id.size());
  out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (c >= 0x20 && c < 0x7F && c != '%') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace tributary::bt
