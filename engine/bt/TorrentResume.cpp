// The fast-resume data of a torrent (TorrentResumeData.h): saved on the pool
// in aria2's order — the pieces verified now are noted first, then every file
// is flushed (fsync), then their sizes and times are read and the file is
// replaced atomically — so it never claims a piece that is not on disk.
#include <span>

#include "engine/bt/TorrentResumeData.h"
#include "engine/bt/TorrentTask.h"
#include "engine/codec/HexBase32.h"
#include "engine/storage/AtomicFile.h"
#include "engine/util/Log.h"

namespace tributary::bt {

std::string TorrentTask::resumePath() const {
  if (shared_->resumeDir.empty()) {
    return {};
  }
  return shared_->resumeDir + "/" + meta_->infoHashHex() + ".resume";
}

void TorrentTask::saveResume(util::UniqueFunction<void()> then) {
  if (then) {
    resumeWaiters_.push_back(std::move(then));
  }
  const std::string path = resumePath();
  if (path.empty() || !storage_ || !context_.fileIo || phase_ == Phase::Idle ||
      phase_ == Phase::Checking || !checkedOnce_ || resumeDropped_->load()) {
    // Nothing to keep, or nothing known yet (a check under way decides; one
    // that stopped at "files missing" never learnt what is there, and the
    // saved data is what says they are missing).
    for (auto& waiter : std::exchange(resumeWaiters_, {})) {
      waiter();
    }
    return;
  }
  if (resumeSaving_) {
    resumeSaveAgain_ = true;
    return;
  }
  resumeSaving_ = true;
  lastResumeSaveMs_ = context_.loop->nowMs();
  TorrentResumeData data;
  data.infoHash = meta_->infoHash;
  data.have = picker_.haveBitfield();  // written before now: the flush below covers them
  resumeSavedHave_ = data.have.count();
  std::weak_ptr<char> alive = life_;
  diskJobStarted();
  jobs_.submit(
      [storage = storage_, io = context_.fileIo, dir = shared_->resumeDir, path,
       dropped = resumeDropped_, data = std::move(data)]() mutable -> Result<void> {
        if (Result<void> synced = storage->sync(); !synced) {
          return synced;  // claim nothing that may not be on disk
        }
        data.files = storage->fileStats();
        if (Result<void> made = io->makeDirectories(dir); !made) {
          return made;
        }
        dropUnwrittenPieces(data, storage->layout());
        const std::string bytes = encodeTorrentResume(data);
        if (dropped->load()) {
          return {};  // the task is being removed
        }
        Result<void> written = storage::replaceFileAtomically(
            *io, path, std::as_bytes(std::span(bytes.data(), bytes.size())));
        if (dropped->load()) {
          (void)io->remove(path);  // removed while we wrote: its removal may have come first
        }
        return written;
      },
      [this, alive, path](Result<void> saved) {
        if (alive.expired()) {
          return;
        }
        diskJobEnded();
        resumeSaving_ = false;
        if (!saved) {
          TLOG(Warning, "bt") << meta_->name << ": no resume data saved (" << path
                              << "): " << saved.error().toString();
        }
        if (std::exchange(resumeSaveAgain_, false)) {
          saveResume();  // the waiters wait for that one: it holds their state
          return;
        }
        for (auto& waiter : std::exchange(resumeWaiters_, {})) {
          waiter();
        }
      });
}

void TorrentTask::maybeSaveResume(std::uint64_t nowMs) {
  if (nowMs - lastResumeSaveMs_ >= kResumeIntervalMs &&
      picker_.haveBitfield().count() != resumeSavedHave_) {
    saveResume();
  }
}

void TorrentTask::removeResume() {
  const std::string path = resumePath();
  if (path.empty() || !context_.fileIo) {
    return;
  }
  resumeDropped_->store(true);
  jobs_.submit([io = context_.fileIo, path] { (void)io->remove(path); }, [] {});
}

}  // namespace tributary::bt
