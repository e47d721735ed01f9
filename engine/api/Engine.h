// Public: the engine's command surface. Every command returns at once: it is
// posted to the loop that owns the task and never waits for network or disk.
// State comes back through the subscription, as values.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary {

enum class LogLevel : std::uint8_t { Debug, Info, Warning, Error, Off };

struct EngineConfig {
  unsigned loopThreads = 0;             // 0 = hardware threads, at least 2
  unsigned workerThreads = 0;           // disk and hashing pool; 0 = hardware threads, at least 2
  std::chrono::milliseconds tick{500};  // snapshot period (2 Hz)
  std::uint16_t listenPort = 0;         // BT listen port, 0 = pick one
  std::uint64_t maxDownloadRate = 0;    // bytes/s, 0 = unlimited
  std::uint64_t maxUploadRate = 0;
  // BitTorrent peers that connected to us, alive at once across all tasks.
  unsigned maxIncomingConnections = 500;
  // BitTorrent peers connected at once per torrent, dialled and incoming.
  unsigned maxPeersPerTorrent = 50;
  // BitTorrent connections alive at once across all tasks (dialled and
  // incoming), and connects in flight at once across all tasks.
  unsigned maxConnections = 500;
  unsigned maxHalfOpen = 64;
  // Peer discovery and transports (each can be turned off, as --no-dht etc.).
  bool enableDht = true;
  bool enablePex = true;
  bool enableLsd = true;
  bool enableUtp = true;
  // "host:port" or "[v6]:port"; empty = the usual public routers.
  std::vector<std::string> dhtBootstrap;
  std::string logFile;  // empty = no log file
  bool logToStderr = false;
  LogLevel logLevel = LogLevel::Info;
};

using SubscriptionId = std::uint64_t;

// Called on an engine thread. Keep them short: copy or move the value into
// your own queue and return (ui/bridge/EngineBridge does exactly that).
using UpdateCallback = std::function<void(const Update&)>;
using EventCallback = std::function<void(const Event&)>;

class Engine {
 public:
  // Starts the loop threads and the worker pool.
  static std::unique_ptr<Engine> create(const EngineConfig& config);

  // Saves state, closes every handle, joins every thread. After it returns no
  // callback runs.
  virtual ~Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Checks the source's syntax (no I/O) and returns the new task's id, or why
  // it cannot be added. Network and disk problems arrive later as a Failed event.
  virtual Result<TaskId> add(const AddParams& params) = 0;
  virtual void pause(TaskId id) = 0;
  virtual void resume(TaskId id) = 0;
  virtual void remove(TaskId id, bool deleteFiles) = 0;
  virtual void pauseAll() = 0;
  virtual void resumeAll() = 0;
  virtual void setGlobalLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) = 0;
  virtual void setTaskLimits(TaskId id, std::uint64_t maxDownloadRate,
                             std::uint64_t maxUploadRate) = 0;
  // A torrent's files, in the torrent's order (padding files included and
  // ignored): 0 = skip (never created), 1 = normal, 2 = high (downloaded
  // first). Missing entries are normal. No effect on an HTTP task.
  virtual void setFilePriorities(TaskId id, std::vector<std::uint8_t> priorities) = 0;
  // Hashes a torrent's data on disk again ("force recheck"): the task shows
  // Checking, pieces that no longer match are downloaded again, and a paused
  // task stays paused. No effect on an HTTP task.
  virtual void recheck(TaskId id) = 0;

  // The first update a new subscriber gets is a full one. Unsubscribing waits
  // at most for a callback already running for that subscriber.
  virtual SubscriptionId subscribe(UpdateCallback onUpdate, EventCallback onEvent) = 0;
  virtual void unsubscribe(SubscriptionId id) = 0;

 protected:
  Engine() = default;
};

}  // namespace tributary
