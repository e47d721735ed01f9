// Internal: the marker that says "an engine is running on this state folder".
// It is written when the engine starts (atomically and fsynced, on the worker
// pool) and removed only after the final save of a clean shutdown, so finding
// it at start means the last run ended without that save: a crash, a SIGKILL,
// a power cut. Then pieces written after a torrent's last resume save may be
// on disk without being claimed there (a resume file claims only what was
// flushed before it was written), and the restored torrents hash them instead
// of downloading them again (core::TaskContext::uncleanShutdownBefore).
#pragma once

#include <memory>
#include <string>

#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/StateFileWriter.h"

namespace tributary::session {

class DirtyMarker {
 public:
  // Caller's thread (blocking, like the session's load): looks for a marker
  // left by the previous run, before this run writes its own.
  DirtyMarker(std::string path, std::shared_ptr<storage::FileIo> io);
  ~DirtyMarker();
  DirtyMarker(const DirtyMarker&) = delete;
  DirtyMarker& operator=(const DirtyMarker&) = delete;

  bool foundAtStart() const { return foundAtStart_; }
  const std::string& path() const { return path_; }

  // On `loop`'s thread: writes the marker on the pool; stop() (in the loop's
  // shutdown hook) drops the writer.
  void write(loop::EventLoop& loop, loop::WorkerPool& workers);
  void stop();
  // Caller's thread, once the pool is stopped (no write can land after it):
  // the run ended cleanly.
  void remove();

 private:
  std::string path_;
  std::shared_ptr<storage::FileIo> io_;
  bool foundAtStart_ = false;
  std::unique_ptr<storage::StateFileWriter> writer_;  // loop thread
};

}  // namespace tributary::session
