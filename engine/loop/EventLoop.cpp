#include "engine/loop/EventLoop.h"

#include <uv.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>

#include "engine/loop/HandleBox.h"
#include "engine/util/Log.h"

#if defined(__linux__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace tributary::loop {
namespace {

thread_local EventLoop* tCurrentLoop = nullptr;

// Destructors of closures destroyed at shutdown may post again; this bounds the rounds.
constexpr int kMaxLeftoverRounds = 64;

std::uint64_t nextLoopId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void setThreadName(const std::string& name) {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());  // the kernel's limit
#elif defined(__APPLE__)
  pthread_setname_np(name.c_str());
#else
  (void)name;
#endif
}

// No exception may unwind through libuv's C frames.
void runGuarded(Closure& fn, const std::string& loopName) {
  try {
    fn();
  } catch (const std::exception& e) {
    TLOG(Error, "loop") << loopName << ": closure threw: " << e.what();
  } catch (...) {
    TLOG(Error, "loop") << loopName << ": closure threw a non-standard exception";
  }
}

}  // namespace

struct EventLoop::UvState {
  uv_loop_t loop{};
  uv_async_t async{};
};

EventLoop::EventLoop(std::string name) : name_(std::move(name)), id_(nextLoopId()) {}

EventLoop::~EventLoop() {
  const int rc = stop();
  // After a failed uv_loop_close libuv may still point into this memory: leak it, loudly.
  if (rc == 0) {
    delete uv_;
  }
}

EventLoop* EventLoop::current() {
  return tCurrentLoop;
}

void EventLoop::abortNotInLoopThread() const {
  std::fprintf(stderr, "tributary: EventLoop '%s' used off its thread\n", name_.c_str());
  std::abort();
}

void EventLoop::start() {
  util::LockGuard life(lifecycleMutex_);
  {
    util::LockGuard lock(mutex_);
    if (phase_ != Phase::Created) {
      TLOG(Error, "loop") << name_ << ": start() on a loop that already ran";
      return;
    }
  }
  ignoreSigpipe();
  uv_ = new UvState;
  std::promise<int> started;
  std::future<int> startedFuture = started.get_future();
  thread_ = std::thread([this, &started] { threadMain(&started); });
  const int rc = startedFuture.get();
  if (rc != 0) {
    thread_.join();
    std::fprintf(stderr, "tributary: cannot start loop '%s': %s\n", name_.c_str(), uv_strerror(rc));
    std::abort();  // only when the OS is out of fds or memory: nothing sensible to run without it
  }
  TLOG(Debug, "loop") << name_ << ": started";
}

void EventLoop::threadMain(void* startSignal) {
  auto* started = static_cast<std::promise<int>*>(startSignal);
  tCurrentLoop = this;
  setThreadName(name_);
  int rc = uv_loop_init(&uv_->loop);
  if (rc == 0) {
    // Before uv_run, as libuv asks: from here on the poll's wait is summed,
    // which is what timeSpent() reads.
    rc = uv_loop_configure(&uv_->loop, UV_METRICS_IDLE_TIME);
    if (rc != 0) {
      uv_loop_close(&uv_->loop);
    }
  }
  if (rc == 0) {
    rc = uv_async_init(&uv_->loop, &uv_->async,
                       [](uv_async_t* async) { static_cast<EventLoop*>(async->data)->onWakeUp(); });
    if (rc != 0) {
      uv_loop_close(&uv_->loop);
    }
  }
  if (rc != 0) {
    tCurrentLoop = nullptr;
    started->set_value(rc);
    return;
  }
  // Not a HandleBox: closeAllHandles() recognises it by address.
  uv_->async.data = this;
  {
    util::LockGuard lock(mutex_);
    phase_ = Phase::Running;
    asyncReady_ = true;
    if (!pending_.empty()) {
      uv_async_send(&uv_->async);  // closures posted before start()
    }
  }
  startedNs_ = uv_hrtime();
  started->set_value(0);  // `started` dies with start()'s frame: not touched after this

  // The async handle keeps uv_run going until runShutdown() closes everything.
  while (uv_run(&uv_->loop, UV_RUN_DEFAULT) != 0 || !shutdownStarted_) {
  }
  finishThread();
}

