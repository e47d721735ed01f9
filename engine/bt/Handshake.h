// Internal: the BEP 3 handshake, the first 68 bytes each side sends:
//
//   <19><"BitTorrent protocol"><8 reserved bytes><20-byte info-hash><20-byte peer id>
//
// Reserved bits we know: BEP 10 extension protocol (byte 5, 0x10), BEP 6 fast
// extension (byte 7, 0x04), BEP 5 DHT (byte 7, 0x01). Unknown bits are kept so
// the peer list can show them, and never echoed.
//
// The reader is incremental and validates as bytes arrive, so a peer speaking
// another protocol is dropped on its first wrong byte. It reports the info-hash
// as soon as the first 48 bytes are in: an accepting side must pick the torrent
// (and may answer) before the peer id arrives, which some clients wait for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/bt/PeerId.h"
#include "engine/bt/PeerWireError.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

inline constexpr std::size_t kHandshakeSize = 68;
inline constexpr std::size_t kHandshakeInfoHashEnd = 48;  // bytes up to the end of the info-hash

struct ReservedBits {
  std::array<std::byte, 8> bytes{};

  bool extensionProtocol() const noexcept { return has(5, 0x10); }
  bool fastExtension() const noexcept { return has(7, 0x04); }
  bool dht() const noexcept { return has(7, 0x01); }
  void setExtensionProtocol(bool on) noexcept { put(5, 0x10, on); }
  void setFastExtension(bool on) noexcept { put(7, 0x04, on); }
  void setDht(bool on) noexcept { put(7, 0x01, on); }

  // What we advertise: extension protocol and fast extension, DHT when enabled.
  static ReservedBits ours(bool dhtEnabled) noexcept;

  friend bool operator==(const ReservedBits&, const ReservedBits&) = default;

 private:
  bool has(std::size_t byte, unsigned mask) const noexcept {
    return (static_cast<unsigned>(bytes[byte]) & mask) != 0;
  }
  void put(std::size_t byte, unsigned mask, bool on) noexcept {
    const auto value = static_cast<unsigned>(bytes[byte]);
    bytes[byte] = static_cast<std::byte>(on ? (value | mask) : (value & ~mask));
  }
};

struct MseStreams;

struct Handshake {
  ReservedBits reserved;
  util::Sha1::Digest infoHash{};
  PeerId peerId{};
  // Not on the wire: set by the listener when an incoming peer came over MSE
  // with RC4 chosen, so the connection that takes over goes on with the ciphers.
  std::shared_ptr<MseStreams> encryption;

  friend bool operator==(const Handshake&, const Handshake&) = default;
};

std::array<std::byte, kHandshakeSize> encodeHandshake(const Handshake& handshake);
void appendHandshake(std::vector<std::byte>& out, const Handshake& handshake);

class HandshakeReader {
 public:
  enum class Status : std::uint8_t { NeedMore, Complete, Error };

  struct Step {
    Status status = Status::NeedMore;
    std::size_t consumed = 0;  // bytes of this feed() taken; the rest are peer messages
    PeerWireError error = PeerWireError::None;
  };

  // With an expected info-hash (an outgoing connection), a different one is an error.
  explicit HandshakeReader(std::optional<util::Sha1::Digest> expectedInfoHash = std::nullopt)
      : expected_(expectedInfoHash) {}

  // Takes at most what the handshake still needs. After Complete or Error,
  // further feeds consume nothing and repeat the status.
  Step feed(std::span<const std::byte> bytes);

  bool infoHashReady() const noexcept { return filled_ >= kHandshakeInfoHashEnd && !failed_; }
  bool complete() const noexcept { return filled_ == kHandshakeSize && !failed_; }
  // Fields are valid once infoHashReady() (reserved, infoHash) or complete() (peerId).
  const Handshake& handshake() const noexcept { return handshake_; }

 private:
  std::array<std::byte, kHandshakeSize> buffer_{};
  std::size_t filled_ = 0;
  bool failed_ = false;
  PeerWireError error_ = PeerWireError::None;
  std::optional<util::Sha1::Digest> expected_;
  Handshake handshake_;
};

}  // namespace tributary::bt
