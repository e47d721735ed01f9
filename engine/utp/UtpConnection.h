// Internal: one uTP connection (BEP 29) as a sans-IO state machine: no loop,
// no socket, no clock of its own. The owner feeds it parsed packets, the
// application's writes and reads, and ticks, each with the current time in
// microseconds; it hands the datagrams it wants sent to a callback, and
// reports what happened through takeEvents() after each call, so no
// application code ever runs inside it (the send callback aside, which must
// only send). Tests drive it over a simulated link with a virtual clock.
//
// Life: Idle -> connect() -> SynSent -> Connected, or accept() -> SynRecv ->
// Connected (once the initiator's first packet after its SYN shows it knows
// our sequence numbers: until then our DATA would be misnumbered to it);
// close() -> FinSent until our FIN is acked and the peer's FIN arrived (or
// a linger timer ran out); Closed on failure, reset, abort or the end of the
// FIN exchange. finished() says when the owner may forget it. An accepted
// connection that is closed or times out before the initiator confirmed it
// is reset once and forgotten (no FIN: nobody may be there).
//
// Connection ids follow BEP 29: the initiator picks recvId and sends with
// recvId + 1, putting recvId in its SYN; the acceptor receives on the SYN's
// id + 1 and sends with the SYN's id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/Buffer.h"
#include "engine/util/SendQueue.h"
#include "engine/util/UniqueFunction.h"
#include "engine/utp/UtpCongestion.h"
#include "engine/utp/UtpPacket.h"
#include "engine/utp/UtpReorderBuffer.h"

namespace tributary::utp {

struct UtpConfig {
  // Payload bytes per packet: with our 20-byte header and IPv6/UDP headers a
  // DATA packet stays under a 1500-byte MTU, as real uTP peers' do on real
  // links (a SACK rides only on STATE packets, which carry no payload).
  std::size_t maxPayload = 1400;
  // In-order bytes the application has not read plus out-of-order packets
  // held; what is left is the window we advertise.
  std::size_t receiveBufferBytes = std::size_t{1} << 20;
  // Sequence numbers past the next expected one that we hold (a power of
  // two, <= 8 * kMaxSackBytes); later packets are dropped.
  std::size_t reorderPackets = 1024;
  // Packets sent and not yet cumulatively acked (well under half the 16-bit
  // sequence space, so old and new numbers never mix).
  std::size_t maxOutstandingPackets = 2048;
  // How long a dial waits for the answer to its SYN, and how long an
  // accepted connection waits for the initiator's first packet after it.
  std::uint64_t connectTimeoutUs = 10'000'000;
  // After our FIN is acked: how long we wait for the peer's FIN (its late
  // data and FIN are still acked, not reset), and how long we stay after both
  // FINs so a FIN whose ACK was lost is acked again.
  std::uint64_t lingerUs = 5'000'000;
  std::uint64_t lingerAfterEofUs = 1'000'000;
  // Consecutive retransmission timeouts (each doubling the RTO) before the
  // connection fails with Timeout.
  unsigned maxTimeouts = 7;
  std::uint64_t keepAliveUs = 29'000'000;
  CongestionConfig congestion;
};

class UtpConnection {
 public:
  using SendFn = util::UniqueFunction<void(std::span<const std::byte> datagram)>;

  enum class State : std::uint8_t { Idle, SynSent, SynRecv, Connected, FinSent, Closed };
  // Bits of takeEvents().
  static constexpr unsigned kConnected = 1;  // the SYN was answered
  static constexpr unsigned kReadable = 2;   // new in-order bytes in received()
  static constexpr unsigned kEof = 4;        // the peer's FIN and all before it arrived
  static constexpr unsigned kFailed = 8;     // see error(): reset, timeout, refused

  UtpConnection(UtpConfig config, SendFn send);
  UtpConnection(const UtpConnection&) = delete;
  UtpConnection& operator=(const UtpConnection&) = delete;

  // Initiator: sends the SYN. firstSeq: our first sequence number (random in
  // real use; tests pick one near the wrap). timeoutUs 0 = the config's.
  void connect(std::uint16_t recvId, std::uint16_t firstSeq, std::uint64_t nowUs,
               std::uint64_t timeoutUs = 0);
  // Acceptor: answers the peer's SYN.
  void accept(const PacketHeader& syn, std::uint16_t firstSeq, std::uint64_t nowUs);

  // A packet addressed to this connection (the owner matched the peer and
  // the id; a wrong id is ignored here too).
  void onPacket(const Packet& packet, std::uint64_t nowUs);
  // Timers: retransmission, connect timeout, zero-window probe, keep-alive, linger.
  void tick(std::uint64_t nowUs);
  // When tick() next has something to do: the owner ticks only then (and
  // asks again after every call into the connection). UINT64_MAX: never
  // (Idle or Closed; a Closed one is finished()).
  std::uint64_t nextDeadlineUs() const;

  // The application's bytes to send, in order. Push, then flush(). Progress
  // callbacks run inside flush()/onPacket()/tick() as bytes are packetized:
  // they must not call back into this connection.
  util::SendQueue& sendQueue() { return sendQueue_; }
  std::size_t pendingWriteBytes() const { return sendQueue_.pendingBytes(); }
  bool canWrite() const {
    return state_ == State::SynSent || state_ == State::SynRecv || state_ == State::Connected;
  }
  void flush(std::uint64_t nowUs);

  // In-order bytes received; retrieve what you use, then call onConsumed()
  // so a window that had closed is advertised open again.
  util::Buffer& received() { return received_; }
  void onConsumed(std::uint64_t nowUs);

