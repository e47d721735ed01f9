// Internal: the bytes a connection still has to send, as a queue of entries.
// Each entry is owned bytes or a slice of shared, immutable bytes (a piece
// read once from disk and sent to several peers is never copied), and may
// carry a progress callback, so upload accounting and "piece sent" events
// are exact per entry.
//
// Use: gather() the front spans for one writev/uv_write, and when the write
// completes consume() what it wrote. The spans stay valid until consume()
// passes them or clear() runs, even if more entries are pushed meanwhile
// (entries live in a deque, whose push_back never moves existing elements).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "engine/util/UniqueFunction.h"

namespace tributary::util {

class SendQueue {
 public:
  using Bytes = std::vector<std::byte>;
  using SharedBytes = std::shared_ptr<const Bytes>;
  // sentNow: bytes of this entry accounted by this consume() call (a delta:
  // their sum over all calls is the entry's size). entryDone: the entry's last
  // byte went out with this call; the callback is not called again after that.
  // A callback may push() but must not consume() or clear() this queue.
  using Progress = UniqueFunction<void(std::size_t sentNow, bool entryDone)>;

  SendQueue() = default;
  SendQueue(SendQueue&&) noexcept = default;
  SendQueue& operator=(SendQueue&&) noexcept = default;
  SendQueue(const SendQueue&) = delete;
  SendQueue& operator=(const SendQueue&) = delete;

  // Empty payloads are accepted: their callback reports (0, true) at the next consume().
  void push(Bytes bytes, Progress progress = nullptr);
  void push(std::string bytes, Progress progress = nullptr);
  // Sends bytes[offset, offset + length) of a shared buffer; the range must lie inside it.
  void push(SharedBytes bytes, std::size_t offset, std::size_t length, Progress progress = nullptr);
  void push(SharedBytes bytes, Progress progress = nullptr);
  void pushCopy(const void* data, std::size_t size, Progress progress = nullptr);

  // Fills out with up to out.size() spans covering at most maxBytes of the
  // unsent bytes, front first. Returns the number of spans written.
  std::size_t gather(std::span<std::span<const std::byte>> out,
                     std::size_t maxBytes = std::numeric_limits<std::size_t>::max()) const;

  // Marks n bytes (n <= pendingBytes()) as sent, front first, and reports
  // progress to each entry it touches, in queue order.
  void consume(std::size_t n);
  // Drops every entry; their callbacks are destroyed without being called.
  void clear();

  std::size_t pendingBytes() const { return pendingBytes_; }
  std::size_t entryCount() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::variant<Bytes, std::string, SharedBytes> storage;
    const std::byte* data = nullptr;  // start of the entry's bytes inside storage
    std::size_t size = 0;
    std::size_t sent = 0;
    Progress progress;
  };

  void pushEntry(Entry entry);

  std::deque<Entry> entries_;
  std::size_t pendingBytes_ = 0;
};

}  // namespace tributary::util
