// The receive path of a uTP connection: ids and state, cumulative and
// selective ACKs (with loss detection), in-order delivery through the
// bounded reorder buffer, FIN and RESET.
#include <algorithm>

#include "engine/utp/UtpConnection.h"

namespace tributary::utp {

void UtpConnection::onPacket(const Packet& packet, std::uint64_t nowUs) {
  const PacketHeader& h = packet.header;
  if (state_ == State::Idle || state_ == State::Closed) {
    ++packetsIgnored_;
    return;
  }
  if (h.type == PacketType::Syn) {
    // The initiator resends its SYN when our STATE was lost: answer again.
    if (static_cast<std::uint16_t>(h.connectionId + 1) == recvId_ && sendId_ == h.connectionId &&
        state_ == State::SynRecv) {
      sendState(nowUs);
    } else {
      ++packetsIgnored_;
    }
    return;
  }
  if (h.type == PacketType::Reset) {
    // A RESET names the connection by its sender's send id, which is our recv id;
    // some implementations use the other id.
    if (h.connectionId != recvId_ && h.connectionId != sendId_) {
      ++packetsIgnored_;
      return;
    }
    fail(state_ == State::SynSent ? ErrorCode::ConnectionRefused : ErrorCode::ConnectionReset,
         "utp: the peer reset the connection");
    return;
  }
  if (h.connectionId != recvId_) {
    ++packetsIgnored_;
    return;
  }
  if (state_ == State::SynSent) {
    // Only the STATE acking our SYN completes the handshake: its seq_nr is
    // the first the peer sends (a STATE does not consume one). A DATA that
    // overtook it cannot tell where the peer's numbers start; it comes again.
    if (h.type != PacketType::State || h.ackNr != seqOldest_) {
      ++packetsIgnored_;
      return;
    }
    ackNr_ = static_cast<std::uint16_t>(h.seqNr - 1);
    lastAckNr_ = static_cast<std::uint16_t>(seqOldest_ - 1);
    state_ = State::Connected;
    events_ |= kConnected;
    ackDue_ = true;  // lets the acceptor send (with our first DATA, or a STATE)
  }
  if (!onAck(packet, nowUs)) {
    ++packetsIgnored_;
    return;
  }
  if (state_ == State::SynRecv) {
    // Its ack names our numbers correctly: the initiator knows them, we may send.
    state_ = State::Connected;
  }
  replyMicro_ = static_cast<std::uint32_t>(nowUs) - h.timestampUs;
  if (h.type == PacketType::Data || h.type == PacketType::Fin) {
    onPayloadPacket(packet, nowUs);
  }
  if (state_ == State::Closed) {
    return;
  }
  flush(nowUs);
  if (ackDue_) {
    sendState(nowUs);
  }
}

bool UtpConnection::onAck(const Packet& packet, std::uint64_t nowUs) {
  const PacketHeader& h = packet.header;
  const std::uint16_t lastAcked = static_cast<std::uint16_t>(seqOldest_ - 1);
  const std::uint16_t lastSent = static_cast<std::uint16_t>(seqNr_ - 1);
  const std::size_t ahead = seqDistance(lastAcked, h.ackNr);
  if (ahead > outstanding_.size()) {
    // Acks a packet we never sent: forged or confused. An ack older than one
    // already seen is a reordered packet, whose payload is still good.
    // Its window is older than the one we have: kept.
    if (seqLess(lastSent, h.ackNr) || seqDistance(h.ackNr, lastAcked) >= 0x8000) {
      return false;
    }
    return true;
  }
  const std::uint32_t previousWindow = peerWindow_;
  peerWindow_ = h.windowSize;

  std::size_t bytesAcked = 0;
  for (std::size_t k = 0; k < ahead; ++k) {
    OutPacket& p = outstanding_.front();
    if (p.inFlight) {
      bytesInFlight_ -= p.payload.size();
    }
    if (p.needResend) {
      --resendCount_;
    }
    if (!p.sacked) {
      bytesAcked += p.payload.size();
      if (p.transmissions == 1) {
        congestion_.onRttSample(static_cast<std::uint32_t>(nowUs - p.sentUs));
      }
    }
    outstanding_.pop_front();
    seqOldest_ = static_cast<std::uint16_t>(seqOldest_ + 1);
  }
  // The loss window closes once every packet sent before the halving is
  // acked; later losses are a new congestion event.
  if (lossWindowOpen_ && seqLess(lossSeq_, seqOldest_)) {
    lossWindowOpen_ = false;
  }
  if (ahead > 0 && state_ == State::FinSent && finSent_ && outstanding_.empty()) {
    onOwnFinAcked(nowUs);
  }
  if (ahead > 0) {
    duplicateAcks_ = 0;
    congestion_.onProgress();
    rtoDeadlineUs_ = bytesInFlight_ > 0 ? nowUs + congestion_.rtoUs() : 0;
  } else if (h.type == PacketType::State && packet.payload.empty() && !outstanding_.empty() &&
             h.ackNr == lastAckNr_ && h.windowSize == previousWindow &&
             outstanding_.front().transmissions > 0 && !outstanding_.front().needResend) {
    // Three STATEs repeating the same ack while we have data out: the next
    // packet is lost (fast retransmit, as TCP).
    if (++duplicateAcks_ == 3) {
      markLost(0);
      onLoss(seqOldest_);
    }
  }
  lastAckNr_ = h.ackNr;
  if (!packet.sack.empty()) {
    onSelectiveAck(packet.sack, bytesAcked, nowUs);
  }
  if (bytesInFlight_ == 0 && ahead > 0) {
    rtoDeadlineUs_ = 0;
  }
  congestion_.onAck(bytesAcked, h.timestampDifferenceUs, nowUs, bytesInFlight_);
  // A peer that answers with a window too small for our next packet is alive,
  // only full: its silence about our probes is not a dead link.
  if (!outstanding_.empty() &&
      peerWindow_ < std::max<std::size_t>(1, outstanding_.front().payload.size())) {
    congestion_.onProgress();
  }
  if (outstanding_.empty() || bytesInFlight_ == 0) {
    if (resendCount_ == 0) {
      rtoDeadlineUs_ = 0;
    }
  }
  return true;
}

void UtpConnection::onSelectiveAck(std::span<const std::byte> sack, std::size_t& bytesAcked,
                                   std::uint64_t nowUs) {
  // Bit i stands for ack_nr + 2 + i; seqOldest_ is ack_nr + 1 here (or
  // later, when this ack is older than one already seen).
  const std::uint16_t base = static_cast<std::uint16_t>(lastAckNr_ + 2);
  for (std::size_t i = 0; i < sack.size() * 8; ++i) {
    if ((std::to_integer<unsigned>(sack[i / 8]) & (1u << (i % 8))) == 0) {
      continue;
    }
    const std::uint16_t seq = static_cast<std::uint16_t>(base + i);
    const std::size_t index = seqDistance(seqOldest_, seq);
    if (index >= outstanding_.size()) {
      continue;  // before what is outstanding (already acked), or never sent
    }
    OutPacket& p = outstanding_[index];
    if (p.sacked || p.transmissions == 0) {
      continue;
    }
    p.sacked = true;
    if (p.needResend) {
      p.needResend = false;
      --resendCount_;
    }
    if (p.inFlight) {
      p.inFlight = false;
      bytesInFlight_ -= p.payload.size();
    }
    bytesAcked += p.payload.size();
    if (p.transmissions == 1) {
      congestion_.onRttSample(static_cast<std::uint32_t>(nowUs - p.sentUs));
    }
  }
  // A packet is lost when three packets sent after it were selectively acked.
  std::size_t sackedAfter = 0;
  std::uint64_t newestSacked = 0;
  for (std::size_t i = outstanding_.size(); i-- > 0;) {
    OutPacket& p = outstanding_[i];
    if (p.sacked) {
      ++sackedAfter;
      newestSacked = std::max(newestSacked, p.sendIndex);
      continue;
    }
    if (sackedAfter >= 3 && p.transmissions > 0 && !p.needResend && p.sendIndex < newestSacked) {
      markLost(i);
      onLoss(static_cast<std::uint16_t>(seqOldest_ + i));
    }
  }
}

void UtpConnection::onPayloadPacket(const Packet& packet, std::uint64_t nowUs) {
  const PacketHeader& h = packet.header;
  const std::uint16_t offset = static_cast<std::uint16_t>(h.seqNr - ackNr_ - 1);
  ackDue_ = true;  // every DATA/FIN is answered, a duplicate too (our ACK may have been lost)
  if (offset >= 0x8000) {
    return;  // delivered already
  }
  if (offset >= reorder_.capacity()) {
    ++packetsIgnored_;
    return;
  }
  if (gotFin_ && seqLess(eofSeq_, h.seqNr)) {
    return;  // nothing counts after the FIN
  }
  if (h.type == PacketType::Fin && !gotFin_) {
    gotFin_ = true;
    eofSeq_ = h.seqNr;
    // Whatever was held past the FIN does not count (nor its bytes against the window).
    reorder_.discardAfter(eofSeq_);
  }
  if (packet.payload.size() > advertisedWindow()) {
    return;  // no room: dropped, the ACK tells the window and the peer sends again
  }
  if (offset != 0) {
    reorder_.put(h.seqNr, packet.payload);
    return;
  }
  deliver(packet.payload);
  ackNr_ = h.seqNr;
  while (!(gotFin_ && ackNr_ == eofSeq_) && reorder_.has(static_cast<std::uint16_t>(ackNr_ + 1))) {
    ackNr_ = static_cast<std::uint16_t>(ackNr_ + 1);
    const std::vector<std::byte> payload = reorder_.take(ackNr_);
    deliver(payload);
  }
  checkEof();
  if (eofReported_ && lingerDeadlineUs_ != 0) {
    onOwnFinAcked(nowUs);  // both FINs done: a short wait only
  }
}

void UtpConnection::deliver(std::span<const std::byte> payload) {
  if (payload.empty()) {
    return;
  }
  received_.append(payload);
  bytesRead_ += payload.size();
  events_ |= kReadable;
}

void UtpConnection::checkEof() {
  if (gotFin_ && !eofReported_ && ackNr_ == eofSeq_) {
    eofReported_ = true;
    events_ |= kEof;
  }
}

}  // namespace tributary::utp
