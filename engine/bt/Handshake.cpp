#include "engine/bt/Handshake.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace tributary::bt {

namespace {

constexpr std::string_view kProtocolPrefix =
    "\x13"
    "BitTorrent protocol";
static_assert(kProtocolPrefix.size() == 20);

}  // namespace

ReservedBits ReservedBits::ours(bool dhtEnabled) noexcept {
  ReservedBits bits;
  bits.setExtensionProtocol(true);
  bits.setFastExtension(true);
  bits.setDht(dhtEnabled);
  return bits;
}

std::array<std::byte, kHandshakeSize> encodeHandshake(const Handshake& handshake) {
  std::array<std::byte, kHandshakeSize> out{};
  std::memcpy(out.data(), kProtocolPrefix.data(), kProtocolPrefix.size());
  std::memcpy(out.data() + 20, handshake.reserved.bytes.data(), 8);
  std::memcpy(out.data() + 28, handshake.infoHash.data(), 20);
  std::memcpy(out.data() + 48, handshake.peerId.data(), 20);
  return out;
}

void appendHandshake(std::vector<std::byte>& out, const Handshake& handshake) {
  const auto bytes = encodeHandshake(handshake);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

HandshakeReader::Step HandshakeReader::feed(std::span<const std::byte> bytes) {
  if (failed_) {
    return {Status::Error, 0, error_};
  }
  const std::size_t before = filled_;
  const std::size_t take = std::min(bytes.size(), kHandshakeSize - filled_);
  if (take > 0) {
    std::memcpy(buffer_.data() + filled_, bytes.data(), take);
    filled_ += take;
  }

  // Check the protocol string byte by byte, so garbage fails at once.
  const std::size_t prefixEnd = std::min(filled_, kProtocolPrefix.size());
  for (std::size_t i = std::min(before, prefixEnd); i < prefixEnd; ++i) {
    if (buffer_[i] != static_cast<std::byte>(kProtocolPrefix[i])) {
      failed_ = true;
      error_ = PeerWireError::BadProtocolString;
      return {Status::Error, take, error_};
    }
  }
  if (before < kHandshakeInfoHashEnd && filled_ >= kHandshakeInfoHashEnd) {
    std::memcpy(handshake_.reserved.bytes.data(), buffer_.data() + 20, 8);
    std::memcpy(handshake_.infoHash.data(), buffer_.data() + 28, 20);
    if (expected_ && *expected_ != handshake_.infoHash) {
      failed_ = true;
      error_ = PeerWireError::InfoHashMismatch;
      return {Status::Error, take, error_};
    }
  }
  if (filled_ < kHandshakeSize) {
    return {Status::NeedMore, take, PeerWireError::None};
  }
  if (before < kHandshakeSize) {
    std::memcpy(handshake_.peerId.data(), buffer_.data() + 48, 20);
  }
  return {Status::Complete, take, PeerWireError::None};
}

}  // namespace tributary::bt
