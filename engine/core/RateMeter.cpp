#include "engine/core/RateMeter.h"

#include <algorithm>

namespace tributary::core {

void RateMeter::advance(std::uint64_t nowMs) const {
  const std::uint64_t slot = nowMs / kSlotMs;
  if (slot <= currentSlot_) {
    return;
  }
  // Clear the slots we skipped (at most the whole ring).
  const std::uint64_t skipped = std::min<std::uint64_t>(slot - currentSlot_, kSlots);
  for (std::uint64_t i = 1; i <= skipped; ++i) {
    slots_[(currentSlot_ + i) % kSlots] = 0;
  }
  currentSlot_ = slot;
}

void RateMeter::add(std::uint64_t bytes, std::uint64_t nowMs) {
  if (!started_) {
    started_ = true;
    firstMs_ = nowMs;
    currentSlot_ = nowMs / kSlotMs;
  }
  advance(nowMs);
  slots_[currentSlot_ % kSlots] += bytes;
  total_ += bytes;
}

std::uint64_t RateMeter::rate(std::uint64_t nowMs) const {
  if (!started_) {
    return 0;
  }
  advance(nowMs);
  std::uint64_t sum = 0;
  for (std::uint64_t v : slots_) {
    sum += v;
  }
  // The window covers the full slots behind the current one plus the part of
  // the current slot that has elapsed.
  const std::uint64_t elapsedInSlot = nowMs % kSlotMs;
  std::uint64_t windowMs = (kSlots - 1) * kSlotMs + elapsedInSlot;
  windowMs = std::min(windowMs, std::max<std::uint64_t>(nowMs - firstMs_, kSlotMs));
  windowMs = std::max<std::uint64_t>(windowMs, 1);
  return sum * 1000 / windowMs;
}

}  // namespace tributary::core
