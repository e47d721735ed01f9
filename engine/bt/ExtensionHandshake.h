// Internal: the BEP 10 extension handshake, the bencoded dictionary carried by
// extended message 0. It maps extension names to the message ids the sender
// wants to receive them as ("m"), and carries the client name ("v"), listen
// port ("p"), request queue depth ("reqq"), BEP 9 "metadata_size" and the
// address the sender sees us at ("yourip").
//
// Parsing is tolerant of what it does not know and strict about size: an entry
// of the wrong type or out of range is dropped, strings are capped and made
// printable, and only a payload that is not a bencoded dictionary is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bt/PeerWireError.h"

namespace tributary::bt {

// The ids we ask peers to use for the extensions we implement.
inline constexpr std::uint8_t kOurUtMetadataId = 1;
inline constexpr std::uint8_t kOurUtPexId = 2;
inline constexpr std::string_view kUtMetadata = "ut_metadata";
inline constexpr std::string_view kUtPex = "ut_pex";
// The request queue we advertise; PeerProtocolState's flood limit matches it.
inline constexpr std::uint32_t kOurRequestQueue = 500;

struct ExtensionEntry {
  std::string name;
  std::uint8_t id = 0;  // 0: the sender disables the extension (BEP 10)

  friend bool operator==(const ExtensionEntry&, const ExtensionEntry&) = default;
};

struct ExtensionHandshake {
  std::vector<ExtensionEntry> extensions;
  std::string clientName;          // "v"; empty when absent
  std::uint16_t listenPort = 0;    // "p"; 0 when absent
  std::uint32_t requestQueue = 0;  // "reqq"; 0 when absent
  std::uint64_t metadataSize = 0;  // "metadata_size"; 0 when absent (or unknown to us)
  std::vector<std::byte> yourIp;   // "yourip": empty, or 4 / 16 bytes

  // The id for `name`, nullopt when absent or disabled.
  std::optional<std::uint8_t> extensionId(std::string_view name) const noexcept;

  friend bool operator==(const ExtensionHandshake&, const ExtensionHandshake&) = default;
};

// Ours: ut_metadata always, ut_pex when PEX is on, our client name and reqq.
// metadataSize 0 (a magnet before its metadata) leaves metadata_size out;
// peerAddress (4 or 16 bytes, else ignored) becomes "yourip".
ExtensionHandshake makeOurExtensionHandshake(std::uint16_t listenPort, std::uint64_t metadataSize,
                                             std::span<const std::byte> peerAddress,
                                             bool pexEnabled);

// The bencoded payload (the caller frames it with appendExtended(out, 0, ...)).
std::string encodeExtensionHandshake(const ExtensionHandshake& handshake);

struct ExtensionHandshakeLimits {
  std::size_t maxExtensions = 64;       // "m" entries kept
  std::size_t maxNameLength = 64;       // longer extension names are dropped
  std::size_t maxClientNameBytes = 64;  // "v" is cut (at a character boundary) to this
  std::uint32_t maxRequestQueue = 4096;
  std::uint64_t maxMetadataSize = 64ULL * 1024 * 1024;  // larger is ignored
};

struct ExtensionHandshakeParse {
  std::optional<ExtensionHandshake> handshake;
  PeerWireError error = PeerWireError::None;  // BadExtensionHandshake when !handshake
  std::string detail;                         // the bencode error, for the log line
};

ExtensionHandshakeParse parseExtensionHandshake(std::span<const std::byte> payload,
                                                const ExtensionHandshakeLimits& limits = {});

}  // namespace tributary::bt
