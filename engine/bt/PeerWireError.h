// Internal: why a peer connection is closed for what the peer sent. Every check
// of issue 4 item 4 has its own value, so the log line says exactly which rule
// the peer broke ("closing: request past the end of the piece").
#pragma once

#include <cstdint>
#include <string_view>

namespace tributary::bt {

enum class PeerWireError : std::uint8_t {
  None = 0,
  // Handshake (BEP 3).
  BadProtocolString,  // the first 20 bytes are not "\x13BitTorrent protocol"
  InfoHashMismatch,   // the peer asked for a torrent other than the one we dialled for
  // Framing.
  FrameTooLong,      // a length prefix over the frame limit (1 MiB + 13 by default)
  BadMessageLength,  // a payload size that message id cannot have
  // Bounds, against the torrent's geometry.
  PieceIndexOutOfRange,  // have/request/cancel/piece/suggest/reject/allowed-fast
  BlockTooLarge,         // request or block over 16 KiB
  EmptyBlock,            // request or block of length 0
  BlockPastPieceEnd,     // begin + length beyond the piece's size
  BitfieldWrongLength,   // not ceil(pieces / 8) bytes
  BitfieldSpareBitsSet,  // bits past the last piece not zero
  // Protocol state.
  DuplicateBitfield,           // a second bitfield / have-all / have-none
  BitfieldNotFirst,            // bitfield / have-all / have-none after other messages
  FastExtensionNotNegotiated,  // a BEP 6 message without the fast bit on both sides
  ExtensionNotNegotiated,      // a BEP 10 message without the extension bit on both sides
  RequestFloodWhileChoked,     // too many requests after we choked the peer
  BadExtensionHandshake,       // a BEP 10 handshake that is not a bencoded dictionary
  // BEP 9 (ut_metadata).
  BadMetadataMessage,       // not a dictionary, or msg_type/piece/total_size missing or mistyped
  MetadataPieceOutOfRange,  // a negative piece index, or one past 2^31 - 1
  MetadataPieceTooLarge,    // a data message carrying more than 16 KiB
  MetadataTooLarge,         // a total_size of 0 or over the cap
};

// A stable name ("frame_too_long") for logs and counters.
std::string_view peerWireErrorName(PeerWireError error) noexcept;
// One sentence for the log line that closes the connection.
std::string_view peerWireErrorReason(PeerWireError error) noexcept;

}  // namespace tributary::bt
