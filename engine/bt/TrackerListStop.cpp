// TrackerList's stop: "stopped" to every tracker that had our "started", all
// at once, bounded by stopTimeout so a dead tracker cannot hold a pause or
// shutdown.
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
  restartAfterStop_ = false;
  std::vector<Entry*> toStop;
  for (auto& tier : tiers_) {
    tier->timer.stop();
    tier->announcing = false;
    for (auto& entry : tier->entries) {
      if (entry->busy) {
        // Its "started" may have reached the tracker: it hears "stopped" too.
        entry->cancel();
        entry->busy = false;
        entry->stats.status = entry->started ? TrackerStatus::Working : TrackerStatus::NotContacted;
        if (!entry->started) {
          toStop.push_back(entry.get());
        }
      }
      if (wasRunning && entry->started) {
        toStop.push_back(entry.get());
      }
    }
  }
  pendingStops_ = toStop.size();
  stopTimer_.start(toStop.empty() ? milliseconds{0} : options_.stopTimeout, milliseconds{0},
                   [this] { finishStop(); });
  // All at once: the slowest tracker, not their sum, bounds the stop.
  std::size_t unsent = 0;
  for (Entry* entry : toStop) {
    if (!send(*entry, AnnounceEvent::Stopped)) {
      entry->started = false;  // no answer will come
      ++unsent;
    }
  }
  if (unsent > 0 && (pendingStops_ -= unsent) == 0) {
    stopTimer_.start(milliseconds{0}, milliseconds{0}, [this] { finishStop(); });
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
    tier->announcing = false;
    for (auto& entry : tier->entries) {
      entry->started = false;
      entry->completedDue = false;  // a new "started" tells our state afresh
      entry->busy = false;
    }
  }
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
