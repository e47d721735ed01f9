// Internal: the congestion side of one uTP connection: the round-trip time
// estimate and retransmission timeout, and LEDBAT (RFC 6817 as BEP 29 and
// libutp apply it): the window grows while the one-way delay the peer
// measures for our packets stays under the target, shrinks above it, and
// halves on loss. Pure arithmetic on times passed in (microseconds).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tributary::utp {

struct CongestionConfig {
  std::uint32_t targetDelayUs = 100'000;
  std::size_t packetSize = 1400;  // one full packet's payload: the unit of the window's floor
  std::size_t maxWindow = std::size_t{8} << 20;
  std::size_t gainBytesPerRtt = 3000;  // growth per RTT at zero queueing delay (libutp's figure)
  std::uint32_t minRtoUs = 500'000;
  std::uint32_t maxRtoUs = 60'000'000;
};

// The lowest one-way delay seen over the last few minutes: the "base" that
// queueing delay is measured against. Kept as per-minute minima so that an
// old low sample (or clock drift between the hosts) ages out.
class DelayBase {
 public:
  void add(std::uint32_t sample, std::uint64_t nowUs);
  // sample - base, wrap-aware; 0 before any sample.
  std::uint32_t queueingDelay(std::uint32_t sample) const;
  bool empty() const { return !any_; }

 private:
  static constexpr std::size_t kMinutes = 3;
  std::array<std::uint32_t, kMinutes> minima_{};
  std::uint32_t base_ = 0;
  std::uint64_t bucketStartUs_ = 0;
  std::size_t bucket_ = 0;
  bool any_ = false;
};

class Congestion {
 public:
  explicit Congestion(CongestionConfig config = {});

  // A round-trip sample from a packet sent once (Karn: never a retransmitted one).
  void onRttSample(std::uint32_t rttUs);
  // The peer's timestamp_difference on a packet that acked bytesAcked of ours.
  void onAck(std::size_t bytesAcked, std::uint32_t peerDelaySample, std::uint64_t nowUs,
             std::size_t bytesInFlight);
  // A packet was lost (duplicate ACKs or SACK): at most one halving per window
  // (the caller says when a new loss window starts).
  void onLoss();
  // The oldest packet's timer expired: back to one packet, the RTO doubled.
  void onTimeout();
  // Any new ACK: the consecutive timeouts are over.
  void onProgress() { timeouts_ = 0; }

  std::size_t window() const { return cwnd_; }
  std::uint32_t rtoUs() const;
  std::uint32_t rttUs() const { return rttUs_; }
  bool hasRtt() const { return hasRtt_; }
  unsigned consecutiveTimeouts() const { return timeouts_; }
  std::uint32_t lastQueueingDelayUs() const { return lastDelay_; }
  bool inSlowStart() const { return slowStart_; }
  std::uint64_t losses() const { return losses_; }  // onLoss() calls: halvings

 private:
  CongestionConfig config_;
  DelayBase delayBase_;
  std::size_t cwnd_;
  std::size_t ssthresh_;
  bool slowStart_ = true;
  bool hasRtt_ = false;
  std::uint32_t rttUs_ = 0;
  std::uint32_t rttVarUs_ = 0;
  unsigned timeouts_ = 0;
  std::uint32_t lastDelay_ = 0;
  std::uint64_t losses_ = 0;
};

}  // namespace tributary::utp
