// Helpers for the loop tests: run code on a loop thread and wait for it,
// always with a deadline, so a broken loop fails the test instead of hanging it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>

#include "engine/loop/EventLoop.h"

namespace tributary::loop::test {

inline constexpr std::chrono::seconds kDeadline{20};

template <class T>
bool waitReady(std::future<T>& f, std::chrono::milliseconds limit = kDeadline) {
  return f.wait_for(limit) == std::future_status::ready;
}

// Runs fn on the loop's thread and returns its result. Aborts (failing the
// test with a message) if the loop does not run it within the deadline.
template <class F>
auto runOn(EventLoop& loop, F&& fn) -> std::invoke_result_t<F&> {
  using R = std::invoke_result_t<F&>;
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> future = promise->get_future();
  loop.post([promise, fn = std::forward<F>(fn)]() mutable {
    if constexpr (std::is_void_v<R>) {
      fn();
      promise->set_value();
    } else {
      promise->set_value(fn());
    }
  });
  if (!waitReady(future)) {
    std::fprintf(stderr, "loop '%s' did not run a closure within the deadline\n",
                 loop.name().c_str());
    std::abort();
  }
  return future.get();
}

// Counts live instances (from any thread), to prove captures are destroyed.
struct LifeToken {
  using Counter = std::shared_ptr<std::atomic<int>>;
  explicit LifeToken(Counter live) : live(std::move(live)) { ++*this->live; }
  LifeToken(LifeToken&& o) noexcept : live(o.live) { ++*live; }
  LifeToken(const LifeToken&) = delete;
  LifeToken& operator=(const LifeToken&) = delete;
  ~LifeToken() { --*live; }
  Counter live;
};

inline LifeToken::Counter makeCounter() {
  return std::make_shared<std::atomic<int>>(0);
}

}  // namespace tributary::loop::test
