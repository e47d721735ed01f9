#include "engine/dht/SourceRateLimiter.h"

#include <algorithm>

namespace tributary::dht {

SourceRateLimiter::SourceRateLimiter(double perSecond, double burst, std::size_t maxSources)
    : perMs_(std::max(perSecond, 0.001) / 1000.0),
      burst_(std::max(burst, 1.0)),
      maxSources_(std::max<std::size_t>(maxSources, 1)) {}

void SourceRateLimiter::sweep(std::uint64_t nowMs) {
  // A bucket that has refilled completely carries no state worth keeping.
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return b.tokens + static_cast<double>(nowMs - b.lastMs) * perMs_ >= burst_;
  });
}

bool SourceRateLimiter::allow(const loop::SocketAddress& from, std::uint64_t nowMs) {
  const loop::SocketAddress key = from.withPort(0);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= maxSources_) {
      sweep(nowMs);
      if (buckets_.size() >= maxSources_) {
        return false;
      }
    }
    it = buckets_.emplace(key, Bucket{burst_, nowMs}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + static_cast<double>(nowMs - b.lastMs) * perMs_);
  b.lastMs = nowMs;
  if (b.tokens < 1.0) {
    return false;
  }
  b.tokens -= 1.0;
  return true;
}

}  // namespace tributary::dht
