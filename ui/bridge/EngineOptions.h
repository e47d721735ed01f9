// Public to ui/: the engine-wide settings a user can choose (listen port,
// connection limits, peer discovery, transports and encryption, the download
// queue), as Qt values, and their mapping onto the engine's configuration. The engine reads
// them once, when it is created, so a change applies at the next start; only
// maxActiveDownloads is also handed to a running engine
// (EngineBridge::setMaxActiveDownloads).
#pragma once

#include <QStringList>
#include <QtGlobal>

namespace tributary {
struct EngineConfig;
}  // namespace tributary

namespace tributary::ui {

// BitTorrent protocol encryption (MSE/PE) with peers, the engine's
// EncryptionMode in ui/ terms: Enabled offers it and accepts plain peers too.
enum class PeerEncryption { Enabled, Required, Disabled };

struct EngineOptions {
  // 0 lets the engine pick a free port at each start; otherwise a port outside
  // the privileged range, which an ordinary user could not listen on.
  static constexpr quint16 kMinListenPort = 1024;
  static constexpr int kMaxPeersPerTorrent = 1000;
  static constexpr int kMaxConnections = 10000;
  static constexpr int kMaxActiveDownloads = 10000;

  quint16 listenPort = 0;
  // The engine's own defaults (EngineConfig); tst_settings_engine checks they agree.
  int maxPeersPerTorrent = 50;  // 1 to kMaxPeersPerTorrent
  int maxConnections = 500;     // 1 to kMaxConnections, all tasks together
  int maxActiveDownloads = 5;   // 0 (no limit) to kMaxActiveDownloads; the rest wait, queued
  bool enableDht = true;
  bool enablePex = true;
  bool enableLsd = true;
  bool enableUtp = true;
  // EngineConfig::bypassOsCacheForPieces: verified pieces skip the page cache.
  bool bypassOsCache = true;
  PeerEncryption encryption = PeerEncryption::Enabled;
  // Where the DHT starts: "host:port" or "[v6]:port" (BootstrapNodes); empty
  // = the usual public routers.
  QStringList dhtBootstrap;

  // Out-of-range figures (a hand-edited settings file) brought into range.
  EngineOptions normalized() const;

  bool operator==(const EngineOptions&) const = default;
};

// Writes `options` into `config`, leaving its other fields (threads, log file) alone.
void applyEngineOptions(const EngineOptions& options, tributary::EngineConfig& config);

}  // namespace tributary::ui
