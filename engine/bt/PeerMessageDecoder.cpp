#include "engine/bt/PeerMessageDecoder.h"

#include <algorithm>

namespace tributary::bt {

namespace {

std::uint32_t read32(const std::byte* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

// Whether a payload of `size` bytes (the frame minus the id byte) fits the id.
bool payloadSizeFits(std::uint8_t id, std::uint32_t size) {
  switch (static_cast<MessageId>(id)) {
    case MessageId::Choke:
    case MessageId::Unchoke:
    case MessageId::Interested:
    case MessageId::NotInterested:
    case MessageId::HaveAll:
    case MessageId::HaveNone:
      return size == 0;
    case MessageId::Have:
    case MessageId::Suggest:
    case MessageId::AllowedFast:
      return size == 4;
    case MessageId::Request:
    case MessageId::Cancel:
    case MessageId::Reject:
      return size == 12;
    case MessageId::Piece:
      return size >= 8;
    case MessageId::Port:
      return size == 2;
    case MessageId::Extended:
      return size >= 1;
    case MessageId::Bitfield:
      return true;  // its length is checked against the piece count later
  }
  return true;  // unknown ids: any payload, skipped
}

PeerMessage parsePayload(std::uint8_t id, std::span<const std::byte> payload) {
  PeerMessage m;
  m.id = id;
  const std::byte* p = payload.data();
  switch (static_cast<MessageId>(id)) {
    case MessageId::Choke:
      m.kind = MessageKind::Choke;
      break;
    case MessageId::Unchoke:
      m.kind = MessageKind::Unchoke;
      break;
    case MessageId::Interested:
      m.kind = MessageKind::Interested;
      break;
    case MessageId::NotInterested:
      m.kind = MessageKind::NotInterested;
      break;
    case MessageId::HaveAll:
      m.kind = MessageKind::HaveAll;
      break;
    case MessageId::HaveNone:
      m.kind = MessageKind::HaveNone;
      break;
    case MessageId::Have:
      m.kind = MessageKind::Have;
      m.index = read32(p);
      break;
    case MessageId::Suggest:
      m.kind = MessageKind::Suggest;
      m.index = read32(p);
      break;
    case MessageId::AllowedFast:
      m.kind = MessageKind::AllowedFast;
      m.index = read32(p);
      break;
    case MessageId::Request:
    case MessageId::Cancel:
    case MessageId::Reject:
      m.kind = id == static_cast<std::uint8_t>(MessageId::Request)  ? MessageKind::Request
               : id == static_cast<std::uint8_t>(MessageId::Cancel) ? MessageKind::Cancel
                                                                    : MessageKind::Reject;
      m.index = read32(p);
      m.begin = read32(p + 4);
      m.length = read32(p + 8);
      break;
    case MessageId::Piece:
      m.kind = MessageKind::Piece;
      m.index = read32(p);
      m.begin = read32(p + 4);
      m.payload = payload.subspan(8);
      m.length = static_cast<std::uint32_t>(m.payload.size());
      break;
    case MessageId::Port:
      m.kind = MessageKind::Port;
      m.port = static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) |
                                          static_cast<unsigned>(p[1]));
      break;
    case MessageId::Extended:
      m.kind = MessageKind::Extended;
      m.extendedId = static_cast<std::uint8_t>(p[0]);
      m.payload = payload.subspan(1);
      break;
    case MessageId::Bitfield:
      m.kind = MessageKind::Bitfield;
      m.payload = payload;
      break;
    default:
      m.kind = MessageKind::Unknown;
      m.payload = payload;
      break;
  }
  return m;
}

}  // namespace

DecodeResult decodePeerMessage(std::span<const std::byte> input, const FrameLimits& limits) {
  DecodeResult r;
  if (input.size() < 4) {
    r.needed = 4;
    return r;
  }
  const std::uint32_t length = read32(input.data());
  if (length > limits.maxFrameLength) {
    r.status = DecodeStatus::Error;
    r.error = PeerWireError::FrameTooLong;
    return r;
  }
  const std::size_t frame = std::size_t{4} + length;
  if (length == 0) {
    r.status = DecodeStatus::Message;
    r.consumed = 4;
    r.message.kind = MessageKind::KeepAlive;
    return r;
  }
  if (input.size() < 5) {
    r.needed = frame;
    return r;
  }
  // The id alone proves most wrong sizes: fail before waiting for the payload.
  const auto id = static_cast<std::uint8_t>(input[4]);
  if (!payloadSizeFits(id, length - 1)) {
    r.status = DecodeStatus::Error;
    r.error = PeerWireError::BadMessageLength;
    return r;
  }
  if (input.size() < frame) {
    r.needed = frame;
    return r;
  }
  r.status = DecodeStatus::Message;
  r.consumed = frame;
  r.message = parsePayload(id, input.subspan(5, length - 1));
  return r;
}

void PeerMessageReader::feed(std::span<const std::byte> bytes) {
  if (releasePartial_) {
    releasePartial();
  }
  input_ = bytes;
}

void PeerMessageReader::releasePartial() {
  releasePartial_ = false;
  // Blocks straddle reads all the time, so a block-sized buffer is kept; one
  // left over from a rare large frame is given back.
  if (partial_.capacity() > kKeptCapacity) {
    partial_ = {};
  } else {
    partial_.clear();
  }
}

DecodeResult PeerMessageReader::fail(PeerWireError error) {
  error_ = error;
  input_ = {};
  DecodeResult r;
  r.status = DecodeStatus::Error;
  r.error = error;
  return r;
}

DecodeResult PeerMessageReader::next() {
  if (error_ != PeerWireError::None) {
    DecodeResult r;
    r.status = DecodeStatus::Error;
    r.error = error_;
    return r;
  }
  if (releasePartial_) {
    releasePartial();
  }
  if (!partial_.empty()) {
    return nextFromPartial();
  }
  DecodeResult r = decodePeerMessage(input_, limits_);
  switch (r.status) {
    case DecodeStatus::Message:
      input_ = input_.subspan(r.consumed);
      return r;
    case DecodeStatus::Error:
      return fail(r.error);
    case DecodeStatus::NeedMore:
      // decodePeerMessage checked the prefix if there was one, so the tail is
      // shorter than an allowed frame: holding it is bounded.
      partial_.assign(input_.begin(), input_.end());
      input_ = {};
      return r;
  }
  return r;
}

DecodeResult PeerMessageReader::nextFromPartial() {
  // Top partial_ up to what its frame needs, never past it: the bytes after the
  // frame are the next frames, read in place.
  while (true) {
    const DecodeResult probe = decodePeerMessage(partial_, limits_);
    if (probe.status == DecodeStatus::Error) {
      return fail(probe.error);
    }
    if (probe.status == DecodeStatus::Message) {
      releasePartial_ = true;
      return probe;
    }
    if (input_.empty()) {
      return probe;  // NeedMore
    }
    const std::size_t take = std::min(probe.needed - partial_.size(), input_.size());
    partial_.insert(partial_.end(), input_.begin(), input_.begin() + static_cast<long>(take));
    input_ = input_.subspan(take);
  }
}

}  // namespace tributary::bt
