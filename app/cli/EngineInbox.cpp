#include "app/cli/EngineInbox.h"

#include <utility>

namespace tributary::cli {

void EngineInbox::pushUpdate(const Update& update) {
  {
    std::lock_guard lock(mutex_);
    pending_.updates.push_back(update);
  }
  arrived_.notify_one();
}

void EngineInbox::pushEvent(const Event& event) {
  {
    std::lock_guard lock(mutex_);
    pending_.events.push_back(event);
  }
  arrived_.notify_one();
}

void EngineInbox::pushSignal(int signal) {
  {
    std::lock_guard lock(mutex_);
    if (pending_.signal == 0) {
      pending_.signal = signal;
    }
  }
  arrived_.notify_one();
}

EngineInbox::Batch EngineInbox::take(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  arrived_.wait_until(lock, deadline, [this] {
    return pending_.signal != 0 || !pending_.updates.empty() || !pending_.events.empty();
  });
  Batch out = std::move(pending_);
  pending_ = Batch{};
  // A signal stays set: every later take() must see that the run is over.
  pending_.signal = out.signal;
  return out;
}

}  // namespace tributary::cli
