#include "engine/util/SendQueue.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

namespace tributary::util {

void SendQueue::pushEntry(Entry entry) {
  pendingBytes_ += entry.size;
  entries_.push_back(std::move(entry));
}

void SendQueue::push(Bytes bytes, Progress progress) {
  Entry entry;
  entry.storage = std::move(bytes);
  const Bytes& stored = std::get<Bytes>(entry.storage);
  entry.data = stored.data();
  entry.size = stored.size();
  entry.progress = std::move(progress);
  // The vector's heap block does not move when the Entry is moved into the deque.
  pushEntry(std::move(entry));
}

void SendQueue::push(std::string bytes, Progress progress) {
  // A short string lives inside the object itself (SSO), so its address is taken
  // only after the entry has reached its final place in the deque.
  Entry entry;
  entry.storage = std::move(bytes);
  entry.progress = std::move(progress);
  entries_.push_back(std::move(entry));
  Entry& placed = entries_.back();
  const std::string& stored = std::get<std::string>(placed.storage);
  placed.data = reinterpret_cast<const std::byte*>(stored.data());
  placed.size = stored.size();
  pendingBytes_ += placed.size;
}

void SendQueue::push(SharedBytes bytes, std::size_t offset, std::size_t length, Progress progress) {
  assert(bytes != nullptr || length == 0);
  assert(bytes == nullptr || (offset <= bytes->size() && length <= bytes->size() - offset));
  Entry entry;
  entry.data = bytes != nullptr ? bytes->data() + offset : nullptr;
  entry.size = length;
  entry.storage = std::move(bytes);
  entry.progress = std::move(progress);
  pushEntry(std::move(entry));
}

void SendQueue::push(SharedBytes bytes, Progress progress) {
  const std::size_t size = bytes != nullptr ? bytes->size() : 0;
  push(std::move(bytes), 0, size, std::move(progress));
}

void SendQueue::pushCopy(const void* data, std::size_t size, Progress progress) {
  Bytes bytes(size);
  if (size > 0) {
    std::memcpy(bytes.data(), data, size);
  }
  push(std::move(bytes), std::move(progress));
}

std::size_t SendQueue::gather(std::span<std::span<const std::byte>> out,
                              std::size_t maxBytes) const {
  std::size_t count = 0;
  for (const Entry& entry : entries_) {
    if (count == out.size() || maxBytes == 0) {
      break;
    }
    const std::size_t left = entry.size - entry.sent;
    if (left == 0) {
      continue;  // an empty entry only waits for consume() to report it
    }
    const std::size_t take = std::min(left, maxBytes);
    out[count++] = {entry.data + entry.sent, take};
    maxBytes -= take;
  }
  return count;
}

void SendQueue::consume(std::size_t n) {
  assert(n <= pendingBytes_);
  n = std::min(n, pendingBytes_);
  pendingBytes_ -= n;
  // Finished entries leave the queue before their callbacks run, so a callback
  // that pushes sees a consistent queue.
  struct Report {
    Progress progress;
    std::size_t sentNow;
  };
  std::vector<Report> finished;
  while (!entries_.empty()) {
    Entry& front = entries_.front();
    const std::size_t take = std::min(n, front.size - front.sent);
    if (front.sent + take < front.size) {
      // The last entry touched, partly sent: it stays at the front.
      front.sent += take;
      for (Report& r : finished) {
        if (r.progress) {
          r.progress(r.sentNow, true);
        }
      }
      if (take > 0 && front.progress) {
        Progress progress = std::move(front.progress);
        const Entry* before = &front;
        progress(take, false);
        // Hand the callback back unless the entry was dropped meanwhile.
        if (!entries_.empty() && &entries_.front() == before && !entries_.front().progress) {
          entries_.front().progress = std::move(progress);
        }
      }
      return;
    }
    front.sent += take;
    n -= take;
    finished.push_back({std::move(front.progress), take});
    entries_.pop_front();
  }
  for (Report& r : finished) {
    if (r.progress) {
      r.progress(r.sentNow, true);
    }
  }
}

void SendQueue::clear() {
  entries_.clear();
  pendingBytes_ = 0;
}

}  // namespace tributary::util
