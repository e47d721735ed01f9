#include "engine/bt/ConnectionBudget.h"

namespace tributary::bt {

ConnectionBudget::Slot& ConnectionBudget::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    counter_ = std::exchange(other.counter_, nullptr);
  }
  return *this;
}

void ConnectionBudget::Slot::release() noexcept {
  if (counter_) {
    counter_->fetch_sub(1, std::memory_order_relaxed);
    counter_.reset();
  }
}

ConnectionBudget::Slot ConnectionBudget::take(const std::shared_ptr<std::atomic<unsigned>>& counter,
                                              unsigned max) {
  unsigned now = counter->load(std::memory_order_relaxed);
  do {
    if (now >= max) {
      return Slot{};
    }
  } while (!counter->compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
  return Slot{counter};
}

}  // namespace tributary::bt
