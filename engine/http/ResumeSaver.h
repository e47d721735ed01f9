// Internal: saves an HTTP task's resume data so that it never claims a byte
// the disk might not have: each save first fsyncs NAME.part on the worker pool
// and only then replaces the resume file (aria2's order). A crash or a power
// cut after the save finds every claimed byte on the platter; bytes written
// after the sync started are claimed by a later save.
//
// One sync at a time: saves asked for while one runs are coalesced, and only
// the latest state follows with the next sync (older ones are worthless once
// a newer exists); every caller's done runs with the result of the save that
// carried its state. A failed sync claims nothing new (done gets the error).
// remove() deletes the file, after a write under way, and cancels every save
// not written yet, so a late sync cannot bring the file back.
//
// Construct, use and destroy it on the loop thread; done runs there, never
// inside save() or remove(). Destroying it drops pending saves and their done.
#pragma once

#include <memory>
#include <string>

#include "engine/api/Error.h"
#include "engine/http/ResumeFile.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/StateFileWriter.h"

namespace tributary::http {

class ResumeSaver {
 public:
  using DoneCallback = storage::StateFileWriter::DoneCallback;

  // `partFile` is the open NAME.part whose ranges the states claim.
  ResumeSaver(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<storage::FileIo> io,
              std::string path, std::shared_ptr<storage::File> partFile);
  ~ResumeSaver();
  ResumeSaver(const ResumeSaver&) = delete;
  ResumeSaver& operator=(const ResumeSaver&) = delete;

  // `state.done` must hold only ranges the DiskWriter has reported written.
  // An encoding error comes back at once; nothing is saved and done is dropped.
  Result<void> save(const ResumeState& state, DoneCallback done = nullptr);
  void remove(DoneCallback done = nullptr);

  // No sync or write is running or waiting.
  bool idle() const;
  const std::string& path() const;

 private:
  class Core;
  std::shared_ptr<Core> core_;
};

}  // namespace tributary::http
