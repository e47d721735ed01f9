// Internal to TrackerList*.cpp: what the list keeps per tracker.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUrl.h"

namespace tributary::bt {

struct TrackerList::Entry {
  std::string url;
  unsigned tier = 0;
  TrackerScheme scheme = TrackerScheme::Unsupported;
  TrackerStats stats;
  std::uint64_t retryAtMs = 0;  // on back-off until then
  bool started = false;         // it accepted our "started" and has not had "stopped"
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

}  // namespace tributary::bt
