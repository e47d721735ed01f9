#include "engine/session/DirtyMarker.h"

#include "engine/util/Log.h"

namespace tributary::session {

DirtyMarker::DirtyMarker(std::string path, std::shared_ptr<storage::FileIo> io)
    : path_(std::move(path)), io_(std::move(io)) {
  foundAtStart_ = static_cast<bool>(io_->stat(path_));
  if (foundAtStart_) {
    TLOG(Info, "session") << "the last run did not end cleanly (" << path_
                          << " was left); restored torrents verify what they wrote after their "
                             "last save";
  }
}

DirtyMarker::~DirtyMarker() = default;

void DirtyMarker::write(loop::EventLoop& loop, loop::WorkerPool& workers) {
  writer_ = std::make_unique<storage::StateFileWriter>(loop, workers, io_, path_);
  // The content is for a person who finds the file; only its presence counts.
  writer_->save(
      "tributary engine running; removed at a clean exit\n", [file = path_](Result<void> written) {
        if (!written) {
          TLOG(Warning, "session") << "cannot write " << file << ": " << written.error().toString()
                                   << "; a crash would not be noticed at the next start";
        }
      });
}

void DirtyMarker::stop() {
  writer_.reset();
}

void DirtyMarker::remove() {
  if (Result<void> removed = io_->remove(path_);
      !removed && removed.error().code != ErrorCode::FileMissing) {
    TLOG(Warning, "session") << "cannot remove " << path_ << ": " << removed.error().toString();
  }
}

}  // namespace tributary::session
