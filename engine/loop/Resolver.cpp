#include "engine/loop/Resolver.h"

#include <uv.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/loop/UvError.h"

namespace tributary::loop {
namespace {

constexpr std::size_t kMaxHostLength = 253;  // RFC 1035, without the final dot

struct Lookup;

}  // namespace

struct Resolver::Core {
  struct Waiter {
    Callback callback;
    std::uint16_t port = 0;
    Lookup* lookup = nullptr;  // the getaddrinfo call it waits for, if any
  };
  struct CacheEntry {
    Addresses addresses;  // port 0
    std::uint64_t expiresAtMs = 0;
    std::uint64_t lastUse = 0;
  };

  Core(EventLoop& l, ResolverOptions o) : loop(l), options(o) {}

  void deliver(std::uint64_t id, Result<Addresses> result);
  void cancel(std::uint64_t id);
  void cancelAll();
  std::optional<Addresses> cached(const std::string& host);
  void store(const std::string& host, const Addresses& addresses);

  EventLoop& loop;
  const ResolverOptions options;
  std::uint64_t nextId = 1;
  std::unordered_map<std::uint64_t, Waiter> waiters;
  std::unordered_map<std::string, Lookup*> inflight;  // joinable getaddrinfo calls
  std::unordered_map<std::string, CacheEntry> cache;
  std::uint64_t useClock = 0;
  std::uint64_t systemLookups = 0;
  std::uint64_t cacheHits = 0;
  bool shutDown = false;  // the loop is stopping: answer nobody
};

namespace {

// Owned by libuv's request from uv_getaddrinfo until its callback, whatever
// happens to the Resolver meanwhile; it reaches the Resolver only through a
// weak reference, on the loop thread.
struct Lookup {
  uv_getaddrinfo_t req{};
  std::weak_ptr<Resolver::Core> core;
  std::string host;
  std::vector<std::uint64_t> waiterIds;  // in request order
};

std::string normalizeHost(std::string_view host) {
  std::string out(host);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool plausibleHost(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength + 1) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

bool isReservedInvalid(std::string_view host) {
  if (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);
  }
  constexpr std::string_view kSuffix = ".invalid";
  return host == "invalid" ||
         (host.size() > kSuffix.size() && host.substr(host.size() - kSuffix.size()) == kSuffix);
}

Result<Resolver::Addresses> collect(const addrinfo* list, const std::string& host) {
  Resolver::Addresses out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    const auto address = SocketAddress::fromSockaddr(ai->ai_addr);
    if (address && std::find(out.begin(), out.end(), *address) == out.end()) {
      out.push_back(*address);
    }
  }
  if (out.empty()) {
    return Error{ErrorCode::DnsFailure, "resolve " + host + ": no IPv4 or IPv6 address"};
  }
  return out;
}

void onResolved(uv_getaddrinfo_t* req, int status, addrinfo* res) {
  std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(req->data));
  Result<Resolver::Addresses> result =
      status == 0 ? collect(res, lookup->host) : uvError(status, "resolve " + lookup->host);
  uv_freeaddrinfo(res);
  // Held for the whole delivery: a callback may destroy the Resolver, which
  // then empties the waiters, so the rest are skipped.
  const std::shared_ptr<Resolver::Core> core = lookup->core.lock();
  if (core == nullptr) {
    return;
  }
  const auto it = core->inflight.find(lookup->host);
  if (it != core->inflight.end() && it->second == lookup.get()) {
    core->inflight.erase(it);
  }
  if (result.ok()) {
    core->store(lookup->host, result.value());
  }
  for (const std::uint64_t id : lookup->waiterIds) {
    core->deliver(id, result);
  }
}

}  // namespace

void Resolver::Core::deliver(std::uint64_t id, Result<Addresses> result) {
  const auto it = waiters.find(id);
  if (it == waiters.end()) {
    return;  // cancelled
  }
  Waiter waiter = std::move(it->second);
  waiters.erase(it);
  if (result.ok()) {
    for (SocketAddress& address : result.value()) {
      address.setPort(waiter.port);
    }
  }
  waiter.callback(std::move(result));
}

void Resolver::Core::cancel(std::uint64_t id) {
  const auto it = waiters.find(id);
  if (it == waiters.end()) {
    return;
  }
  loop.assertInLoopThread();
  Waiter waiter = std::move(it->second);  // its callback dies at the end of this call
  waiters.erase(it);
  Lookup* lookup = waiter.lookup;
  if (lookup == nullptr) {
    return;
  }
  std::erase(lookup->waiterIds, id);
  // Nobody waits any more: stop the query if the pool has not started it. A
  // started one runs to its end and fills the cache; later requests may join it.
  if (lookup->waiterIds.empty() && uv_cancel(reinterpret_cast<uv_req_t*>(&lookup->req)) == 0) {
    const auto found = inflight.find(lookup->host);
    if (found != inflight.end() && found->second == lookup) {
      inflight.erase(found);
    }
  }
}

void Resolver::Core::cancelAll() {
  for (auto& [host, lookup] : inflight) {
    uv_cancel(reinterpret_cast<uv_req_t*>(&lookup->req));  // best effort: see cancel()
  }
  // Exchanged out first: a callback's destructor may reach this Core again.
  auto dropped = std::exchange(waiters, {});
}

