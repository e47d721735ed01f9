#include "ui/bridge/EngineOptions.h"

#include <algorithm>

#include "engine/api/Engine.h"
#include "ui/bridge/BootstrapNodes.h"

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
  out.maxActiveDownloads = std::clamp(out.maxActiveDownloads, 0, kMaxActiveDownloads);
  // A node the engine could not parse would only be skipped there, unseen.
  out.dhtBootstrap = BootstrapNodes::parse(out.dhtBootstrap.join(QLatin1Char(','))).nodes;
  return out;
}

void applyEngineOptions(const EngineOptions& options, tributary::EngineConfig& config) {
  const EngineOptions valid = options.normalized();
  config.listenPort = valid.listenPort;
  config.maxPeersPerTorrent = static_cast<unsigned>(valid.maxPeersPerTorrent);
  config.maxConnections = static_cast<unsigned>(valid.maxConnections);
  config.maxActiveDownloads = static_cast<unsigned>(valid.maxActiveDownloads);
  config.enableDht = valid.enableDht;
  config.enablePex = valid.enablePex;
  config.enableLsd = valid.enableLsd;
  config.enableUtp = valid.enableUtp;
  config.bypassOsCacheForPieces = valid.bypassOsCache;
  switch (valid.encryption) {
    case PeerEncryption::Enabled:
      config.encryption = EncryptionMode::Enabled;
      break;
    case PeerEncryption::Required:
      config.encryption = EncryptionMode::Required;
      break;
    case PeerEncryption::Disabled:
      config.encryption = EncryptionMode::Disabled;
      break;
  }
  config.dhtBootstrap.clear();
  for (const QString& node : valid.dhtBootstrap) {
    config.dhtBootstrap.push_back(node.toStdString());
  }
}

}  // namespace tributary::ui
