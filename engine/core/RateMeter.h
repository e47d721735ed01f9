// Internal: bytes per second over a short sliding window, for the speeds the UI
// shows. Fed with the loop's monotonic milliseconds; one per source or task.
#pragma once

#include <array>
#include <cstdint>

namespace tributary::core {

class RateMeter {
 public:
  void add(std::uint64_t bytes, std::uint64_t nowMs);
  // Average over the last kWindowMs (less while the meter is younger than that,
  // so a download that just started does not show a third of its speed).
  std::uint64_t rate(std::uint64_t nowMs) const;
  std::uint64_t total() const { return total_; }

  static constexpr std::uint64_t kSlotMs = 250;
  static constexpr std::size_t kSlots = 12;  // 3 s
  static constexpr std::uint64_t kWindowMs = kSlotMs * kSlots;

 private:
  void advance(std::uint64_t nowMs) const;

  mutable std::array<std::uint64_t, kSlots> slots_{};
  mutable std::uint64_t currentSlot_ = 0;  // absolute slot number of slots_[currentSlot_ % kSlots]
  std::uint64_t firstMs_ = 0;
  bool started_ = false;
  std::uint64_t total_ = 0;
};

}  // namespace tributary::core
