// Internal: a token bucket per source IP for incoming DHT queries, so nobody
// can use our answers (larger than their queries) to flood a third party
// whose address they forge. Bounded in sources; when full, idle sources are
// swept and, failing that, new sources are refused until some go idle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

class SourceRateLimiter {
 public:
  SourceRateLimiter(double perSecond, double burst, std::size_t maxSources = 4096);

  // Takes one token from this IP's bucket (the port does not matter).
  bool allow(const loop::SocketAddress& from, std::uint64_t nowMs);
  std::size_t sourceCount() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    std::uint64_t lastMs = 0;
  };
  void sweep(std::uint64_t nowMs);

  double perMs_;
  double burst_;
  std::size_t maxSources_;
  std::unordered_map<loop::SocketAddress, Bucket> buckets_;
};

}  // namespace tributary::dht
