// TrackerList's stop: "stopped" to every tracker that had our "started",
// bounded by stopTimeout so a dead tracker cannot hold a pause or shutdown.
#include <utility>
#include <vector>

#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerListEntry.h"

namespace tributary::bt {

using std::chrono::milliseconds;

void TrackerList::stop(util::UniqueFunction<void()> done) {
  loop_.assertInLoopThread();
  if (phase_ == Phase::Stopping) {
    // A second stop while one runs: both are done when it is.
    util::UniqueFunction<void()> first = std::move(stopDone_);
    stopDone_ = [first = std::move(first), done = std::move(done)]() mutable {
      if (first) {
        first();
      }
      if (done) {
        done();
      }
    };
    return;
  }
  stopDone_ = std::move(done);
  const bool wasRunning = phase_ == Phase::Running;
  phase_ = Phase::Stopping;
  timer_.stop();
  std::vector<Entry*> toStop;
  if (inFlight_ != nullptr) {
    // Its "started" may have reached the tracker: it hears "stopped" too.
    inFlight_->cancel();
    inFlight_->stats.status =
        inFlight_->started ? TrackerStatus::Working : TrackerStatus::NotContacted;
    if (!inFlight_->started) {
      toStop.push_back(inFlight_);
    }
    inFlight_ = nullptr;
  }
  urgent_ = false;
  restartAfterStop_ = false;
  if (wasRunning) {
    for (auto& tier : tiers_) {
      for (auto& entry : tier) {
        if (entry->started) {
          toStop.push_back(entry.get());
        }
      }
    }
  }
  pendingStops_ = toStop.size();
  stopTimer_.start(toStop.empty() ? milliseconds{0} : options_.stopTimeout, milliseconds{0},
                   [this] { finishStop(); });
  for (Entry* entry : toStop) {
    send(*entry, AnnounceEvent::Stopped);
  }
}

void TrackerList::onStopAnswered(Entry* entry) {
  entry->started = false;
  if (pendingStops_ > 0 && --pendingStops_ == 0) {
    // Finish on a fresh stack: the answer's callback is still running.
    stopTimer_.start(milliseconds{0}, milliseconds{0}, [this] { finishStop(); });
  }
}

void TrackerList::finishStop() {
  if (phase_ != Phase::Stopping) {
    return;
  }
  cancelAll();  // stops that did not answer in time are abandoned
  for (auto& tier : tiers_) {
    for (auto& entry : tier) {
      entry->started = false;
    }
  }
  timer_.stop();
  stopTimer_.stop();
  phase_ = Phase::Idle;
  pendingStops_ = 0;
  util::UniqueFunction<void()> done = std::move(stopDone_);
  if (std::exchange(restartAfterStop_, false)) {
    start();
  }
  if (done) {
    done();  // last: it may destroy this list
  }
}

}  // namespace tributary::bt
