#include "engine/net/TokenBucket.h"

#include <algorithm>
#include <limits>

namespace tributary::net {

namespace {

constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;
// Debt is clamped here so a huge consume() cannot wrap tokens_ around.
constexpr std::int64_t kMaxDebt = std::int64_t{1} << 62;
constexpr std::int64_t kMaxElapsedNanos = std::int64_t{1} << 62;
// A wait longer than this is cut short; the caller asks again when it wakes.
constexpr std::chrono::nanoseconds kMaxDelay = std::chrono::hours(24);

}  // namespace

std::uint64_t TokenBucket::defaultBurst(std::uint64_t rate) noexcept {
  if (rate == kUnlimited) {
    return 0;
  }
  return std::max(kMinBurst, rate / 10);
}

TokenBucket::TokenBucket(std::uint64_t rate, std::uint64_t burst)
    : rate_(rate), burst_(rate == kUnlimited ? 0 : (burst != 0 ? burst : defaultBurst(rate))) {
  burst_ = std::min<std::uint64_t>(burst_, std::numeric_limits<std::int64_t>::max());
  tokens_ = static_cast<std::int64_t>(burst_);
}

void TokenBucket::refill(TimePoint now) {
  if (!hasTime_) {
    last_ = now;
    hasTime_ = true;
    return;
  }
  // Callers on different threads (SharedTokenBucket) may pass slightly older times:
  // time never runs backwards here, it just adds nothing.
  if (now <= last_) {
    return;
  }
  // Clamped to ~146 years so rate × elapsed fits in 128 bits for any 64-bit rate.
  const auto elapsed = std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_).count(), kMaxElapsedNanos);
  last_ = now;
  if (rate_ == kUnlimited) {
    return;
  }
  const Wide room = static_cast<Wide>(burst_) - tokens_;
  if (room <= 0) {
    carry_ = 0;
    return;
  }
  const Wide credit = static_cast<Wide>(rate_) * elapsed + carry_;
  const Wide added = credit / kNanosPerSecond;
  if (added >= room) {
    tokens_ = static_cast<std::int64_t>(burst_);
    carry_ = 0;
  } else {
    tokens_ += static_cast<std::int64_t>(added);
    carry_ = static_cast<std::uint64_t>(credit % kNanosPerSecond);
  }
}

void TokenBucket::setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst) {
  refill(now);
  const bool wasUnlimited = unlimited();
  rate_ = rate;
  if (rate == kUnlimited) {
    burst_ = 0;
    tokens_ = 0;
    carry_ = 0;
    return;
  }
  burst_ = std::min<std::uint64_t>(burst != 0 ? burst : defaultBurst(rate),
                                   std::numeric_limits<std::int64_t>::max());
  if (wasUnlimited) {
    tokens_ = static_cast<std::int64_t>(burst_);
    carry_ = 0;
  } else if (tokens_ >= static_cast<std::int64_t>(burst_)) {
    tokens_ = static_cast<std::int64_t>(burst_);
    carry_ = 0;
  }
}

std::uint64_t TokenBucket::quota(TimePoint now, std::uint64_t wanted) {
  refill(now);
  if (unlimited()) {
    return wanted;
  }
  if (tokens_ <= 0) {
    return 0;
  }
  return std::min(wanted, static_cast<std::uint64_t>(tokens_));
}

void TokenBucket::consume(std::uint64_t bytes) noexcept {
  if (unlimited()) {
    return;
  }
  const Wide left = static_cast<Wide>(tokens_) - static_cast<Wide>(bytes);
  tokens_ = left < -kMaxDebt ? -kMaxDebt : static_cast<std::int64_t>(left);
}

std::int64_t TokenBucket::tokens(TimePoint now) {
  refill(now);
  return tokens_;
}

std::chrono::nanoseconds TokenBucket::delayUntilAvailable(TimePoint now, std::uint64_t wanted) {
  refill(now);
  if (unlimited()) {
    return std::chrono::nanoseconds::zero();
  }
  const std::uint64_t target = std::clamp<std::uint64_t>(wanted, 1, burst_);
  if (tokens_ >= static_cast<std::int64_t>(target)) {
    return std::chrono::nanoseconds::zero();
  }
  return creditTime(static_cast<Wide>(target) - tokens_);
}

std::chrono::nanoseconds TokenBucket::timeToEarn(std::uint64_t bytes) const noexcept {
  if (unlimited() || bytes == 0) {
    return std::chrono::nanoseconds::zero();
  }
  return creditTime(bytes);
}

std::chrono::nanoseconds TokenBucket::creditTime(Wide bytes) const noexcept {
  const Wide credit = bytes * kNanosPerSecond - carry_;  // > 0: bytes >= 1, carry_ < 1e9
  const Wide nanos = (credit + rate_ - 1) / rate_;
  if (nanos >= kMaxDelay.count()) {
    return kMaxDelay;
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(nanos));
}

void TokenBucket::refund(std::uint64_t bytes) noexcept {
  if (unlimited()) {
    return;
  }
  const Wide sum = static_cast<Wide>(tokens_) + bytes;
  tokens_ = sum > static_cast<Wide>(burst_) ? static_cast<std::int64_t>(burst_)
                                            : static_cast<std::int64_t>(sum);
}

}  // namespace tributary::net
