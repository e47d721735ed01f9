#include "engine/loop/Timer.h"

#include <cstdint>
#include <utility>

#include "engine/loop/HandleBox.h"

namespace tributary::loop {

struct TimerBox final : HandleBox {
  uv_handle_t* handle() override { return reinterpret_cast<uv_handle_t*>(&timer); }
  void onClosed() override { auto dropped = std::move(callback); }

  uv_timer_t timer{};
  util::UniqueFunction<void()> callback;
  // Bumped by start() and stop(), so onFire() can tell whether the callback
  // it is running was replaced or cancelled meanwhile.
  std::uint64_t generation = 0;
};

namespace {

void onFire(uv_timer_t* handle) {
  auto* box = static_cast<TimerBox*>(static_cast<HandleBox*>(handle->data));
  const std::uint64_t generation = box->generation;
  // Run a moved-out copy: the callback may destroy the Timer, and with it the
  // box's callback, while it is still running.
  util::UniqueFunction<void()> callback = std::move(box->callback);
  if (!callback) {
    return;
  }
  const bool repeating = uv_timer_get_repeat(handle) != 0;
  callback();
  // The box outlives this call even if the Timer was destroyed: it is freed by
  // the close callback, which runs in a later loop iteration.
  if (repeating && box->generation == generation && box->ownerAlive && !handleBoxDead(box)) {
    box->callback = std::move(callback);
  }
}

}  // namespace

Timer::Timer(EventLoop& loop) : loop_(loop), box_(new TimerBox) {
  loop_.assertInLoopThread();
  box_->timer.data = static_cast<HandleBox*>(box_);
  uv_loop_t* uvLoop = loop_.uvLoop();
  if (uvLoop == nullptr || loop_.isClosed() || uv_timer_init(uvLoop, &box_->timer) != 0) {
    box_->closed = true;  // a dead timer: every call is a no-op
  }
}

Timer::~Timer() {
  if (!box_->closed) {
    loop_.assertInLoopThread();
  }
  releaseHandleBox(box_);
}

void Timer::start(std::chrono::milliseconds timeout, std::chrono::milliseconds repeat,
                  util::UniqueFunction<void()> cb) {
  if (handleBoxDead(box_)) {
    return;  // the loop shut down: nothing would ever fire
  }
  loop_.assertInLoopThread();
  ++box_->generation;
  // The old callback dies last: its captures may own this Timer.
  util::UniqueFunction<void()> old = std::exchange(box_->callback, std::move(cb));
  // The cached loop time may be a whole callback batch old; a timer measured
  // from it would fire early.
  uv_update_time(loop_.uvLoop());
  const auto toMs = [](std::chrono::milliseconds d) {
    return d.count() > 0 ? static_cast<std::uint64_t>(d.count()) : std::uint64_t{0};
  };
  uv_timer_start(&box_->timer, onFire, toMs(timeout), toMs(repeat));
}

void Timer::stop() {
  if (handleBoxDead(box_)) {
    return;
  }
  loop_.assertInLoopThread();
  ++box_->generation;
  uv_timer_stop(&box_->timer);
  // Destroyed after the last member access: its captures may own this Timer.
  util::UniqueFunction<void()> old = std::move(box_->callback);
}

bool Timer::active() const {
  if (handleBoxDead(box_)) {
    return false;
  }
  loop_.assertInLoopThread();
  return uv_is_active(box_->handle()) != 0;
}

}  // namespace tributary::loop
