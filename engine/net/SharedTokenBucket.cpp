#include "engine/net/SharedTokenBucket.h"

#include <algorithm>

namespace tributary::net {

SharedTokenBucket::SharedTokenBucket(std::uint64_t rate, std::uint64_t burst)
    : bucket_(rate, burst), rate_(rate) {}

SharedTokenBucket::ClientId SharedTokenBucket::addClient() {
  util::LockGuard lock(mutex_);
  const ClientId id = nextClient_++;
  clients_.emplace(id, ClientState{});
  return id;
}

void SharedTokenBucket::removeClient(ClientId client) {
  util::LockGuard lock(mutex_);
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    return;
  }
  if (it->second.queued) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), client));
  }
  bucket_.refund(it->second.reserved);
  clients_.erase(it);
}

void SharedTokenBucket::setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst) {
  util::LockGuard lock(mutex_);
  bucket_.setRate(now, rate, burst);
  rate_.store(rate, std::memory_order_relaxed);
  if (rate == TokenBucket::kUnlimited) {
    queue_.clear();
    for (auto& [id, state] : clients_) {
      state = ClientState{};
    }
  }
}

std::uint64_t SharedTokenBucket::burst() const {
  util::LockGuard lock(mutex_);
  return bucket_.burst();
}

std::uint64_t SharedTokenBucket::sliceLocked() const {
  return std::max(TokenBucket::kMinBurst, bucket_.burst() / 4);
}

std::uint64_t SharedTokenBucket::sliceSize() const {
  util::LockGuard lock(mutex_);
  return sliceLocked();
}

void SharedTokenBucket::serveQueue(TimePoint now) {
  while (!queue_.empty()) {
    ClientState& head = clients_.at(queue_.front());
    if (bucket_.tokens(now) < static_cast<std::int64_t>(head.demand)) {
      return;
    }
    bucket_.consume(head.demand);
    head.reserved += head.demand;
    head.demand = 0;
    head.queued = false;
    queue_.pop_front();
  }
}

void SharedTokenBucket::enqueue(ClientId id, ClientState& state, std::uint64_t wanted) {
  if (state.queued) {
    return;
  }
  // A chunk the bucket can always hold: the demand must fit under the burst.
  state.demand = std::clamp<std::uint64_t>(wanted, 1, sliceLocked());
  state.queued = true;
  queue_.push_back(id);
}

std::uint64_t SharedTokenBucket::quota(ClientId client, TimePoint now, std::uint64_t wanted) {
  if (unlimited()) {
    return wanted;
  }
  util::LockGuard lock(mutex_);
  if (bucket_.unlimited()) {  // the rate changed since the check above
    return wanted;
  }
  auto it = clients_.find(client);
  if (it == clients_.end() || wanted == 0) {
    return 0;
  }
  ClientState& state = it->second;
  serveQueue(now);
  if (state.reserved > 0) {
    return std::min(wanted, state.reserved);
  }
  if (queue_.empty()) {
    const std::int64_t tokens = bucket_.tokens(now);
    if (tokens > 0) {
      return std::min({wanted, static_cast<std::uint64_t>(tokens), sliceLocked()});
    }
  }
  enqueue(client, state, wanted);
  serveQueue(now);  // it may be alone in the queue and the tokens already there
  return std::min(wanted, state.reserved);
}

void SharedTokenBucket::consume(ClientId client, std::uint64_t bytes) {
  if (unlimited()) {
    return;
  }
  util::LockGuard lock(mutex_);
  auto it = clients_.find(client);
  if (it != clients_.end()) {
    const std::uint64_t fromReservation = std::min(bytes, it->second.reserved);
    it->second.reserved -= fromReservation;
    bytes -= fromReservation;
  }
  bucket_.consume(bytes);
}

std::chrono::nanoseconds SharedTokenBucket::delayUntilAvailable(ClientId client, TimePoint now,
                                                                std::uint64_t wanted) {
  if (unlimited()) {
    return std::chrono::nanoseconds::zero();
  }
  util::LockGuard lock(mutex_);
  auto it = clients_.find(client);
  if (bucket_.unlimited() || it == clients_.end()) {
    return std::chrono::nanoseconds::zero();
  }
  serveQueue(now);
  if (it->second.reserved > 0) {
    return std::chrono::nanoseconds::zero();
  }
  // The tokens that must be refilled before this client's turn: every demand ahead
  // of it and its own (or, not queued, a chunk after everyone queued).
  std::uint64_t needed = 0;
  bool found = false;
  for (ClientId id : queue_) {
    needed += clients_.at(id).demand;
    if (id == client) {
      found = true;
      break;
    }
  }
  if (!found) {
    needed += std::clamp<std::uint64_t>(wanted, 1, sliceLocked());
  }
  const std::int64_t tokens = bucket_.tokens(now);
  if (tokens >= 0 && static_cast<std::uint64_t>(tokens) >= needed) {
    return std::chrono::nanoseconds::zero();
  }
  const std::uint64_t missing = tokens >= 0
                                    ? needed - static_cast<std::uint64_t>(tokens)
                                    : needed + static_cast<std::uint64_t>(-(tokens + 1)) + 1;
  return bucket_.timeToEarn(missing);
}

}  // namespace tributary::net
