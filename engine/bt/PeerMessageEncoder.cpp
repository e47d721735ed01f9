#include "engine/bt/PeerMessageEncoder.h"

#include "engine/util/Bitfield.h"

namespace tributary::bt {

namespace {

void put32(WireBytes& out, std::uint32_t value) {
  out.push_back(static_cast<std::byte>(value >> 24));
  out.push_back(static_cast<std::byte>(value >> 16));
  out.push_back(static_cast<std::byte>(value >> 8));
  out.push_back(static_cast<std::byte>(value));
}

void header(WireBytes& out, std::uint32_t payloadLength, MessageId id) {
  put32(out, payloadLength + 1);
  out.push_back(static_cast<std::byte>(id));
}

void noPayload(WireBytes& out, MessageId id) {
  header(out, 0, id);
}

void indexOnly(WireBytes& out, MessageId id, std::uint32_t index) {
  header(out, 4, id);
  put32(out, index);
}

void blockRef(WireBytes& out, MessageId id, std::uint32_t index, std::uint32_t begin,
              std::uint32_t length) {
  header(out, 12, id);
  put32(out, index);
  put32(out, begin);
  put32(out, length);
}

}  // namespace

void appendKeepAlive(WireBytes& out) {
  put32(out, 0);
}
void appendChoke(WireBytes& out) {
  noPayload(out, MessageId::Choke);
}
void appendUnchoke(WireBytes& out) {
  noPayload(out, MessageId::Unchoke);
}
void appendInterested(WireBytes& out) {
  noPayload(out, MessageId::Interested);
}
void appendNotInterested(WireBytes& out) {
  noPayload(out, MessageId::NotInterested);
}
void appendHave(WireBytes& out, std::uint32_t index) {
  indexOnly(out, MessageId::Have, index);
}

void appendBitfield(WireBytes& out, const util::Bitfield& bits) {
  header(out, static_cast<std::uint32_t>(bits.wireSize()), MessageId::Bitfield);
  const std::size_t at = out.size();
  out.resize(at + bits.wireSize());
  bits.toWire(std::span(out).subspan(at));
}

void appendRequest(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length) {
  blockRef(out, MessageId::Request, index, begin, length);
}

void appendPieceHeader(WireBytes& out, std::uint32_t index, std::uint32_t begin,
                       std::uint32_t blockLength) {
  header(out, 8 + blockLength, MessageId::Piece);
  put32(out, index);
  put32(out, begin);
}

void appendCancel(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length) {
  blockRef(out, MessageId::Cancel, index, begin, length);
}

void appendPort(WireBytes& out, std::uint16_t port) {
  header(out, 2, MessageId::Port);
  out.push_back(static_cast<std::byte>(port >> 8));
  out.push_back(static_cast<std::byte>(port));
}

void appendSuggest(WireBytes& out, std::uint32_t index) {
  indexOnly(out, MessageId::Suggest, index);
}
void appendHaveAll(WireBytes& out) {
  noPayload(out, MessageId::HaveAll);
}
void appendHaveNone(WireBytes& out) {
  noPayload(out, MessageId::HaveNone);
}

void appendReject(WireBytes& out, std::uint32_t index, std::uint32_t begin, std::uint32_t length) {
  blockRef(out, MessageId::Reject, index, begin, length);
}

void appendAllowedFast(WireBytes& out, std::uint32_t index) {
  indexOnly(out, MessageId::AllowedFast, index);
}

void appendExtended(WireBytes& out, std::uint8_t extendedId, std::span<const std::byte> payload) {
  header(out, static_cast<std::uint32_t>(1 + payload.size()), MessageId::Extended);
  out.push_back(static_cast<std::byte>(extendedId));
  out.insert(out.end(), payload.begin(), payload.end());
}

void appendMessage(WireBytes& out, const PeerMessage& m) {
  switch (m.kind) {
    case MessageKind::KeepAlive:
      return appendKeepAlive(out);
    case MessageKind::Choke:
      return appendChoke(out);
    case MessageKind::Unchoke:
      return appendUnchoke(out);
    case MessageKind::Interested:
      return appendInterested(out);
    case MessageKind::NotInterested:
      return appendNotInterested(out);
    case MessageKind::Have:
      return appendHave(out, m.index);
    case MessageKind::Bitfield:
      header(out, static_cast<std::uint32_t>(m.payload.size()), MessageId::Bitfield);
      out.insert(out.end(), m.payload.begin(), m.payload.end());
      return;
    case MessageKind::Request:
      return appendRequest(out, m.index, m.begin, m.length);
    case MessageKind::Piece:
      appendPieceHeader(out, m.index, m.begin, static_cast<std::uint32_t>(m.payload.size()));
      out.insert(out.end(), m.payload.begin(), m.payload.end());
      return;
    case MessageKind::Cancel:
      return appendCancel(out, m.index, m.begin, m.length);
    case MessageKind::Port:
      return appendPort(out, m.port);
    case MessageKind::Suggest:
      return appendSuggest(out, m.index);
    case MessageKind::HaveAll:
      return appendHaveAll(out);
    case MessageKind::HaveNone:
      return appendHaveNone(out);
    case MessageKind::Reject:
      return appendReject(out, m.index, m.begin, m.length);
    case MessageKind::AllowedFast:
      return appendAllowedFast(out, m.index);
    case MessageKind::Extended:
      return appendExtended(out, m.extendedId, m.payload);
    case MessageKind::Unknown:
      header(out, static_cast<std::uint32_t>(m.payload.size()), static_cast<MessageId>(m.id));
      out.insert(out.end(), m.payload.begin(), m.payload.end());
      return;
  }
}

}  // namespace tributary::bt
