// The send path of a uTP connection: packetizing the application's bytes
// within min(cwnd, the peer's window), retransmissions, ACKs, FIN and RESET.
#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <utility>

#include "engine/utp/UtpConnection.h"

namespace tributary::utp {

PacketHeader UtpConnection::headerFor(PacketType type, std::uint16_t seq, std::uint64_t nowUs) {
  PacketHeader h;
  h.type = type;
  // BEP 29: the SYN carries the id the initiator receives on; everything else the send id.
  h.connectionId = type == PacketType::Syn ? recvId_ : sendId_;
  h.timestampUs = static_cast<std::uint32_t>(nowUs);
  h.timestampDifferenceUs = replyMicro_;
  const std::size_t window = advertisedWindow();
  h.windowSize = static_cast<std::uint32_t>(std::min<std::size_t>(window, 0xffffffffu));
  lastAdvertised_ = window;
  h.seqNr = seq;
  h.ackNr = type == PacketType::Syn ? 0 : ackNr_;
  return h;
}

void UtpConnection::sendDatagram(const PacketHeader& header, std::span<const std::byte> sack,
                                 std::span<const std::byte> payload, std::uint64_t nowUs) {
  datagram_.clear();
  writePacket(header, sack, payload, datagram_);
  ++packetsSent_;
  lastSendUs_ = nowUs;
  if (send_) {
    send_(datagram_);
  }
}

void UtpConnection::buildSack(std::vector<std::byte>& out) const {
  out.clear();
  if (reorder_.packets() == 0) {
    return;
  }
  // Bit i of the mask stands for ack_nr + 2 + i (bytes in order, least significant bit first).
  const std::size_t maxBits = std::min(reorder_.capacity(), kMaxSackBytes * 8);
  std::size_t highest = 0;
  bool any = false;
  for (std::size_t i = 0; i < maxBits; ++i) {
    if (reorder_.has(static_cast<std::uint16_t>(ackNr_ + 2 + i))) {
      highest = i;
      any = true;
    }
  }
  if (!any) {
    return;
  }
  const std::size_t bytes = ((highest / 8) / 4 + 1) * 4;
  out.assign(bytes, std::byte{0});
  for (std::size_t i = 0; i <= highest; ++i) {
    if (reorder_.has(static_cast<std::uint16_t>(ackNr_ + 2 + i))) {
      out[i / 8] |= static_cast<std::byte>(1u << (i % 8));
    }
  }
}

void UtpConnection::sendState(std::uint64_t nowUs) {
  std::vector<std::byte> sack;
  buildSack(sack);
  sendDatagram(headerFor(PacketType::State, seqNr_, nowUs), sack, {}, nowUs);
  ackDue_ = false;
}

void UtpConnection::sendReset(std::uint64_t nowUs) {
  sendDatagram(headerFor(PacketType::Reset, seqNr_, nowUs), {}, {}, nowUs);
}

void UtpConnection::sendOut(std::uint16_t seq, OutPacket& packet, std::uint64_t nowUs) {
  if (packet.transmissions > 0) {
    ++retransmissions_;
  }
  ++packet.transmissions;
  packet.sentUs = nowUs;
  packet.sendIndex = ++sendCounter_;
  if (packet.needResend) {
    packet.needResend = false;
    --resendCount_;
  }
  if (!packet.inFlight) {
    packet.inFlight = true;
    bytesInFlight_ += packet.payload.size();
  }
  if (rtoDeadlineUs_ == 0) {
    rtoDeadlineUs_ = nowUs + congestion_.rtoUs();
  }
  sendDatagram(headerFor(packet.type, seq, nowUs), {}, packet.payload, nowUs);
  // A DATA packet carries our ack_nr; only a pending selective ACK still needs a STATE.
  if (reorder_.packets() == 0) {
    ackDue_ = false;
  }
}

bool UtpConnection::windowAllows(std::size_t size, std::uint64_t nowUs) {
  const std::size_t window = std::min<std::size_t>(congestion_.window(), peerWindow_);
  if (bytesInFlight_ + size <= window) {
    zeroWindowSinceUs_ = 0;
    return true;
  }
  if (bytesInFlight_ != 0) {
    return false;
  }
  // Nothing in flight: one packet may always go when the peer has room for it
  // (cwnd below a packet must not stall us)...
  if (peerWindow_ >= size) {
    zeroWindowSinceUs_ = 0;
    return true;
  }
  // ...and when it has not, a probe goes after a while: the window update
  // that would wake us may have been lost. The probe's ACK tells the window.
  if (zeroWindowSinceUs_ == 0) {
    zeroWindowSinceUs_ = nowUs;
    return false;
  }
  if (nowUs - zeroWindowSinceUs_ >= congestion_.rtoUs()) {
    zeroWindowSinceUs_ = nowUs;
    return true;
  }
  return false;
}

void UtpConnection::markLost(std::size_t index) {
  OutPacket& p = outstanding_[index];
  if (!p.needResend) {
    p.needResend = true;
    ++resendCount_;
  }
  if (p.inFlight) {
    p.inFlight = false;
    bytesInFlight_ -= p.payload.size();
  }
}

void UtpConnection::onLoss(std::uint16_t seq) {
  // One halving per window of data: losses among packets sent before the
  // first halving are the same congestion event.
  if (lossWindowOpen_ && !seqLess(lossSeq_, seq)) {
    return;
  }
  congestion_.onLoss();
  lossWindowOpen_ = true;
  lossSeq_ = static_cast<std::uint16_t>(seqNr_ - 1);
}

void UtpConnection::flush(std::uint64_t nowUs) {
  if (state_ == State::Closed || state_ == State::Idle) {
    return;
  }
  // Retransmissions first, oldest first, stopping at the first that does not fit.
  for (std::size_t i = 0; resendCount_ > 0 && i < outstanding_.size(); ++i) {
    OutPacket& p = outstanding_[i];
    if (!p.needResend || p.sacked) {
      continue;
    }
    if (!windowAllows(p.payload.size(), nowUs)) {
      break;
    }
    sendOut(static_cast<std::uint16_t>(seqOldest_ + i), p, nowUs);
  }
  if (state_ == State::Connected) {
    std::array<std::span<const std::byte>, 16> spans;
    while (!sendQueue_.empty() && sendQueue_.pendingBytes() > 0 &&
           outstanding_.size() < config_.maxOutstandingPackets) {
      const std::size_t size = std::min(config_.maxPayload, sendQueue_.pendingBytes());
      if (!windowAllows(size, nowUs)) {
        break;
      }
      OutPacket packet;
      packet.payload.reserve(size);
      // At most spans.size() entries per packet: many tiny writes make smaller packets.
      const std::size_t n = sendQueue_.gather(spans, size);
      for (std::size_t k = 0; k < n; ++k) {
        packet.payload.insert(packet.payload.end(), spans[k].begin(), spans[k].end());
      }
      const std::size_t taken = packet.payload.size();
      if (taken == 0) {
        break;
      }
      sendQueue_.consume(taken);
      bytesWritten_ += taken;
      outstanding_.push_back(std::move(packet));
      const std::uint16_t seq = seqNr_;
      seqNr_ = static_cast<std::uint16_t>(seqNr_ + 1);
      sendOut(seq, outstanding_.back(), nowUs);
    }
    // Empty entries (possible in SendQueue) leave nothing pending but must still be reported.
    if (!sendQueue_.empty() && sendQueue_.pendingBytes() == 0) {
      sendQueue_.consume(0);
    }
  }
  queueFinIfDue(nowUs);
}

void UtpConnection::queueFinIfDue(std::uint64_t nowUs) {
  if (state_ != State::FinSent || !finQueued_ || finSent_) {
    return;
  }
  OutPacket fin;
  fin.type = PacketType::Fin;
  outstanding_.push_back(std::move(fin));
  const std::uint16_t seq = seqNr_;
  seqNr_ = static_cast<std::uint16_t>(seqNr_ + 1);
  finSent_ = true;
  sendOut(seq, outstanding_.back(), nowUs);
}

}  // namespace tributary::utp
