// Internal: the download (or upload) limit of one task, two levels deep: the task's
// own bucket, owned by the task's loop, and the engine-wide SharedTokenBucket that
// tasks on every loop draw from. A byte is granted only when both allow it and is
// charged to both. Not thread-safe itself (one task = one loop); the global bucket is.
//
// Fairness between tasks under the global limit: round-robin in slices, per task
// (SharedTokenBucket.h explains).
//
// A connection reads like this (the loop passes its cached now):
//   n = limiter.quota(now, bufferSize);
//   if (n == 0) { stop reading; timer in ceil(limiter.delayUntilAvailable(now, chunk)) }
//   else        { read at most n; limiter.consume(bytesRead); }
// Ask for a chunk of a useful size (16 KiB or so), not 1 byte, or a slow limit wakes
// the connection for every few bytes.
//
// Accuracy: the refill is exact to the nanosecond and debt is carried, so over any
// window the bytes granted are rate × window plus at most one burst (100 ms of
// traffic by default, at least 16 KiB — so for rates under ~160 KB/s the burst is a
// larger share of a short window).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "engine/net/SharedTokenBucket.h"
#include "engine/net/TokenBucket.h"

namespace tributary::net {

class RateLimiter {
 public:
  using TimePoint = TokenBucket::TimePoint;

  // `global` may be null (no engine-wide limit); every task's limiter shares it.
  // Registers with `global` as one client: the task's connections share its turn.
  explicit RateLimiter(std::shared_ptr<SharedTokenBucket> global = nullptr,
                       std::uint64_t rate = TokenBucket::kUnlimited, std::uint64_t burst = 0);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // The task's own limit (0 = unlimited); takes effect at once.
  void setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst = 0);
  std::uint64_t rate() const noexcept { return task_.rate(); }
  const std::shared_ptr<SharedTokenBucket>& global() const noexcept { return global_; }

  // Bytes that may be read now, at most `wanted`: the smaller of the two buckets'.
  std::uint64_t quota(TimePoint now, std::uint64_t wanted);
  // Charges both buckets; may exceed the last quota (the excess becomes debt).
  void consume(std::uint64_t bytes);
  // How long until both buckets can grant min(wanted, their burst) bytes. The global
  // answer is a forecast: another task may take those tokens first, in which case the
  // connection gets a quota of 0 when it wakes and simply waits again.
  std::chrono::nanoseconds delayUntilAvailable(TimePoint now, std::uint64_t wanted = 1);

 private:
  TokenBucket task_;
  std::shared_ptr<SharedTokenBucket> global_;
  SharedTokenBucket::ClientId client_ = 0;
};

}  // namespace tributary::net
