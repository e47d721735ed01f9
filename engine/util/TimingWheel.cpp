#include "engine/util/TimingWheel.h"

#include <algorithm>

namespace tributary::util {

TimingWheel::TimingWheel(std::uint64_t slotMs, std::size_t slots, std::uint64_t nowMs)
    : slotMs_(std::max<std::uint64_t>(slotMs, 1)),
      slots_(std::max<std::size_t>(slots, 1)),
      doneTick_(nowMs / slotMs_) {}

void TimingWheel::schedule(std::uint64_t key, std::uint64_t deadlineMs) {
  // Rounded up, so an entry never fires before its deadline; and never into a
  // slot already visited this turn, or it would wait a whole turn.
  const std::uint64_t tick = std::max((deadlineMs + slotMs_ - 1) / slotMs_, doneTick_ + 1);
  slots_[tick % slots_.size()].push_back(Entry{key, deadlineMs});
  ++size_;
}

const std::vector<TimingWheel::Entry>& TimingWheel::advance(std::uint64_t nowMs) {
  due_.clear();
  const std::uint64_t nowTick = nowMs / slotMs_;
  if (nowTick <= doneTick_) {
    return due_;
  }
  // After a long gap (a suspended machine) each slot is visited once, not
  // once per missed tick.
  const std::uint64_t visits = std::min<std::uint64_t>(nowTick - doneTick_, slots_.size());
  for (std::uint64_t i = 1; i <= visits; ++i) {
    std::vector<Entry>& slot = slots_[(nowTick - visits + i) % slots_.size()];
    // Entries of a later turn stay; the rest are due.
    auto later = std::partition(slot.begin(), slot.end(),
                                [nowMs](const Entry& e) { return e.deadlineMs <= nowMs; });
    due_.insert(due_.end(), slot.begin(), later);
    slot.erase(slot.begin(), later);
  }
  size_ -= due_.size();
  doneTick_ = nowTick;
  return due_;
}

}  // namespace tributary::util
