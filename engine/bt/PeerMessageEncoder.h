// Internal: encoders for every peer wire message. Each appends the framed
// message (length prefix, id, payload) to `out`, so a connection batches its
// small messages into one SendQueue entry. A piece message is encoded as its
// 13-byte header only: the block follows as a separate entry straight from the
// disk buffer, never copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/bt/PeerMessage.h"

namespace tributary::util {
class Bitfield;
}

namespace tributary::bt {

using WireBytes = std::vector<std::byte>;

inline constexpr std::size_t kPieceHeaderSize = 13;  // length, id, index, begin

void appendKeepAlive(WireBytes& out);
void appendChoke(WireBytes& out);
void appendUnchoke(WireBytes& out);
void appendInterested(WireBytes& out);
void appendNotInterested(WireBytes& out);
void appendHave(WireBytes& out, std::uint32_t index);
void appendBitfield(WireBytes& out, const util::Bitfield& bits);
void appendRequest(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length);
// The header of a piece message whose block (blockLength bytes) is sent next.
void appendPieceHeader(WireBytes& out, std::uint32_t index, std::uint32_t begin,
                       std::uint32_t blockLength);
void appendCancel(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length);
void appendPort(WireBytes& out, std::uint16_t port);
void appendSuggest(WireBytes& out, std::uint32_t index);
void appendHaveAll(WireBytes& out);
void appendHaveNone(WireBytes& out);
void appendReject(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length);
void appendAllowedFast(WireBytes& out, std::uint32_t index);
void appendExtended(WireBytes& out, std::uint8_t extendedId, std::span<const std::byte> payload);

// Any message from its value (piece: header and block copied; unknown: the id
// and payload as given). For tests and rarely sent messages.
void appendMessage(WireBytes& out, const PeerMessage& message);

}  // namespace tributary::bt
