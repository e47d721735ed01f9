// Internal: keeps one small state file (an HTTP task's resume data) up to date
// on disk without blocking the loop. Each save replaces the file atomically
// (AtomicFile: write a temporary, fsync, rename, fsync the folder) on the
// worker pool, so a crash leaves the old or the new state, never a mix.
//
// One write at a time per file: two jobs racing on the same temporary would
// mix their bytes. Saves asked for while one runs are coalesced: only the
// latest content is written next (older states are worthless once a newer one
// exists), and every caller's done runs with that write's result. A remove()
// is ordered the same way ("latest wins" between saving and removing).
//
// Construct, use and destroy it on the loop thread. Destroying it drops the
// waiting content and the done callbacks; a write already running completes.
// Use one StateFileWriter per path.
#pragma once

#include <memory>
#include <string>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::storage {

class StateFileWriter {
 public:
  using DoneCallback = util::UniqueFunction<void(Result<void>)>;

  StateFileWriter(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<FileIo> io,
                  std::string path);
  ~StateFileWriter();
  StateFileWriter(const StateFileWriter&) = delete;
  StateFileWriter& operator=(const StateFileWriter&) = delete;

  // done (may be empty) runs on the loop, never inside save(); it may destroy the writer.
  void save(std::string content, DoneCallback done = nullptr);
  // Deletes the file (a missing file is fine).
  void remove(DoneCallback done = nullptr);

  // Nothing is being written or waiting to be.
  bool idle() const;
  const std::string& path() const;

 private:
  class State;
  std::shared_ptr<State> state_;
};

}  // namespace tributary::storage
