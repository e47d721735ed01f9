// Life and timers of a uTP connection; the send path is in
// UtpConnectionSend.cpp, the receive path in UtpConnectionReceive.cpp.
#include "engine/utp/UtpConnection.h"

#include <algorithm>
#include <utility>

namespace tributary::utp {

UtpConnection::UtpConnection(UtpConfig config, SendFn send)
    : config_(config),
      send_(std::move(send)),
      congestion_([&] {
        CongestionConfig c = config.congestion;
        c.packetSize = config.maxPayload;
        return c;
      }()),
      received_(0),
      reorder_(config.reorderPackets) {}

void UtpConnection::connect(std::uint16_t recvId, std::uint16_t firstSeq, std::uint64_t nowUs,
                            std::uint64_t timeoutUs) {
  if (state_ != State::Idle) {
    return;
  }
  recvId_ = recvId;
  sendId_ = static_cast<std::uint16_t>(recvId + 1);
  seqNr_ = firstSeq;
  seqOldest_ = firstSeq;
  state_ = State::SynSent;
  connectDeadlineUs_ = nowUs + (timeoutUs != 0 ? timeoutUs : config_.connectTimeoutUs);
  OutPacket syn;
  syn.type = PacketType::Syn;
  outstanding_.push_back(std::move(syn));
  seqNr_ = static_cast<std::uint16_t>(seqNr_ + 1);
  sendOut(firstSeq, outstanding_.back(), nowUs);
}

void UtpConnection::accept(const PacketHeader& syn, std::uint16_t firstSeq, std::uint64_t nowUs) {
  if (state_ != State::Idle || syn.type != PacketType::Syn) {
    return;
  }
  recvId_ = static_cast<std::uint16_t>(syn.connectionId + 1);
  sendId_ = syn.connectionId;
  ackNr_ = syn.seqNr;
  seqNr_ = firstSeq;
  seqOldest_ = firstSeq;
  lastAckNr_ = static_cast<std::uint16_t>(firstSeq - 1);
  peerWindow_ = syn.windowSize;
  replyMicro_ = static_cast<std::uint32_t>(nowUs) - syn.timestampUs;
  state_ = State::SynRecv;
  // A spoofed or abandoned SYN must not hold a slot for ever.
  connectDeadlineUs_ = nowUs + config_.connectTimeoutUs;
  // Our STATE carries the sequence number our first DATA will use; the
  // initiator takes seq_nr - 1 as its ack_nr (libutp, libtorrent).
  sendState(nowUs);
}

bool UtpConnection::finished() const {
  // FinSent ends in tick(): after both FINs (and a short wait) or the linger timeout.
  return state_ == State::Closed;
}

void UtpConnection::fail(ErrorCode code, const char* why) {
  if (state_ == State::Closed) {
    return;
  }
  error_ = Error{code, why};
  events_ |= kFailed;
  dropEverything();
}

void UtpConnection::dropEverything() {
  state_ = State::Closed;
  outstanding_.clear();
  resendCount_ = 0;
  bytesInFlight_ = 0;
  sendQueue_.clear();
  reorder_.clear();
  rtoDeadlineUs_ = 0;
}

void UtpConnection::close(std::uint64_t nowUs) {
  switch (state_) {
    case State::Idle:
    case State::Closed:
      state_ = State::Closed;
      return;
    case State::SynSent:
      // Nobody on the other side knows us yet, or will learn we gave up from a RESET.
      sendReset(nowUs);
      dropEverything();
      return;
    case State::SynRecv:
      // Unconfirmed: perhaps a spoofed SYN. One RESET, no FIN retransmitted for minutes.
      sendReset(nowUs);
      dropEverything();
      return;
    case State::Connected:
      sendQueue_.clear();
      finQueued_ = true;
      state_ = State::FinSent;
      flush(nowUs);
      return;
    case State::FinSent:
      return;
  }
}

void UtpConnection::abort(std::uint64_t nowUs) {
  if (state_ == State::Closed || state_ == State::Idle) {
    state_ = State::Closed;
    return;
  }
  // After both FINs there is nothing left to reset.
  if (!(state_ == State::FinSent && lingerDeadlineUs_ != 0 && eofReported_)) {
    sendReset(nowUs);
  }
  dropEverything();
}

void UtpConnection::tick(std::uint64_t nowUs) {
  if (state_ == State::Closed || state_ == State::Idle) {
    return;
  }
  if (state_ == State::SynSent && nowUs >= connectDeadlineUs_) {
    fail(ErrorCode::Timeout, "utp: connect timed out");
    return;
  }
  if (state_ == State::SynRecv && nowUs >= connectDeadlineUs_) {
    sendReset(nowUs);
    fail(ErrorCode::Timeout, "utp: the initiator never confirmed the connection");
    return;
  }
  if (state_ == State::FinSent && lingerDeadlineUs_ != 0 && nowUs >= lingerDeadlineUs_) {
    // Done: both FINs exchanged, or the peer never sent its own.
    state_ = State::Closed;
    reorder_.clear();
    return;
  }
  if (rtoDeadlineUs_ != 0 && nowUs >= rtoDeadlineUs_) {
    onRetransmitTimeout(nowUs);
    if (state_ == State::Closed) {
      return;
    }
  }
  // A zero window that never reopens (its update was lost) is probed from flush().
  flush(nowUs);
  if (state_ == State::Connected && nowUs - lastSendUs_ >= config_.keepAliveUs) {
    sendState(nowUs);
  }
}

void UtpConnection::onRetransmitTimeout(std::uint64_t nowUs) {
  if (congestion_.consecutiveTimeouts() >= config_.maxTimeouts) {
    fail(ErrorCode::Timeout,
         state_ == State::SynSent ? "utp: no answer to SYN" : "utp: peer stopped acknowledging");
    return;
  }
  congestion_.onTimeout();
  // Every packet in flight is presumed lost; they go again, oldest first, as
  // the window (now one packet) allows.
  bool any = false;
  for (std::size_t i = 0; i < outstanding_.size(); ++i) {
    OutPacket& p = outstanding_[i];
    if (!p.sacked && p.transmissions > 0) {
      markLost(i);
      any = true;
    }
  }
  rtoDeadlineUs_ = any ? nowUs + congestion_.rtoUs() : 0;
  lossWindowOpen_ = true;
  lossSeq_ = static_cast<std::uint16_t>(seqNr_ - 1);
  flush(nowUs);
}

std::uint64_t UtpConnection::nextDeadlineUs() const {
  constexpr std::uint64_t kNever = UINT64_MAX;
  std::uint64_t next = kNever;
  auto consider = [&next](std::uint64_t at) { next = std::min(next, at); };
  switch (state_) {
    case State::Idle:
    case State::Closed:
      return kNever;
    case State::SynSent:
    case State::SynRecv:
      consider(connectDeadlineUs_);
      break;
    case State::Connected:
      consider(lastSendUs_ + config_.keepAliveUs);
      break;
    case State::FinSent:
      if (lingerDeadlineUs_ != 0) {
        consider(lingerDeadlineUs_);
      }
      break;
  }
  if (rtoDeadlineUs_ != 0) {
    consider(rtoDeadlineUs_);
  }
  // A closed window is probed from flush() once it has been closed an RTO.
  if (zeroWindowSinceUs_ != 0) {
    consider(zeroWindowSinceUs_ + congestion_.rtoUs());
  }
  return next;
}

void UtpConnection::onOwnFinAcked(std::uint64_t nowUs) {
  // Stay to ack the peer's late data and its FIN rather than reset them.
  const std::uint64_t wait = eofReported_ ? config_.lingerAfterEofUs : config_.lingerUs;
  const std::uint64_t deadline = nowUs + wait;
  if (lingerDeadlineUs_ == 0 || deadline < lingerDeadlineUs_) {
    lingerDeadlineUs_ = deadline;
  }
}

std::size_t UtpConnection::advertisedWindow() const {
  const std::size_t used = received_.readableBytes() + reorder_.bytes();
  return used >= config_.receiveBufferBytes ? 0 : config_.receiveBufferBytes - used;
}

void UtpConnection::onConsumed(std::uint64_t nowUs) {
  if (state_ != State::SynRecv && state_ != State::Connected && state_ != State::FinSent) {
    return;
  }
  // The peer stops at a window too small for a packet; tell it at once when
  // reading made room, rather than leaving it to its probe.
  if (lastAdvertised_ < config_.maxPayload && advertisedWindow() >= config_.maxPayload) {
    sendState(nowUs);
  }
}

}  // namespace tributary::utp
