#include "engine/bt/TrackerListSnapshot.h"

namespace tributary::bt {
namespace {

TrackerSnapshot::Status statusOf(TrackerStatus status) {
  switch (status) {
    case TrackerStatus::NotContacted:
      return TrackerSnapshot::Status::NotContacted;
    case TrackerStatus::Announcing:
      return TrackerSnapshot::Status::Updating;
    case TrackerStatus::Working:
      return TrackerSnapshot::Status::Working;
    case TrackerStatus::Failed:
      return TrackerSnapshot::Status::Failed;
    case TrackerStatus::Unsupported:
      return TrackerSnapshot::Status::Disabled;
  }
  return TrackerSnapshot::Status::Disabled;
}

}  // namespace

std::vector<TrackerSnapshot> trackerSnapshots(const TrackerList& trackers, std::int64_t wallNow) {
  std::vector<TrackerSnapshot> out;
  for (const TrackerStats& stats : trackers.stats()) {
    TrackerSnapshot tracker;
    tracker.url = stats.url;
    tracker.tier = stats.tier;
    tracker.status = statusOf(stats.status);
    tracker.peers = static_cast<unsigned>(stats.peersReceived);
    tracker.seeds = stats.seeders.value_or(-1);
    tracker.leechers = stats.leechers.value_or(-1);
    if (stats.nextAnnounceIn) {
      tracker.nextAnnounceUnix = wallNow + stats.nextAnnounceIn->count() / 1000;
    }
    tracker.message = stats.message;
    out.push_back(std::move(tracker));
  }
  return out;
}

}  // namespace tributary::bt
