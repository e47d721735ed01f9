// Internal: the BEP 9 (ut_metadata) messages, carried as BEP 10 extended
// messages under the id the receiver chose in its extension handshake. Each is
// a bencoded dictionary {msg_type, piece[, total_size]}; a data message is
// followed by the raw bytes of one 16 KiB piece of the info dictionary (the
// last piece may be shorter).
//
// Parsing is a pure function over untrusted bytes: it checks types and bounds
// only. Whether a data piece has the right length for its index is for the
// assembler to judge, as only it knows which total size was agreed on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "engine/bt/PeerWireError.h"

namespace tributary::bt {

// The metadata is cut into pieces of this size (BEP 9).
inline constexpr std::uint32_t kMetadataPieceSize = 16 * 1024;
// Issue 6: an info dictionary larger than this is not fetched by default.
inline constexpr std::uint64_t kDefaultMaxMetadataSize = 16ULL * 1024 * 1024;
// Indices are signed 32-bit in libtorrent and Transmission; anything larger is
// nonsense even before the size cap rules it out.
inline constexpr std::int64_t kMaxMetadataPieceIndex = 0x7fffffff;

struct UtMetadataMessage {
  enum class Type : std::uint8_t { Request = 0, Data = 1, Reject = 2 };

  Type type = Type::Request;
  std::uint32_t piece = 0;
  std::uint64_t totalSize = 0;      // data only
  std::span<const std::byte> data;  // data only: points into the parsed payload
};

struct UtMetadataLimits {
  std::uint64_t maxTotalSize = kDefaultMaxMetadataSize;
};

struct UtMetadataParse {
  enum class Status : std::uint8_t {
    Ok,
    // A msg_type this version does not know: BEP 9 says to ignore it, so the
    // connection stays open.
    Unknown,
    Error,
  };

  Status status = Status::Error;
  UtMetadataMessage message;                  // valid when Ok
  PeerWireError error = PeerWireError::None;  // set when Error
};

// `payload` is the extended message after its id byte.
UtMetadataParse parseUtMetadata(std::span<const std::byte> payload,
                                const UtMetadataLimits& limits = {});

// The payloads (the caller frames them with appendExtended(out, theirId, ...)).
std::string encodeUtMetadataRequest(std::uint32_t piece);
std::string encodeUtMetadataReject(std::uint32_t piece);
std::string encodeUtMetadataData(std::uint32_t piece, std::uint64_t totalSize,
                                 std::span<const std::byte> data);

}  // namespace tributary::bt
