// Internal: asynchronous DNS for one EventLoop. Names go to getaddrinfo on
// libuv's thread pool; the answer comes back on the loop thread. One Resolver
// per loop, made and used on the loop thread, so its cache needs no lock.
// When the loop stops, pending callbacks are dropped unrun (in a shutdown
// hook); after that the Resolver answers nothing and may be destroyed on any
// thread.
//
// Results are every IPv4 and IPv6 address in the order the system gave them
// (duplicates removed). Callers try them in that order and move to the next
// on failure, which also moves to the other family when one is broken.
//
// - IP literals ("1.2.3.4", "::1", "[::1]") resolve without getaddrinfo.
// - Names under "invalid" fail at once (RFC 6761 section 6.4): no query.
// - Concurrent lookups of one name share one getaddrinfo call.
// - Answers are cached per name for `ttl` (getaddrinfo gives no TTL), at most
//   `maxEntries` names, evicting the least recently used. Failures are not cached.
// - Failures are ErrorCode::DnsFailure with getaddrinfo's text.
//
// The callback never runs inside resolve(): at the earliest on the next loop
// tick. The returned Request is the cancel token: destroying or cancelling it
// (or destroying the Resolver) means the callback never runs and is destroyed
// at once. Nothing crosses to the thread pool but libuv's own request.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::loop {

struct ResolverOptions {
  std::chrono::milliseconds ttl{60'000};  // 0 = no cache
  std::size_t maxEntries = 256;
};

class Resolver {
 public:
  using Addresses = std::vector<SocketAddress>;
  // On success, at least one address, each with the requested port.
  using Callback = util::UniqueFunction<void(Result<Addresses>)>;

  struct Core;

  // Cancels its lookup when destroyed. Move-only; empty when default-made.
  // Loop thread only while the Resolver lives.
  class Request {
   public:
    Request() = default;
    Request(Request&& other) noexcept;
    Request& operator=(Request&& other) noexcept;
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;
    ~Request() { cancel(); }

    void cancel();
    // The callback has neither run nor been cancelled.
    bool pending() const;

   private:
    friend class Resolver;
    Request(std::weak_ptr<Core> core, std::uint64_t id) : core_(std::move(core)), id_(id) {}

    std::weak_ptr<Core> core_;
    std::uint64_t id_ = 0;
  };

  explicit Resolver(EventLoop& loop, ResolverOptions options = {});
  ~Resolver();  // pending callbacks are destroyed without running
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // host: a name or an IP literal (IPv6 with or without brackets).
  [[nodiscard]] Request resolve(std::string_view host, std::uint16_t port, Callback cb);

  void clearCache();
  std::size_t cacheSize() const;
  // For tests and stats: getaddrinfo calls started, answers served from the cache.
  std::uint64_t systemLookups() const;
  std::uint64_t cacheHits() const;

  EventLoop& loop() const { return loop_; }

 private:
  EventLoop& loop_;
  std::shared_ptr<Core> core_;  // the only owner: lookups and Requests hold weak references
};

}  // namespace tributary::loop
