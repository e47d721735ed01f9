// Internal: a hashed timing wheel for the many coarse deadlines of peer
// connections (handshake 10 s, requests 60 s, keep-alive 90 s, inactivity
// 120 s). One owner thread; the owner advances it from a timer it already
// has (a torrent's 1 s tick), so a thousand connections cost one timer and,
// per tick, only the entries whose slot comes up: not a timer each, and not a
// scan of every connection every second.
//
// Entries are (key, deadline) pairs and are never removed early: a deadline
// that moved is scheduled again, and the owner ignores an entry that fires
// for a deadline it no longer has (its key is gone, or its armed deadline
// differs). That keeps schedule() O(1) with no handles to keep in step, at
// the price of a stale entry now and then, which the owner bounds by
// scheduling again only when a deadline comes earlier than the armed one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tributary::util {

class TimingWheel {
 public:
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t deadlineMs = 0;
  };

  // Deadlines are rounded up to `slotMs`; a deadline further out than one
  // turn of the wheel (slots * slotMs) waits in its slot for later turns.
  TimingWheel(std::uint64_t slotMs, std::size_t slots, std::uint64_t nowMs);

  void schedule(std::uint64_t key, std::uint64_t deadlineMs);

  // Takes out every entry whose deadline is at or before `nowMs`, in slot
  // order. The list is valid until the next advance(); scheduling while going
  // through it is fine (new entries go to the slots, not to this list).
  const std::vector<Entry>& advance(std::uint64_t nowMs);

  std::size_t size() const noexcept { return size_; }

 private:
  std::uint64_t slotMs_;
  std::vector<std::vector<Entry>> slots_;
  std::uint64_t doneTick_;  // every slot up to this tick has been visited
  std::size_t size_ = 0;
  std::vector<Entry> due_;  // reused: the entries a visit hands out
};

}  // namespace tributary::util
