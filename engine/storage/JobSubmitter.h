// Internal: submits jobs to the worker pool for one loop-owned object, and
// never blocks when the pool's queue is full: the job waits in a local queue
// and is offered again on a short timer, in submission order (a later job never
// overtakes an earlier one). Construct, use and destroy it on the loop thread.
//
// Destroying it drops the jobs still waiting here (their done never runs);
// jobs already in the pool run, and their done runs as the caller wrote it, so
// done must guard itself (a weak_ptr) if it refers to a shorter-lived object.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <utility>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/loop/WorkerPool.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::storage {

class JobSubmitter {
 public:
  JobSubmitter(loop::EventLoop& loop, loop::WorkerPool& pool);
  JobSubmitter(const JobSubmitter&) = delete;
  JobSubmitter& operator=(const JobSubmitter&) = delete;

  // Always takes the job: handed to the pool now, or queued here for a retry.
  template <class Work, class Done>
  void submit(Work work, Done done);

  // Jobs waiting here for room in the pool.
  std::size_t deferred() const { return deferred_.size(); }
  loop::EventLoop& loop() const { return loop_; }
  loop::WorkerPool& pool() const { return pool_; }

 private:
  // One attempt: true once the pool took the job.
  using Attempt = util::UniqueFunction<bool()>;

  void defer(Attempt attempt);
  void retry();

  static constexpr std::chrono::milliseconds kFirstRetry{1};
  static constexpr std::chrono::milliseconds kMaxRetry{50};

  loop::EventLoop& loop_;
  loop::WorkerPool& pool_;
  std::deque<Attempt> deferred_;
  std::chrono::milliseconds backoff_ = kFirstRetry;
  loop::Timer timer_;
};

template <class Work, class Done>
void JobSubmitter::submit(Work work, Done done) {
  loop_.assertInLoopThread();
  if (deferred_.empty() && pool_.submit(loop_, std::move(work), std::move(done))) {
    return;
  }
  // submit() leaves a refused job untouched, so the same closures are offered again.
  defer([pool = &pool_, loop = &loop_, work = std::move(work), done = std::move(done)]() mutable {
    return pool->submit(*loop, std::move(work), std::move(done));
  });
}

}  // namespace tributary::storage