std::optional<Resolver::Addresses> Resolver::Core::cached(const std::string& host) {
  const auto it = cache.find(host);
  if (it == cache.end()) {
    return std::nullopt;
  }
  if (loop.nowMs() >= it->second.expiresAtMs) {
    cache.erase(it);
    return std::nullopt;
  }
  it->second.lastUse = ++useClock;
  return it->second.addresses;
}

void Resolver::Core::store(const std::string& host, const Addresses& addresses) {
  if (options.ttl.count() <= 0 || options.maxEntries == 0) {
    return;
  }
  const std::uint64_t now = loop.nowMs();
  if (cache.size() >= options.maxEntries && cache.find(host) == cache.end()) {
    std::erase_if(cache, [now](const auto& entry) { return now >= entry.second.expiresAtMs; });
    if (cache.size() >= options.maxEntries) {
      const auto oldest = std::min_element(
          cache.begin(), cache.end(),
          [](const auto& a, const auto& b) { return a.second.lastUse < b.second.lastUse; });
      cache.erase(oldest);
    }
  }
  cache[host] =
      CacheEntry{addresses, now + static_cast<std::uint64_t>(options.ttl.count()), ++useClock};
}

Resolver::Resolver(EventLoop& loop, ResolverOptions options)
    : loop_(loop), core_(std::make_shared<Core>(loop, options)) {
  loop_.assertInLoopThread();
  // A lookup still running when the loop stops would answer while the loop
  // closes its handles: callbacks are dropped before that, like a socket's.
  loop_.addShutdownHook([weak = std::weak_ptr<Core>(core_)] {
    if (const auto core = weak.lock()) {
      core->shutDown = true;
      core->cancelAll();
    }
  });
}

Resolver::~Resolver() {
  if (!loop_.isClosed()) {
    loop_.assertInLoopThread();
    core_->cancelAll();
  }
  // Whatever is left dies after core_ is gone, so its destructor cannot reach it.
  auto dropped = std::exchange(core_->waiters, {});
  core_.reset();
}

Resolver::Request Resolver::resolve(std::string_view host, std::uint16_t port, Callback cb) {
  loop_.assertInLoopThread();
  Core& core = *core_;
  if (core.shutDown) {
    return Request();  // cb is dropped: nothing answers once the loop is stopping
  }
  const std::uint64_t id = core.nextId++;
  Core::Waiter& waiter = core.waiters[id];
  waiter.callback = std::move(cb);
  waiter.port = port;
  Request request(core_, id);

  // Answers known now still arrive on a later tick, like any other.
  const auto later = [this, id](Result<Addresses> result) {
    loop_.post([core = std::weak_ptr<Core>(core_), id, result = std::move(result)]() mutable {
      if (const auto c = core.lock()) {
        c->deliver(id, std::move(result));
      }
    });
  };

  if (const auto literal = SocketAddress::parse(host, port)) {
    later(Addresses{*literal});
    return request;
  }
  std::string name = normalizeHost(host);
  if (!plausibleHost(name)) {
    later(Error{ErrorCode::DnsFailure, "resolve: not a host name"});
    return request;
  }
  if (isReservedInvalid(name)) {
    later(Error{ErrorCode::DnsFailure, "resolve " + name + ": reserved name (RFC 6761)"});
    return request;
  }
  if (auto hit = core.cached(name)) {
    ++core.cacheHits;
    later(std::move(*hit));
    return request;
  }
  if (const auto joined = core.inflight.find(name); joined != core.inflight.end()) {
    joined->second->waiterIds.push_back(id);
    waiter.lookup = joined->second;
    return request;
  }
  auto lookup = std::make_unique<Lookup>();
  lookup->core = core_;
  lookup->host = std::move(name);
  lookup->waiterIds.push_back(id);
  lookup->req.data = lookup.get();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // No AAAA answers on a host without IPv6 (and no A without IPv4): nothing to try in vain.
  hints.ai_flags = AI_ADDRCONFIG;
  const int rc = uv_getaddrinfo(loop_.uvLoop(), &lookup->req, onResolved, lookup->host.c_str(),
                                nullptr, &hints);
  if (rc != 0) {
    later(uvError(rc, "resolve " + lookup->host));
    return request;
  }
  ++core.systemLookups;
  waiter.lookup = lookup.get();
  core.inflight[lookup->host] = lookup.get();
  lookup.release();  // owned by the request until onResolved
  return request;
}

void Resolver::clearCache() {
  loop_.assertInLoopThread();
  core_->cache.clear();
}

std::size_t Resolver::cacheSize() const {
  return core_->cache.size();
}

std::uint64_t Resolver::systemLookups() const {
  return core_->systemLookups;
}

std::uint64_t Resolver::cacheHits() const {
  return core_->cacheHits;
}

Resolver::Request::Request(Request&& other) noexcept
    : core_(std::move(other.core_)), id_(std::exchange(other.id_, 0)) {}

Resolver::Request& Resolver::Request::operator=(Request&& other) noexcept {
  if (this != &other) {
    cancel();
    core_ = std::move(other.core_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void Resolver::Request::cancel() {
  if (id_ == 0) {
    return;
  }
  if (const auto core = core_.lock()) {
    core->cancel(std::exchange(id_, 0));
  }
  id_ = 0;
  core_.reset();
}

bool Resolver::Request::pending() const {
  const auto core = core_.lock();
  return core != nullptr && id_ != 0 && core->waiters.count(id_) != 0;
}

}  // namespace tributary::loop
