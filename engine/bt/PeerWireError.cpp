#include "engine/bt/PeerWireError.h"

namespace tributary::bt {

std::string_view peerWireErrorName(PeerWireError error) noexcept {
  switch (error) {
    case PeerWireError::None:
      return "ok";
    case PeerWireError::BadProtocolString:
      return "bad_protocol_string";
    case PeerWireError::InfoHashMismatch:
      return "info_hash_mismatch";
    case PeerWireError::FrameTooLong:
      return "frame_too_long";
    case PeerWireError::BadMessageLength:
      return "bad_message_length";
    case PeerWireError::PieceIndexOutOfRange:
      return "piece_index_out_of_range";
    case PeerWireError::BlockTooLarge:
      return "block_too_large";
    case PeerWireError::EmptyBlock:
      return "empty_block";
    case PeerWireError::BlockPastPieceEnd:
      return "block_past_piece_end";
    case PeerWireError::BitfieldWrongLength:
      return "bitfield_wrong_length";
    case PeerWireError::BitfieldSpareBitsSet:
      return "bitfield_spare_bits_set";
    case PeerWireError::DuplicateBitfield:
      return "duplicate_bitfield";
    case PeerWireError::BitfieldNotFirst:
      return "bitfield_not_first";
    case PeerWireError::FastExtensionNotNegotiated:
      return "fast_extension_not_negotiated";
    case PeerWireError::ExtensionNotNegotiated:
      return "extension_not_negotiated";
    case PeerWireError::RequestFloodWhileChoked:
      return "request_flood_while_choked";
    case PeerWireError::BadExtensionHandshake:
      return "bad_extension_handshake";
    case PeerWireError::BadMetadataMessage:
      return "bad_metadata_message";
    case PeerWireError::MetadataPieceOutOfRange:
      return "metadata_piece_out_of_range";
    case PeerWireError::MetadataPieceTooLarge:
      return "metadata_piece_too_large";
    case PeerWireError::MetadataTooLarge:
      return "metadata_too_large";
  }
  return "unknown";
}

std::string_view peerWireErrorReason(PeerWireError error) noexcept {
  switch (error) {
    case PeerWireError::None:
      return "no error";
    case PeerWireError::BadProtocolString:
      return "the handshake does not start with \"BitTorrent protocol\"";
    case PeerWireError::InfoHashMismatch:
      return "the handshake names a different torrent";
    case PeerWireError::FrameTooLong:
      return "a message length prefix is over the limit";
    case PeerWireError::BadMessageLength:
      return "a message has the wrong payload size for its id";
    case PeerWireError::PieceIndexOutOfRange:
      return "a piece index is out of range";
    case PeerWireError::BlockTooLarge:
      return "a request or block is over 16 KiB";
    case PeerWireError::EmptyBlock:
      return "a request or block has length 0";
    case PeerWireError::BlockPastPieceEnd:
      return "a request or block goes past the end of the piece";
    case PeerWireError::BitfieldWrongLength:
      return "the bitfield has the wrong length";
    case PeerWireError::BitfieldSpareBitsSet:
      return "the bitfield has spare bits set";
    case PeerWireError::DuplicateBitfield:
      return "a second bitfield (or have-all/have-none)";
    case PeerWireError::BitfieldNotFirst:
      return "a bitfield (or have-all/have-none) after other messages";
    case PeerWireError::FastExtensionNotNegotiated:
      return "a fast-extension message without the fast extension negotiated";
    case PeerWireError::ExtensionNotNegotiated:
      return "an extension message without the extension protocol negotiated";
    case PeerWireError::RequestFloodWhileChoked:
      return "too many requests while choked";
    case PeerWireError::BadExtensionHandshake:
      return "the extension handshake is not a valid bencoded dictionary";
    case PeerWireError::BadMetadataMessage:
      return "a ut_metadata message is not a valid bencoded dictionary with its fields";
    case PeerWireError::MetadataPieceOutOfRange:
      return "a ut_metadata piece index is out of range";
    case PeerWireError::MetadataPieceTooLarge:
      return "a ut_metadata data message carries more than 16 KiB";
    case PeerWireError::MetadataTooLarge:
      return "a ut_metadata total_size is zero or over the limit";
  }
  return "unknown peer wire error";
}

}  // namespace tributary::bt
