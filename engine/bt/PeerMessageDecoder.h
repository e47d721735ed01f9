// Internal: framing of the peer wire stream after the handshake. Two forms:
//
// * decodePeerMessage() parses one message from the front of a contiguous
//   buffer and takes nothing when the frame is not complete yet. A connection
//   that reads into a util::Buffer calls it on buffer.readable() and retrieves
//   `consumed` bytes; every payload span points into that buffer: zero copies.
// * PeerMessageReader takes bytes as they arrive, in any split, and yields the
//   same messages. It copies only the frames that straddle two feeds; a frame
//   wholly inside one feed is returned as a span into the fed bytes.
//
// Framing checks only what the frame itself proves wrong: a length prefix over
// the limit, and a payload size its id cannot have (a have that is not 4 bytes).
// Unknown ids are skipped whole. Ranges against the torrent and the order of
// messages are PeerProtocolState's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/bt/PeerMessage.h"
#include "engine/bt/PeerWireError.h"

namespace tributary::bt {

struct FrameLimits {
  std::uint32_t maxFrameLength = kDefaultMaxFrameLength;  // the length prefix's value
};

enum class DecodeStatus : std::uint8_t { Message, NeedMore, Error };

struct DecodeResult {
  DecodeStatus status = DecodeStatus::NeedMore;
  // Message: the frame's size (prefix included). decodePeerMessage: bytes to
  // drop from the input's front.
  std::size_t consumed = 0;
  // NeedMore: the whole frame's size when the prefix is known (so a buffer can
  // reserve it), else 4.
  std::size_t needed = 0;
  PeerMessage message;
  PeerWireError error = PeerWireError::None;
};

DecodeResult decodePeerMessage(std::span<const std::byte> input, const FrameLimits& limits = {});

class PeerMessageReader {
 public:
  explicit PeerMessageReader(FrameLimits limits = {}) : limits_(limits) {}

  // The bytes must stay valid until next() has returned NeedMore or Error for
  // them (the reader keeps a view, and copies only an incomplete tail).
  void feed(std::span<const std::byte> bytes);

  // The next message, NeedMore once the fed bytes are used up, or the first
  // error again and again. A message's payload is valid until the next call
  // to next() or feed().
  DecodeResult next();

  // Bytes held back from earlier feeds (an incomplete frame); at most the
  // frame limit plus the 4-byte prefix.
  std::size_t bufferedBytes() const noexcept { return partial_.size(); }

 private:
  static constexpr std::size_t kKeptCapacity = 64 * 1024;

  void releasePartial();
  DecodeResult fail(PeerWireError error);
  DecodeResult nextFromPartial();

  FrameLimits limits_;
  std::span<const std::byte> input_;
  std::vector<std::byte> partial_;
  bool releasePartial_ = false;  // the last message pointed into partial_
  PeerWireError error_ = PeerWireError::None;
};

}  // namespace tributary::bt
