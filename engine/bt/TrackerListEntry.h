// Internal to TrackerList*.cpp: what the list keeps per tracker and per tier.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUrl.h"
#include "engine/loop/Timer.h"

namespace tributary::bt {

struct TrackerList::Entry {
  std::string url;
  unsigned tier = 0;  // its index in tiers_
  TrackerScheme scheme = TrackerScheme::Unsupported;
  TrackerStats stats;
  std::uint64_t retryAtMs = 0;  // on back-off until then
  bool started = false;         // it accepted our "started" and has not had "stopped"
  bool completedDue = false;    // it knew us before completed(): it is owed "completed"
  bool busy = false;            // a regular announce to it is in flight
  // Its last failure was of the network (no answer, refused, no name), not
  // the tracker's own word: only those may have been our outage.
  bool failedUnheard = false;
  std::string trackerId;
  std::uint64_t lastSuccessMs = 0;
  std::chrono::milliseconds minInterval{0};
  core::HttpGetter::Request http;
  TrackerRequest udp;

  void cancel() {
    http.cancel();
    udp.cancel();
  }
};

// One tier announces on its own: its timer is its next announce, or while
// a round is open (asked, nobody answered yet) the end of the patience.
struct TrackerList::Tier {
  explicit Tier(loop::EventLoop& loop) : timer(loop) {}

  std::vector<std::unique_ptr<Entry>> entries;  // BEP 12 order: shuffled once, winner first
  loop::Timer timer;
  std::uint64_t nextAtMs = 0;  // when the timer fires
  bool announcing = false;     // a round is open: its first answer wins it
  Entry* working = nullptr;    // the last winner: its interval sets the tier's schedule
};

}  // namespace tributary::bt