  // Orderly: unsent bytes are dropped, a FIN follows what is in flight.
  void close(std::uint64_t nowUs);
  // Sends a RESET and closes at once.
  void abort(std::uint64_t nowUs);

  unsigned takeEvents() {
    const unsigned e = events_;
    events_ = 0;
    return e;
  }
  State state() const { return state_; }
  bool finished() const;
  const Error& error() const { return error_; }

  std::uint16_t recvId() const { return recvId_; }
  std::uint16_t sendId() const { return sendId_; }
  std::uint16_t nextSeq() const { return seqNr_; }
  std::uint16_t ackNr() const { return ackNr_; }

  std::uint64_t bytesRead() const { return bytesRead_; }
  std::uint64_t bytesWritten() const { return bytesWritten_; }  // packetized and sent once
  std::size_t bytesInFlight() const { return bytesInFlight_; }
  std::uint32_t peerWindow() const { return peerWindow_; }
  std::size_t advertisedWindow() const;
  const Congestion& congestion() const { return congestion_; }
  std::uint64_t packetsSent() const { return packetsSent_; }
  std::uint64_t retransmissions() const { return retransmissions_; }
  std::uint64_t packetsIgnored() const { return packetsIgnored_; }

 private:
  struct OutPacket {
    PacketType type = PacketType::Data;
    std::vector<std::byte> payload;
    std::uint64_t sentUs = 0;
    unsigned transmissions = 0;
    bool inFlight = false;        // counted in bytesInFlight_
    bool sacked = false;          // a selective ACK covered it
    bool needResend = false;      // declared lost
    std::uint64_t sendIndex = 0;  // order of the last transmission, for SACK loss detection
  };

  // UtpConnection.cpp: life and timers.
  void fail(ErrorCode code, const char* why);
  void dropEverything();  // Closed, with nothing left to send, resend or deliver
  void onRetransmitTimeout(std::uint64_t nowUs);

  // UtpConnectionSend.cpp.
  bool windowAllows(std::size_t size, std::uint64_t nowUs);
  void sendOut(std::uint16_t seq, OutPacket& packet, std::uint64_t nowUs);
  void sendState(std::uint64_t nowUs);
  void sendReset(std::uint64_t nowUs);
  void sendDatagram(const PacketHeader& header, std::span<const std::byte> sack,
                    std::span<const std::byte> payload, std::uint64_t nowUs);
  PacketHeader headerFor(PacketType type, std::uint16_t seq, std::uint64_t nowUs);
  void buildSack(std::vector<std::byte>& out) const;
  void markLost(std::size_t index);
  void onLoss(std::uint16_t seq);
  void queueFinIfDue(std::uint64_t nowUs);

  // UtpConnectionReceive.cpp.
  bool onAck(const Packet& packet, std::uint64_t nowUs);
  void onSelectiveAck(std::span<const std::byte> sack, std::size_t& bytesAcked,
                      std::uint64_t nowUs);
  void onPayloadPacket(const Packet& packet, std::uint64_t nowUs);
  void deliver(std::span<const std::byte> payload);
  void checkEof();
  void onOwnFinAcked(std::uint64_t nowUs);

  UtpConfig config_;
  SendFn send_;
  Congestion congestion_;
  State state_ = State::Idle;
  unsigned events_ = 0;
  Error error_;

  std::uint16_t recvId_ = 0;
  std::uint16_t sendId_ = 0;
  std::uint16_t seqNr_ = 0;      // the next sequence number we send
  std::uint16_t seqOldest_ = 0;  // outstanding_.front()'s
  std::uint16_t ackNr_ = 0;      // the last in-order sequence number received
  std::deque<OutPacket> outstanding_;
  std::size_t resendCount_ =
      0;  // outstanding_ packets with needResend: flush() skips the scan at 0
  std::size_t bytesInFlight_ = 0;
  util::SendQueue sendQueue_;
  std::vector<std::byte> datagram_;  // reused for every send
  std::uint64_t sendCounter_ = 0;
  bool ackDue_ = false;  // a packet of theirs waits for our ACK

  std::uint32_t peerWindow_ = 0;
  std::uint32_t replyMicro_ = 0;  // our receive time minus the peer's timestamp, echoed back
  unsigned duplicateAcks_ = 0;
  std::uint16_t lastAckNr_ = 0;
  bool lossWindowOpen_ = false;  // a loss halved cwnd; more losses up to lossSeq_ do not
  std::uint16_t lossSeq_ = 0;

  util::Buffer received_;
  UtpReorderBuffer reorder_;
  bool gotFin_ = false;
  std::uint16_t eofSeq_ = 0;
  bool eofReported_ = false;
  std::size_t lastAdvertised_ = 0;

  std::uint64_t lingerDeadlineUs_ = 0;  // 0 = our FIN is not acked yet
  bool finQueued_ = false;              // close() asked for a FIN
  bool finSent_ = false;
  std::uint64_t connectDeadlineUs_ = 0;
  std::uint64_t rtoDeadlineUs_ = 0;  // 0 = nothing in flight
  std::uint64_t zeroWindowSinceUs_ = 0;
  std::uint64_t lastSendUs_ = 0;

  std::uint64_t bytesRead_ = 0;
  std::uint64_t bytesWritten_ = 0;
  std::uint64_t packetsSent_ = 0;
  std::uint64_t retransmissions_ = 0;
  std::uint64_t packetsIgnored_ = 0;
};

}  // namespace tributary::utp
