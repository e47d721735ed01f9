// Internal: the global rate limit, one TokenBucket shared by the tasks of every loop
// thread. Each task registers as a client (RateLimiter does it) and asks with its id.
//
// Cost: every call takes one mutex for a little arithmetic (no clock read, no
// allocation but on addClient, nothing that waits inside), and while the limit is
// unlimited no lock is taken at all: one atomic load.
//
// Fairness between tasks. A plain shared bucket starves: a connection that reads
// often collects every few refilled bytes, and one that paused to wait for a useful
// chunk finds the bucket empty each time it wakes. So:
// * While nobody waits, a request is granted at once, up to sliceSize() (a quarter of
//   the burst, at least 16 KiB), so no single reader empties the bucket.
// * A client that finds too few tokens queues, FIFO, for a slice-sized chunk (or what
//   it wanted, if less); once anyone waits, everyone else queues behind.
// * Tokens go to the head of the queue as soon as a call sees them refilled: they are
//   taken from the bucket into the client's reservation and the queue moves on, so a
//   client that sleeps on its timer never holds the others up. The client collects its
//   reservation on its next quota(). delayUntilAvailable() forecasts when that is.
// The result is round-robin in slices, per *task* (a task's connections share one
// client), among tasks that want more than their share; a task held back by its own
// limit simply asks less and the others share the rest. A reservation the client no
// longer needs goes back to the bucket in removeClient().
//
// Accounting: quota() is advisory (two threads can both be told the same tokens are
// free; a read can return less); consume() is what counts. Reads beyond what was
// granted put the bucket into debt that later grants pay off, so the long-run rate
// is exact; the overshoot at any moment is at most one slice per reading thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "engine/net/TokenBucket.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::net {

class SharedTokenBucket {
 public:
  using TimePoint = TokenBucket::TimePoint;
  using ClientId = std::uint64_t;

  explicit SharedTokenBucket(std::uint64_t rate = TokenBucket::kUnlimited, std::uint64_t burst = 0);
  SharedTokenBucket(const SharedTokenBucket&) = delete;
  SharedTokenBucket& operator=(const SharedTokenBucket&) = delete;

  ClientId addClient() EXCLUDES(mutex_);
  // Leaves the queue and gives back the unused reservation.
  void removeClient(ClientId client) EXCLUDES(mutex_);

  // Takes effect at once for every thread (see TokenBucket::setRate). Going
  // unlimited empties the queue and drops the reservations.
  void setRate(TimePoint now, std::uint64_t rate, std::uint64_t burst = 0) EXCLUDES(mutex_);
  std::uint64_t rate() const noexcept { return rate_.load(std::memory_order_relaxed); }
  bool unlimited() const noexcept { return rate() == TokenBucket::kUnlimited; }
  std::uint64_t burst() const EXCLUDES(mutex_);
  // The largest single grant, and the chunk a waiting client queues for.
  std::uint64_t sliceSize() const EXCLUDES(mutex_);

  std::uint64_t quota(ClientId client, TimePoint now, std::uint64_t wanted) EXCLUDES(mutex_);
  void consume(ClientId client, std::uint64_t bytes) EXCLUDES(mutex_);
  // When quota() will next grant this client something (zero: now). A forecast from
  // the queue ahead of it; if it wakes too early it just gets 0 and asks again.
  std::chrono::nanoseconds delayUntilAvailable(ClientId client, TimePoint now,
                                               std::uint64_t wanted = 1) EXCLUDES(mutex_);

 private:
  struct ClientState {
    std::uint64_t reserved = 0;  // tokens already taken from the bucket for this client
    std::uint64_t demand = 0;    // the chunk it queues for
    bool queued = false;
  };

  std::uint64_t sliceLocked() const REQUIRES(mutex_);
  // Hands refilled tokens to the queue's head, in order, while they cover its demand.
  void serveQueue(TimePoint now) REQUIRES(mutex_);
  void enqueue(ClientId id, ClientState& state, std::uint64_t wanted) REQUIRES(mutex_);

  mutable util::Mutex mutex_;
  TokenBucket bucket_ GUARDED_BY(mutex_);
  std::unordered_map<ClientId, ClientState> clients_ GUARDED_BY(mutex_);
  std::deque<ClientId> queue_ GUARDED_BY(mutex_);
  ClientId nextClient_ GUARDED_BY(mutex_) = 1;
  std::atomic<std::uint64_t> rate_;  // written under mutex_, read without it
};

}  // namespace tributary::net