void EventLoop::finishThread() {
  // Closures posted after stop() began are destroyed here, on the loop thread,
  // since what they capture may belong to this loop.
  std::vector<Closure> leftovers;
  for (int round = 0;; ++round) {
    {
      util::LockGuard lock(mutex_);
      leftovers.swap(pending_);
      if (leftovers.empty() || round == kMaxLeftoverRounds) {
        phase_ = Phase::Finished;  // from now on post() destroys at once
      }
    }
    if (leftovers.empty()) {
      break;
    }
    leftovers.clear();
    if (round == kMaxLeftoverRounds) {
      break;
    }
  }
  // A leftover's destructor may have released a handle: let its close finish.
  if (uv_loop_alive(&uv_->loop) != 0) {
    closeAllHandles();
    uv_run(&uv_->loop, UV_RUN_DEFAULT);
  }
  const int rc = uv_loop_close(&uv_->loop);
  if (rc != 0) {
    TLOG(Error, "loop") << name_ << ": uv_loop_close failed: " << uv_strerror(rc);
    std::fprintf(stderr, "tributary: loop '%s' still has handles:\n", name_.c_str());
    uv_print_all_handles(&uv_->loop, stderr);
  }
  {
    util::LockGuard lock(mutex_);
    closeResult_ = rc;
    closed_ = true;
  }
  TLOG(Debug, "loop") << name_ << ": closed (" << rc << ")";
  tCurrentLoop = nullptr;
}

int EventLoop::stop() {
  if (isInLoopThread()) {
    std::fprintf(stderr, "tributary: EventLoop '%s' stopped from its own thread\n", name_.c_str());
    std::abort();  // it would join itself
  }
  util::LockGuard life(lifecycleMutex_);
  std::vector<Closure> neverRun;  // destroyed after the lock is released
  {
    util::LockGuard lock(mutex_);
    switch (phase_) {
      case Phase::Created:
        phase_ = Phase::Finished;
        neverRun.swap(pending_);
        return 0;
      case Phase::Running:
        preStop_.swap(pending_);
        phase_ = Phase::Stopping;
        if (asyncReady_) {
          uv_async_send(&uv_->async);
        }
        break;
      case Phase::Stopping:
      case Phase::Finished:
        break;
    }
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  util::LockGuard lock(mutex_);
  return closeResult_;
}

int EventLoop::closeResult() const {
  util::LockGuard lock(mutex_);
  return closeResult_;
}

bool EventLoop::isClosed() const {
  util::LockGuard lock(mutex_);
  return closed_;
}

void EventLoop::post(Closure fn) {
  util::LockGuard lock(mutex_);
  if (phase_ == Phase::Finished) {
    return;  // fn is destroyed on return, after the lock is released
  }
  const bool wasEmpty = pending_.empty();
  pending_.push_back(std::move(fn));
  // A non-empty queue already has a wake-up on its way: the drain takes the
  // whole vector. Sending under the lock means runShutdown() cannot close the
  // async handle between our check and the send.
  if (wasEmpty && phase_ == Phase::Running && asyncReady_) {
    uv_async_send(&uv_->async);
  }
}

void EventLoop::addShutdownHook(Closure fn) {
  assertInLoopThread();
  shutdownHooks_.push_back(std::move(fn));
}

std::uint64_t EventLoop::nowMs() const {
  assertInLoopThread();
  return uv_now(&uv_->loop);
}

EventLoop::TimeSpent EventLoop::timeSpent() const {
  assertInLoopThread();
  return TimeSpent{uv_metrics_idle_time(&uv_->loop), uv_hrtime() - startedNs_};
}

uv_loop_s* EventLoop::uvLoop() {
  return uv_ != nullptr ? &uv_->loop : nullptr;
}

void EventLoop::onWakeUp() {
  bool stopping = false;
  {
    util::LockGuard lock(mutex_);
    if (phase_ == Phase::Running) {
      running_.swap(pending_);
    } else {
      running_.swap(preStop_);
      stopping = true;
    }
  }
  for (Closure& fn : running_) {
    runGuarded(fn, name_);
    fn = nullptr;  // release what it captured now, in run order
  }
  running_.clear();
  if (stopping && !shutdownStarted_) {
    runShutdown();
  }
}

void EventLoop::runShutdown() {
  shutdownStarted_ = true;
  // Hooks may add hooks; those run too, in order.
  for (std::size_t i = 0; i < shutdownHooks_.size(); ++i) {
    Closure hook = std::move(shutdownHooks_[i]);
    runGuarded(hook, name_);
  }
  shutdownHooks_.clear();
  {
    util::LockGuard lock(mutex_);
    asyncReady_ = false;  // nobody sends on the async handle once it starts closing
  }
  closeAllHandles();
}

void EventLoop::closeAllHandles() {
  uv_walk(
      &uv_->loop,
      [](uv_handle_t* handle, void* arg) {
        auto* self = static_cast<EventLoop*>(arg);
        if (uv_is_closing(handle) != 0) {
          return;
        }
        if (handle == reinterpret_cast<uv_handle_t*>(&self->uv_->async) ||
            handle->data == nullptr) {
          uv_close(handle, nullptr);
        } else {
          uv_close(handle, onHandleBoxClosed);
        }
      },
      this);
}

}  // namespace tributary::loop
