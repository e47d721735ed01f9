#include "engine/loop/LoopPool.h"

#include <algorithm>
#include <thread>

namespace tributary::loop {

unsigned LoopPool::defaultCount() {
  return std::max(2U, std::thread::hardware_concurrency());
}

LoopPool::LoopPool(unsigned count, const std::string& namePrefix) {
  const unsigned n = count == 0 ? defaultCount() : count;
  loops_.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    loops_.push_back(std::make_unique<EventLoop>(namePrefix + "-" + std::to_string(i)));
  }
}

LoopPool::~LoopPool() {
  stop();
}

void LoopPool::start() {
  for (auto& loop : loops_) {
    loop->start();
  }
}

int LoopPool::stop() {
  int result = 0;
  for (auto& loop : loops_) {
    const int rc = loop->stop();
    if (result == 0) {
      result = rc;
    }
  }
  return result;
}

unsigned LoopPool::indexForKey(std::uint64_t key) const {
  // splitmix64's finaliser: cheap and mixes every input bit into the low ones.
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return static_cast<unsigned>(key % loops_.size());
}

EventLoop& LoopPool::next() {
  const unsigned i = next_.fetch_add(1, std::memory_order_relaxed);
  return *loops_[i % loops_.size()];
}

}  // namespace tributary::loop
