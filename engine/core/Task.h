// Internal: what every kind of download (HTTP, torrent, magnet) is to the
// session. A task lives on one loop: it is created, driven, asked for its
// snapshot and destroyed there, so its state needs no locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/Types.h"
#include "engine/core/HttpGetter.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/WorkerPool.h"
#include "engine/net/SharedTokenBucket.h"
#include "engine/net/TlsContextCache.h"
#include "engine/storage/FileIo.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::core {

// How a task reports discrete happenings (completed, failed, metadata). Any thread.
class TaskEvents {
 public:
  virtual ~TaskEvents() = default;
  virtual void report(const Event& event) = 0;
  // The task's files now live in `saveDir` (a Set location that succeeded):
  // what the saved session must remember. A request that failed or was
  // ignored never gets here, so the kept folder is always the real one.
  virtual void locationChanged(TaskId id, const std::string& saveDir) {
    (void)id;
    (void)saveDir;
  }
};

// What the session lends a task. Everything outlives the task.
struct TaskContext {
  TaskId id = kInvalidTaskId;
  loop::EventLoop* loop = nullptr;
  loop::WorkerPool* workers = nullptr;
  std::shared_ptr<net::SharedTokenBucket> globalDownload;
  std::shared_ptr<net::SharedTokenBucket> globalUpload;
  TaskEvents* events = nullptr;
  std::shared_ptr<storage::FileIo> fileIo;
  // Shared by the tasks of one loop, so a name is looked up once per loop, not per task.
  loop::Resolver* resolver = nullptr;
  // Engine-wide; building a context is blocking work for the worker pool.
  std::shared_ptr<net::TlsContextCache> tls;
  // One per loop, for small documents (tracker announces).
  core::HttpGetter* httpGetter = nullptr;
  // Restored from the saved session as finished: its completion was announced
  // in an earlier run (no second Completed event, no second "completed"
  // announce, while the data is still all there).
  bool finishedBefore = false;
  // Restored after a run that ended without its final save (a crash, a kill,
  // a power cut: the session found its dirty marker). Pieces written since
  // the task's last resume save may be on disk without being claimed there;
  // a torrent hashes them rather than downloading them again.
  bool uncleanShutdownBefore = false;
  // How many restored torrents still owe that check: each adds one when it
  // takes the flag and takes it back once its check ran (or it was removed).
  // A clean exit with some still owed (a task that stayed paused) keeps the
  // dirty marker, so the next run does the check instead of forgetting it.
  std::shared_ptr<std::atomic<int>> uncleanChecksOwed;
  // CDN bytes the task fetched in earlier runs (the saved traffic.cdn): its
  // SourcePolicy::cdnByteCap counts them too.
  std::uint64_t cdnBytesBefore = 0;
  // EngineConfig::bypassOsCacheForPieces.
  bool bypassCacheForPieces = false;
};

class Task {
 public:
  virtual ~Task() = default;

  // Begins, or continues from the state found on disk. Unless the task was
  // added paused, the session calls it once, right after construction.
  virtual void start() = 0;
  // Instant: marks every request cancelled and returns; nothing waits for
  // sockets to drain. State is saved in the background.
  virtual void pause() = 0;
  virtual void resume() = 0;
  virtual void setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) = 0;
  // Per-file priorities (0 skip, 1 normal, 2 high); only a multi-file task has any.
  virtual void setFilePriorities(const std::vector<std::uint8_t>& priorities) { (void)priorities; }
  // Swarm vs web seeds (torrents); other tasks ignore it.
  virtual void setSourcePolicy(const SourcePolicy& policy) { (void)policy; }
  // Verifies the data on disk again (torrents); tasks without piece hashes
  // ignore it.
  virtual void recheck() {}
  // "Set location": the task's files go to `saveDir` (moved if they exist
  // where they were; found there if the user moved them), then it checks
  // them there and carries on. Torrents; other tasks ignore it for now.
  virtual void setLocation(const std::string& saveDir) { (void)saveDir; }

  // Stops everything (deleting the files when asked), then calls `done` on the
  // loop; the session destroys the task after that.
  virtual void remove(bool deleteFiles, util::UniqueFunction<void()> done) = 0;
  // Engine shutdown: stop, flush what is being written, save state, then call
  // `done` on the loop. The worker pool still runs until every task is done
  // (or a deadline passes).
  virtual void shutdown(util::UniqueFunction<void()> done) = 0;

  // Called at every tick on the loop thread; the session publishes it when it
  // differs from the last one.
  virtual TaskSnapshot snapshot() = 0;
};

}  // namespace tributary::core
