// Internal: one peer wire message (BEP 3, BEP 5 port, BEP 6 fast extension,
// BEP 10 extended) as a plain value. Payload-carrying messages (bitfield, piece,
// extended, unknown) hold a span into the bytes they were decoded from, so a
// 16 KiB block reaches the disk buffer without an intermediate copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tributary::bt {

// The ids on the wire.
enum class MessageId : std::uint8_t {
  Choke = 0,
  Unchoke = 1,
  Interested = 2,
  NotInterested = 3,
  Have = 4,
  Bitfield = 5,
  Request = 6,
  Piece = 7,
  Cancel = 8,
  Port = 9,      // BEP 5
  Suggest = 13,  // BEP 6 from here to AllowedFast
  HaveAll = 14,
  HaveNone = 15,
  Reject = 16,
  AllowedFast = 17,
  Extended = 20,  // BEP 10
};

enum class MessageKind : std::uint8_t {
  KeepAlive,  // a zero length prefix
  Choke,
  Unchoke,
  Interested,
  NotInterested,
  Have,
  Bitfield,
  Request,
  Piece,
  Cancel,
  Port,
  Suggest,
  HaveAll,
  HaveNone,
  Reject,
  AllowedFast,
  Extended,
  Unknown,  // an id we do not implement: its payload is skipped (BEP 3: ignore)
};

std::string_view messageKindName(MessageKind kind) noexcept;

// Block size every client requests; larger requests are refused (issue 4 item 4).
inline constexpr std::uint32_t kBlockSize = 16 * 1024;

// Issue 4: a length prefix over 1 MiB closes the connection. Nothing
// legitimate comes close: a block is 16 KiB, a bitfield of the largest
// torrent we accept (4 Mi pieces) 512 KiB, a BEP 9 metadata piece 16 KiB.
inline constexpr std::uint32_t kDefaultMaxFrameLength = 1024 * 1024;

struct PeerMessage {
  MessageKind kind = MessageKind::KeepAlive;
  std::uint8_t id = 0;          // the wire id (Unknown: the id that was skipped)
  std::uint32_t index = 0;      // have, request, piece, cancel, suggest, reject, allowed-fast
  std::uint32_t begin = 0;      // request, piece, cancel, reject
  std::uint32_t length = 0;     // request, cancel, reject; piece: the block's size
  std::uint16_t port = 0;       // port
  std::uint8_t extendedId = 0;  // extended: 0 = the BEP 10 handshake
  // bitfield: the raw bits; piece: the block; extended: after the id byte;
  // unknown: the whole payload. Points into the decoder's input.
  std::span<const std::byte> payload;
};

// The numbers the bounds checks need; the metainfo supplies them.
struct TorrentGeometry {
  std::uint32_t pieceCount = 0;
  std::uint32_t pieceLength = 0;  // every piece but the last
  std::uint64_t totalLength = 0;

  // The size of piece `index` (< pieceCount): pieceLength, except the last.
  std::uint32_t pieceSize(std::uint32_t index) const noexcept {
    if (index + 1 < pieceCount) {
      return pieceLength;
    }
    return static_cast<std::uint32_t>(totalLength - std::uint64_t{pieceLength} * (pieceCount - 1));
  }
  // pieceCount == ceil(totalLength / pieceLength) and nothing is zero.
  bool valid() const noexcept;
};

}  // namespace tributary::bt
