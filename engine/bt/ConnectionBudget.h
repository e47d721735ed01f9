// Internal: the engine-wide caps on BitTorrent connections, shared by every
// torrent on every loop: connections alive at once (dialled and incoming) and
// connects in flight ("half-open"). A torrent takes a Slot before it dials or
// accepts and holds it as long as the connection lives; the slot gives its
// place back when destroyed. Lock-free, so taking one on a loop thread never
// waits for another loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

namespace tributary::bt {

class ConnectionBudget {
 public:
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : counter_(std::exchange(other.counter_, nullptr)) {}
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }

    explicit operator bool() const noexcept { return counter_ != nullptr; }
    void release() noexcept;

   private:
    friend class ConnectionBudget;
    explicit Slot(std::shared_ptr<std::atomic<unsigned>> counter) : counter_(std::move(counter)) {}
    std::shared_ptr<std::atomic<unsigned>> counter_;
  };

  // Lowering a cap closes nothing: it takes effect as connections end.
  void setLimits(unsigned maxConnections, unsigned maxHalfOpen) noexcept {
    maxConnections_.store(maxConnections, std::memory_order_relaxed);
    maxHalfOpen_.store(maxHalfOpen, std::memory_order_relaxed);
  }

  // An empty slot when the cap is reached.
  Slot takeConnection() { return take(connections_, maxConnections_.load()); }
  Slot takeHalfOpen() { return take(halfOpen_, maxHalfOpen_.load()); }

  unsigned connections() const noexcept { return connections_->load(); }
  unsigned halfOpen() const noexcept { return halfOpen_->load(); }
  unsigned maxConnections() const noexcept { return maxConnections_.load(); }
  unsigned maxHalfOpen() const noexcept { return maxHalfOpen_.load(); }

 private:
  static Slot take(const std::shared_ptr<std::atomic<unsigned>>& counter, unsigned max);

  // Shared with the slots, so a slot outliving the budget (a torrent torn
  // down after the session) still has a counter to give back to.
  std::shared_ptr<std::atomic<unsigned>> connections_ = std::make_shared<std::atomic<unsigned>>(0);
  std::shared_ptr<std::atomic<unsigned>> halfOpen_ = std::make_shared<std::atomic<unsigned>>(0);
  std::atomic<unsigned> maxConnections_{500};
  std::atomic<unsigned> maxHalfOpen_{64};
};

}  // namespace tributary::bt
