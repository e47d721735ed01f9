// Public to ui/: the engine-wide settings a user can choose (listen port,
// connection limits, peer discovery and transports), as Qt values, and their
// mapping onto the engine's configuration. The engine reads them once, when it
// is created, so a change applies at the next start.
#pragma once

#include <QtGlobal>

namespace tributary {
struct EngineConfig;
}  // namespace tributary

namespace tributary::ui {

struct EngineOptions {
  // 0 lets the engine pick a free port at each start; otherwise a port outside
  // the privileged range, which an ordinary user could not listen on.
  static constexpr quint16 kMinListenPort = 1024;
  static constexpr int kMaxPeersPerTorrent = 1000;
  static constexpr int kMaxConnections = 10000;

  quint16 listenPort = 0;
  // The engine's own defaults (EngineConfig); tst_settings_engine checks they agree.
  int maxPeersPerTorrent = 50;  // 1 to kMaxPeersPerTorrent
  int maxConnections = 500;     // 1 to kMaxConnections, all tasks together
  bool enableDht = true;
  bool enablePex = true;
  bool enableLsd = true;
  bool enableUtp = true;

  // Out-of-range figures (a hand-edited settings file) brought into range.
  EngineOptions normalized() const;

  bool operator==(const EngineOptions&) const = default;
};

// Writes `options` into `config`, leaving its other fields (threads, log file) alone.
void applyEngineOptions(const EngineOptions& options, tributary::EngineConfig& config);

}  // namespace tributary::ui
