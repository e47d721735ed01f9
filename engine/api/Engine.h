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

// BitTorrent protocol encryption (MSE/PE, RC4 over a Diffie-Hellman key).
// Disabled: plaintext only, both ways. Enabled: we dial with MSE, offering
// plaintext or RC4 (the answering peer picks), and retry once in plaintext if
// the peer hangs up during it; we accept both MSE and plain handshakes.
// Required: RC4 only, both ways; plaintext peers are refused.
enum class EncryptionMode : std::uint8_t { Disabled, Enabled, Required };

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
  // Tasks downloading at once (Downloading, Checking, FetchingMetadata); the
  // rest wait as Queued, in queue order. Seeding and finished tasks do not
  // count. 0 = no limit.
  unsigned maxActiveDownloads = 5;
  // Peer discovery and transports (each can be turned off, as --no-dht etc.).
  bool enableDht = true;
  bool enablePex = true;
  bool enableLsd = true;
  bool enableUtp = true;  // not implemented yet: peers are reached over TCP only
  EncryptionMode encryption = EncryptionMode::Enabled;  // like qBittorrent's "allow encryption"
  // "host:port" or "[v6]:port"; empty = the usual public routers.
  std::vector<std::string> dhtBootstrap;
  // The DHT's routing table is read from here at start and written back at
  // exit, so a restart does not bootstrap from scratch; empty = not kept.
  std::string dhtStateFile;
  // The task list is kept here (session.state, a backup, and copies of the
  // tasks' .torrent files), saved as it changes and at exit, and the tasks
  // come back at the next start: paused ones paused, in their queue order,
  // with their added time and traffic. Empty = not kept (tests, the CLI).
  std::string stateDir;
  // Verified torrent pieces go to disk past the OS page cache where the file
  // system allows it (O_DIRECT on Linux, F_NOCACHE on macOS; qBittorrent's
  // "disable OS cache" write mode). Copying a fast download into fresh page
  // cache is the largest CPU cost the engine has; the price is that data just
  // downloaded is read back from the disk, not from memory. false = every
  // write goes through the cache.
  bool bypassOsCacheForPieces = true;
  std::string logFile;  // empty = no log file
  bool logToStderr = false;
  LogLevel logLevel = LogLevel::Info;
};

using SubscriptionId = std::uint64_t;

// Engine::moveInQueue: one place towards the front (Up) or the back (Down),
// or to either end.
enum class QueueMove : std::uint8_t { Up, Down, Top, Bottom };

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
  // How a torrent shares its pieces between its swarm and its web seeds, and
  // its CDN byte cap (see SourcePolicy). Kept with the task; takes effect at
  // the seeds' next run. No effect on an HTTP task.
  virtual void setSourcePolicy(TaskId id, SourcePolicy policy) = 0;
  // Hashes a torrent's data on disk again ("force recheck"): the task shows
  // Checking, pieces that no longer match are downloaded again, and a paused
  // task stays paused. No effect on an HTTP task.
  virtual void recheck(TaskId id) = 0;
  // "Set location" (a torrent): its files move to `saveDir` (renamed on one
  // file system, copied then removed across two); files already there and
  // gone from the old folder, which the user moved, are used where they are.
  // The task shows Checking while that happens, checks the data in the new
  // place, and goes on as before. The answer to a task Failed with
  // FileMissing whose files were moved. No effect on an HTTP task yet.
  virtual void setLocation(TaskId id, std::string saveDir) = 0;

  // The download queue (qBittorrent's "torrent queueing"): at most
  // `maxActiveDownloads` tasks download at once; one that wants to download
  // while every slot is taken shows Queued and holds no connection. A slot
  // that frees (a task finishes, fails, is paused or removed) goes to the
  // first queued task in queue order. New tasks join at the bottom; a paused
  // task keeps its place and, resumed, starts only if a slot is free. Raising
  // the limit starts queued tasks at once; lowering it queues the active
  // tasks furthest down the queue. A finished task has no place
  // (TaskSnapshot::queuePosition 0) and moving it does nothing.
  virtual void setMaxActiveDownloads(unsigned maxActive) = 0;
  virtual void moveInQueue(TaskId id, QueueMove move) = 0;

  // The first update a new subscriber gets is a full one. Unsubscribing waits
  // at most for a callback already running for that subscriber.
  virtual SubscriptionId subscribe(UpdateCallback onUpdate, EventCallback onEvent) = 0;
  virtual void unsubscribe(SubscriptionId id) = 0;

 protected:
  Engine() = default;
};

}  // namespace tributary
