// Internal: the trackers of a torrent or a magnet, built the same way for
// both: a UDP tracker client when the task can resolve names, the list with
// our identity, and the peers it hands back as plain addresses.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/bt/BtShared.h"
#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUdpClient.h"
#include "engine/core/Task.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

struct TaskTrackers {
  // Declared first: the list uses it, so it goes last.
  std::unique_ptr<TrackerUdpClient> udp;
  std::unique_ptr<TrackerList> list;
};

// `owner` only seeds the announce key (it differs between tasks of one run).
TaskTrackers makeTaskTrackers(const core::TaskContext& context, const BtShared& shared,
                              const util::Sha1::Digest& infoHash,
                              std::vector<std::vector<std::string>> tiers, const void* owner,
                              std::function<void(const std::vector<loop::SocketAddress>&)> onPeers);

}  // namespace tributary::bt
