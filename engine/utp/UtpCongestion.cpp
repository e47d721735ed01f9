#include "engine/utp/UtpCongestion.h"

#include <algorithm>
#include <cstdint>

namespace tributary::utp {
namespace {

constexpr std::uint64_t kMinuteUs = 60'000'000;
// The first RTO, before any sample (BEP 29: 1000 ms).
constexpr std::uint32_t kInitialRtoUs = 1'000'000;

}  // namespace

void DelayBase::add(std::uint32_t sample, std::uint64_t nowUs) {
  if (!any_) {
    minima_.fill(sample);
    base_ = sample;
    bucketStartUs_ = nowUs;
    any_ = true;
    return;
  }
  // Wrap-aware "sample < x": the clocks of two hosts are unrelated, so the
  // difference may sit anywhere in 32 bits and wrap.
  auto less = [](std::uint32_t a, std::uint32_t b) {
    return a != b && static_cast<std::uint32_t>(b - a) < 0x80000000u;
  };
  if (nowUs - bucketStartUs_ >= kMinuteUs) {
    bucketStartUs_ = nowUs;
    bucket_ = (bucket_ + 1) % kMinutes;
    minima_[bucket_] = sample;
    base_ = sample;
    for (std::uint32_t m : minima_) {
      if (less(m, base_)) {
        base_ = m;
      }
    }
  }
  if (less(sample, minima_[bucket_])) {
    minima_[bucket_] = sample;
  }
  if (less(sample, base_)) {
    base_ = sample;
  }
}

std::uint32_t DelayBase::queueingDelay(std::uint32_t sample) const {
  if (!any_) {
    return 0;
  }
  const std::uint32_t d = sample - base_;
  return d >= 0x80000000u ? 0 : d;
}

Congestion::Congestion(CongestionConfig config)
    : config_(config), cwnd_(2 * config.packetSize), ssthresh_(config.maxWindow) {}

void Congestion::onRttSample(std::uint32_t rttUs) {
  if (!hasRtt_) {
    rttUs_ = rttUs;
    rttVarUs_ = rttUs / 2;
    hasRtt_ = true;
    return;
  }
  const std::int64_t delta = std::int64_t{rttUs_} - std::int64_t{rttUs};
  const std::int64_t absDelta = delta < 0 ? -delta : delta;
  rttVarUs_ = static_cast<std::uint32_t>(std::int64_t{rttVarUs_} +
                                         (absDelta - std::int64_t{rttVarUs_}) / 4);
  rttUs_ = static_cast<std::uint32_t>(std::int64_t{rttUs_} +
                                      (std::int64_t{rttUs} - std::int64_t{rttUs_}) / 8);
}

std::uint32_t Congestion::rtoUs() const {
  std::uint64_t rto =
      hasRtt_ ? std::max<std::uint64_t>(std::uint64_t{rttUs_} + 4ull * rttVarUs_, config_.minRtoUs)
              : kInitialRtoUs;
  rto <<= std::min(timeouts_, 16u);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(rto, config_.maxRtoUs));
}

void Congestion::onAck(std::size_t bytesAcked, std::uint32_t peerDelaySample, std::uint64_t nowUs,
                       std::size_t bytesInFlight) {
  if (bytesAcked == 0) {
    return;
  }
  // A zero sample means the peer had no timestamp of ours to answer yet.
  if (peerDelaySample != 0) {
    delayBase_.add(peerDelaySample, nowUs);
    lastDelay_ = delayBase_.queueingDelay(peerDelaySample);
  }
  const double target = config_.targetDelayUs;
  const double offTarget = (target - static_cast<double>(lastDelay_)) / target;  // 1 .. -inf

  // An application that does not fill the window must not grow it: the
  // delay says nothing about a window it never used.
  const bool windowLimited = bytesInFlight + bytesAcked + config_.packetSize >= cwnd_;

  if (slowStart_) {
    if (lastDelay_ > config_.targetDelayUs / 2 || cwnd_ >= ssthresh_) {
      slowStart_ = false;
    } else if (windowLimited) {
      cwnd_ = std::min(cwnd_ + bytesAcked, config_.maxWindow);
      return;
    } else {
      return;
    }
  }
  double gain = static_cast<double>(config_.gainBytesPerRtt) * offTarget *
                static_cast<double>(bytesAcked) / static_cast<double>(std::max(cwnd_, bytesAcked));
  if (gain > 0 && !windowLimited) {
    gain = 0;
  }
  const double next = static_cast<double>(cwnd_) + gain;
  const double floor = static_cast<double>(config_.packetSize);
  const double ceiling = static_cast<double>(config_.maxWindow);
  cwnd_ = static_cast<std::size_t>(std::clamp(next, floor, ceiling));
}

void Congestion::onLoss() {
  ++losses_;
  cwnd_ = std::max(cwnd_ / 2, config_.packetSize);
  ssthresh_ = cwnd_;
  slowStart_ = false;
}

void Congestion::onTimeout() {
  ++timeouts_;
  ssthresh_ = std::max(cwnd_ / 2, 2 * config_.packetSize);
  cwnd_ = config_.packetSize;
  slowStart_ = true;
}

}  // namespace tributary::utp
