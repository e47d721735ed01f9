// Internal: the disk and hashing threads, so no loop ever blocks on a file or
// a SHA-1. A job's work() runs on a worker; its done(result) runs on the loop
// that submitted it, through that loop's CompletionQueue (one drain message
// in flight per loop, however many jobs finish).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/loop/CompletionQueue.h"
#include "engine/loop/EventLoop.h"
#include "engine/util/ThreadAnnotations.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::loop {

class WorkerPool {
 public:
  // threads 0 = hardware threads, at least 2. maxQueued bounds the jobs
  // waiting for a worker (not the ones running).
  WorkerPool(unsigned threads, std::size_t maxQueued);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queued jobs not started are dropped (their done never runs; they are
  // destroyed on the calling thread); waits for running ones. Idempotent.
  void stop();

  // Any thread. Runs work() on a worker thread, then done(result) on
  // replyLoop's thread (done() if work returns void). Returns false and takes
  // nothing (an rvalue argument is left as it was) if maxQueued jobs are
  // waiting or the pool is stopping: the caller applies back-pressure.
  // If replyLoop stops first, done is destroyed without running.
  template <class Work, class Done>
  bool submit(EventLoop& replyLoop, Work&& work, Done&& done);

  std::size_t queued() const;
  unsigned threadCount() const { return static_cast<unsigned>(threads_.size()); }
  std::size_t maxQueued() const { return maxQueued_; }

 private:
  using Job = util::UniqueFunction<void()>;

  template <class Result, class W, class D>
  static Job makeJob(std::shared_ptr<CompletionQueue> queue, W&& work, D&& done);
  std::shared_ptr<CompletionQueue> replyQueueLocked(EventLoop& loop) REQUIRES(mutex_);
  void workerMain();

  const std::size_t maxQueued_;
  mutable util::Mutex mutex_;
  util::CondVar wake_;
  std::deque<Job> jobs_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  // Keyed by EventLoop::id(), not by address: a new loop may reuse a dead one's address.
  std::vector<std::pair<std::uint64_t, std::shared_ptr<CompletionQueue>>> replyQueues_
      GUARDED_BY(mutex_);
  util::Mutex stopMutex_;  // two concurrent stop() calls must not join the same thread
  std::vector<std::thread> threads_;
};

template <class Result, class W, class D>
WorkerPool::Job WorkerPool::makeJob(std::shared_ptr<CompletionQueue> queue, W&& work, D&& done) {
  return [queue = std::move(queue), work = std::forward<W>(work),
          done = std::forward<D>(done)]() mutable {
    if constexpr (std::is_void_v<Result>) {
      work();
      queue->push([done = std::move(done)]() mutable { done(); });
    } else {
      queue->push([done = std::move(done), result = work()]() mutable { done(std::move(result)); });
    }
  };
}

template <class Work, class Done>
bool WorkerPool::submit(EventLoop& replyLoop, Work&& work, Done&& done) {
  using Result = std::invoke_result_t<std::decay_t<Work>&>;
  {
    util::LockGuard lock(mutex_);
    if (stopping_ || jobs_.size() >= maxQueued_) {
      return false;
    }
    jobs_.push_back(makeJob<Result>(replyQueueLocked(replyLoop), std::forward<Work>(work),
                                    std::forward<Done>(done)));
  }
  wake_.notifyOne();
  return true;
}

}  // namespace tributary::loop
