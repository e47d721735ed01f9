// "Set location": the torrent's files move to another folder (or are found
// there, moved by the user, which is the answer to "files missing"), then the
// data is checked there from the resume data, so a rename costs no hashing,
// and the task carries on as it was (a paused task stays paused).
#include "engine/bt/TorrentTask.h"
#include "engine/storage/MoveTorrentFiles.h"
#include "engine/util/Log.h"

namespace tributary::bt {

void TorrentTask::setLocation(const std::string& saveDir) {
  // Not while checking: the check's jobs read the files being moved (a Set
  // location from "files missing" comes after the check has stopped).
  if (!storage_ || saveDir.empty() || saveDir == params_.saveDir || movingFiles_ || stopping_ ||
      phase_ == Phase::Checking) {
    TLOG(Info, "bt") << meta_->name << ": set location to " << saveDir << " not done now";
    return;
  }
  TLOG(Info, "bt") << meta_->name << ": set location " << params_.saveDir << " -> " << saveDir;
  stopAll();  // peers, trackers and the tick: nothing writes while files move
  seeding_ = false;
  movingFiles_ = true;
  phase_ = Phase::Checking;
  std::weak_ptr<char> alive = life_;
  // Pieces being hashed or written land first, in the old place, and move too.
  whenDiskIdle([this, alive, saveDir] {
    if (alive.expired() || stopping_) {
      return;
    }
    diskJobStarted();
    jobs_.submit(
        [io = context_.fileIo, storage = storage_, from = params_.saveDir, to = saveDir,
         cancel = moveCancel_] {
          storage->closeAll();  // close() may block: on the pool, not the loop
          return storage::moveTorrentFiles(*io, storage->layout(), from, to, cancel.get());
        },
        [this, alive, saveDir](Result<void> moved) {
          if (alive.expired()) {
            return;
          }
          diskJobEnded();
          movingFiles_ = false;
          if (stopping_) {
            return;
          }
          if (!moved) {
            // What moved stays moved; Set location again carries on.
            failTask(moved.error());
            return;
          }
          params_.saveDir = saveDir;
          context_.events->locationChanged(context_.id, saveDir);
          std::vector<bool> wanted(storage_->layout().files().size());
          for (std::size_t f = 0; f < wanted.size(); ++f) {
            wanted[f] = storage_->wanted(f);
          }
          storage_ = makeStorage(context_, params_, *meta_);
          storage_->setWanted(std::move(wanted));
          // Known again only once checked in the new place.
          const util::Bitfield had = picker_.haveBitfield();
          had.forEachSet(
              [this](std::size_t piece) { picker_.forgetHave(static_cast<std::uint32_t>(piece)); });
          finalState_ = TaskState::Queued;
          error_ = {};
          applyFilePriorities();
          startCheck(true);
        });
  });
}

}  // namespace tributary::bt
