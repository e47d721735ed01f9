#include "engine/loop/WorkerPool.h"

#include <algorithm>
#include <exception>
#include <string>

#include "engine/util/Log.h"

#if defined(__linux__)
#include <pthread.h>
#endif

namespace tributary::loop {

WorkerPool::WorkerPool(unsigned threads, std::size_t maxQueued) : maxQueued_(maxQueued) {
  const unsigned n = threads == 0 ? std::max(2U, std::thread::hardware_concurrency()) : threads;
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    threads_.emplace_back([this, i] {
#if defined(__linux__)
      pthread_setname_np(pthread_self(), ("worker-" + std::to_string(i)).c_str());
#else
      (void)i;
#endif
      workerMain();
    });
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::stop() {
  util::LockGuard stopLock(stopMutex_);
  std::deque<Job> dropped;
  {
    util::LockGuard lock(mutex_);
    stopping_ = true;
    dropped.swap(jobs_);
  }
  wake_.notifyAll();
  for (std::thread& t : threads_) {
    if (t.joinable()) {
      t.join();
    }
  }
}

std::size_t WorkerPool::queued() const {
  util::LockGuard lock(mutex_);
  return jobs_.size();
}

std::shared_ptr<CompletionQueue> WorkerPool::replyQueueLocked(EventLoop& loop) {
  for (const auto& [id, queue] : replyQueues_) {
    if (id == loop.id()) {
      return queue;
    }
  }
  replyQueues_.emplace_back(loop.id(), CompletionQueue::create(loop));
  return replyQueues_.back().second;
}

void WorkerPool::workerMain() {
  for (;;) {
    Job job;
    {
      util::UniqueLock lock(mutex_);
      while (jobs_.empty() && !stopping_) {
        wake_.wait(lock);
      }
      if (stopping_) {
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      TLOG(Error, "worker") << "job threw: " << e.what();
    } catch (...) {
      TLOG(Error, "worker") << "job threw a non-standard exception";
    }
  }
}

}  // namespace tributary::loop
