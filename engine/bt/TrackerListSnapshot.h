// Internal: a tracker list as the UI's tracker tab shows it (torrent and
// magnet tasks alike).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/api/Types.h"
#include "engine/bt/TrackerList.h"

namespace tributary::bt {

std::vector<TrackerSnapshot> trackerSnapshots(const TrackerList& trackers, std::int64_t wallNow);

}  // namespace tributary::bt
