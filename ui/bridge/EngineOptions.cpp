#include "ui/bridge/EngineOptions.h"

#include <algorithm>

#include "engine/api/Engine.h"

namespace tributary::ui {

EngineOptions EngineOptions::normalized() const {
  EngineOptions out = *this;
  // A privileged port would fail to open and leave BitTorrent without
  // incoming peers; picking a free one at least keeps it working.
  if (out.listenPort != 0 && out.listenPort < kMinListenPort) {
    out.listenPort = 0;
  }
  out.maxPeersPerTorrent = std::clamp(out.maxPeersPerTorrent, 1, kMaxPeersPerTorrent);
  out.maxConnections = std::clamp(out.maxConnections, 1, kMaxConnections);
  return out;
}

void applyEngineOptions(const EngineOptions& options, tributary::EngineConfig& config) {
  const EngineOptions valid = options.normalized();
  config.listenPort = valid.listenPort;
  config.maxPeersPerTorrent = static_cast<unsigned>(valid.maxPeersPerTorrent);
  config.maxConnections = static_cast<unsigned>(valid.maxConnections);
  config.enableDht = valid.enableDht;
  config.enablePex = valid.enablePex;
  config.enableLsd = valid.enableLsd;
  config.enableUtp = valid.enableUtp;
}

}  // namespace tributary::ui
