// The check of the data already on disk when a torrent starts: existing
// content is seeded, and a download run again resumes instead of starting over.
// Pieces whose files are missing or too short are known absent without reading
// a byte; the rest are read and hashed on the worker pool, a few pieces per
// job and two jobs at a time, so a large torrent neither floods the pool nor
// keeps the loop waiting.
#include <algorithm>
#include <optional>

#include "engine/bt/TorrentResumeData.h"
#include "engine/bt/TorrentTask.h"
#include "engine/storage/AtomicFile.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

constexpr std::uint32_t kChecksInFlight = 2;
// A resume file is a bitfield and an entry per file (two integers, under 48
// bytes): anything much larger is not this torrent's.
std::size_t maxResumeBytes(const storage::TorrentLayout& layout) {
  return layout.pieceCount() / 8 + layout.files().size() * 64 + 4096;
}
constexpr std::uint64_t kCheckJobBytes = 8ull << 20;

// Whether every byte of the piece can be on disk, judged by file sizes alone.
bool mayBeOnDisk(const storage::TorrentLayout& layout, const std::vector<std::int64_t>& sizes,
                 std::uint32_t piece) {
  std::vector<storage::FileSpan> spans;
  layout.spans(layout.pieceOffset(piece), layout.pieceSize(piece), spans);
  return std::all_of(spans.begin(), spans.end(), [&](const storage::FileSpan& span) {
    return layout.files()[span.file].padding ||
           sizes[span.file] >= static_cast<std::int64_t>(span.fileOffset + span.length);
  });
}

}  // namespace

void TorrentTask::recheck() {
  if (storage_ && phase_ == Phase::Done && finalState_ == TaskState::Failed &&
      error_.code == ErrorCode::FileMissing) {
    // The user's answer to "files missing": hash what is there, fetch the rest.
    TLOG(Info, "bt") << meta_->name << ": recheck of a task whose files went missing";
    finalState_ = TaskState::Queued;
    error_ = {};
    paused_ = false;
    applyFilePriorities();
    startCheck(false);
    return;
  }
  // Idle: the check runs on start anyway. Checking: it is under way.
  if (!storage_ || phase_ == Phase::Idle || phase_ == Phase::Checking ||
      (phase_ == Phase::Done && finalState_ == TaskState::Failed)) {
    return;
  }
  TLOG(Info, "bt") << meta_->name << ": recheck";
  stopAll();  // peers, trackers and the tick; a paused task stays paused
  seeding_ = false;
  phase_ = Phase::Checking;
  // Pieces being hashed or written land first, so the check never reads a
  // piece half written; then nothing is trusted until hashed again.
  std::weak_ptr<char> alive = life_;
  whenDiskIdle([this, alive] {
    if (alive.expired() || phase_ != Phase::Checking || stopping_) {
      return;
    }
    // Pieces half assembled in memory stay as they are: not on disk, so
    // the check passes them by, and their blocks are as good as before.
    const util::Bitfield had = picker_.haveBitfield();
    had.forEachSet(
        [this](std::size_t piece) { picker_.forgetHave(static_cast<std::uint32_t>(piece)); });
    applyFilePriorities();  // what is needed again
    startCheck(false);      // hash everything: that is what the user asked for
  });
}

bool TorrentTask::failIfFilesVanished(std::vector<std::size_t> vanished, bool hadResume) {
  const auto& files = storage_->layout().files();
  if (!hadResume && context_.finishedBefore) {
    // Finished in an earlier run but no resume data: every wanted file that
    // has bytes must be there.
    for (std::size_t f = 0; f < files.size(); ++f) {
      if (!files[f].padding && files[f].length > 0 && fileSizesOnDisk_[f] < 0) {
        vanished.push_back(f);
      }
    }
  }
  std::erase_if(vanished, [this](std::size_t f) { return !storage_->wanted(f); });
  if (vanished.empty()) {
    return false;
  }
  std::string detail = "files missing: " + storage_->filePath(vanished.front());
  if (vanished.size() > 1) {
    detail += " and " + std::to_string(vanished.size() - 1) + " more";
  }
  detail +=
      " (moved, deleted, or on a drive that is not there); Set location to where they are "
      "now, or Recheck to download them again";
  failTask({ErrorCode::FileMissing, std::move(detail)});
  return true;
}

void TorrentTask::startCheck(bool useResume) {
  phase_ = Phase::Checking;
  checkedOnce_ = false;
  useResumeChecks_ = useResume;
  checkNextPiece_ = 0;
  checksInFlight_ = 0;
  resumeSettled_ = util::Bitfield(geometry_.pieceCount);
  struct OnDisk {
    std::vector<std::int64_t> sizes;
    std::optional<ResumePlan> plan;
    std::vector<std::size_t> vanished;  // held verified data when saved, gone now
  };
  const std::string resume = useResume ? resumePath() : std::string();
  std::weak_ptr<char> alive = life_;
  diskJobStarted();
  jobs_.submit(
      [storage = storage_, io = context_.fileIo, meta = meta_, resume] {
        OnDisk found{storage->fileSizes(), std::nullopt, {}};
        if (resume.empty() || !io) {
          return found;
        }
        Result<std::string> bytes =
            storage::readSmallFile(*io, resume, maxResumeBytes(storage->layout()));
        if (!bytes) {
          if (bytes.error().code != ErrorCode::FileMissing) {  // missing: a first start
            TLOG(Warning, "bt") << meta->name << ": resume data unreadable ("
                                << bytes.error().toString() << "); checking all the data";
          }
          return found;
        }
        Result<TorrentResumeData> saved =
            decodeTorrentResume(bytes.value(), meta->infoHash, storage->layout().pieceCount(),
                                storage->layout().files().size());
        if (!saved) {
          TLOG(Warning, "bt") << meta->name << ": " << saved.error().detail
                              << "; checking all the data";
          return found;
        }
        const auto now = storage->fileStats();
        found.plan = planFromResume(saved.value(), now, storage->layout());
        found.vanished = vanishedFiles(saved.value(), now, storage->layout());
        return found;
      },
      [this, alive](OnDisk found) {
        if (alive.expired()) {
          return;
        }
        diskJobEnded();
        if (phase_ != Phase::Checking) {
          return;
        }
        fileSizesOnDisk_ = std::move(found.sizes);
        if (useResumeChecks_ && failIfFilesVanished(found.vanished, found.plan.has_value())) {
          return;
        }
        if (found.plan) {
          resumeSettled_ = std::move(found.plan->settled);
          found.plan->have.forEachSet([this](std::size_t piece) {
            picker_.setHave(static_cast<std::uint32_t>(piece));
            needed_.reset(piece);
          });
          if (verifyUnclaimed_ && useResumeChecks_) {
            unsettleUnclaimedPieces();
          }
          TLOG(Info, "bt") << meta_->name << ": resume data settles " << resumeSettled_.count()
                           << " of " << geometry_.pieceCount << " pieces";
        }
        checkNext();
      });
}

void TorrentTask::unsettleUnclaimedPieces() {
  // A resume file claims only pieces flushed before it was written, and the
  // file times it keeps were taken after that flush: a piece written in
  // between, or after the save in a file whose time did not move (coarse
  // clocks), looks settled as absent. Claimed pieces stay trusted.
  unclaimedToVerify_ = util::Bitfield(geometry_.pieceCount);
  const storage::TorrentLayout& layout = storage_->layout();
  for (std::uint32_t piece = 0; piece < geometry_.pieceCount; ++piece) {
    if (resumeSettled_.test(piece) && !picker_.have(piece) &&
        mayBeOnDisk(layout, fileSizesOnDisk_, piece)) {
      resumeSettled_.reset(piece);
      unclaimedToVerify_.set(piece);
    }
  }
}

void TorrentTask::logUnclaimedPiecesFound() {
  if (unclaimedToVerify_.size() == 0) {
    return;  // no resume data was used: everything was hashed anyway
  }
  std::size_t found = 0;
  unclaimedToVerify_.forEachSet(
      [&](std::size_t piece) { found += picker_.have(static_cast<std::uint32_t>(piece)) ? 1 : 0; });
  TLOG(Info, "bt") << meta_->name << ": the last run ended uncleanly; of "
                   << unclaimedToVerify_.count()
                   << " pieces not in the resume data that may be on disk, " << found
                   << " verified and kept, the others are downloaded again";
  unclaimedToVerify_ = util::Bitfield();
}

void TorrentTask::settleUncleanCheck() {
  if (verifyUnclaimed_ && context_.uncleanChecksOwed) {
    context_.uncleanChecksOwed->fetch_sub(1);
  }
  verifyUnclaimed_ = false;
}

void TorrentTask::checkNext() {
  const storage::TorrentLayout& layout = storage_->layout();
  while (checksInFlight_ < kChecksInFlight && checkNextPiece_ < geometry_.pieceCount) {
    // A batch of consecutive pieces that may be there; absent ones are skipped.
    std::vector<std::uint32_t> batch;
    std::uint64_t bytes = 0;
    while (checkNextPiece_ < geometry_.pieceCount && bytes < kCheckJobBytes) {
      const std::uint32_t piece = checkNextPiece_++;
      // A piece half assembled in memory (a recheck's) is not on disk yet.
      if (picker_.have(piece) || picker_.isStarted(piece) || resumeSettled_.test(piece) ||
          !mayBeOnDisk(layout, fileSizesOnDisk_, piece)) {
        continue;
      }
      batch.push_back(piece);
      bytes += layout.pieceSize(piece);
    }
    if (batch.empty()) {
      continue;
    }
    ++checksInFlight_;
    diskJobStarted();
    std::weak_ptr<char> alive = life_;
    jobs_.submit(
        [storage = storage_, meta = meta_, batch] {
          std::vector<std::uint32_t> good;
          std::vector<std::byte> buffer;
          util::Sha1 sha;
          // A piece that is all holes reads as zeros: its hash is that of
          // zeros (at most two sizes: the usual and the last piece's), so a
          // sparse download's unwritten part costs no read and no hashing.
          std::optional<std::pair<std::size_t, util::Sha1::Digest>> zeros[2];
          const auto zeroDigest = [&](std::size_t size) {
            auto& slot = zeros[size == static_cast<std::size_t>(meta->pieceLength) ? 0 : 1];
            if (!slot || slot->first != size) {
              buffer.assign(size, std::byte{0});
              sha.update(buffer);
              slot.emplace(size, sha.finish());
            }
            return slot->second;
          };
          for (std::uint32_t piece : batch) {
            const auto size = static_cast<std::size_t>(meta->pieceSize(piece));
            const auto offset = static_cast<std::uint64_t>(meta->pieceOffset(piece));
            util::Sha1::Digest digest;
            if (storage->onlyHoles(offset, size)) {
              digest = zeroDigest(size);
            } else {
              buffer.resize(size);
              if (!storage->read(offset, buffer)) {
                continue;
              }
              sha.update(buffer);
              digest = sha.finish();
            }
            const std::string_view expected = meta->pieceHash(piece);
            if (std::equal(expected.begin(), expected.end(),
                           reinterpret_cast<const char*>(digest.data()))) {
              good.push_back(piece);
            }
          }
          return good;
        },
        [this, alive](std::vector<std::uint32_t> good) {
          if (alive.expired()) {
            return;
          }
          diskJobEnded();
          --checksInFlight_;
          if (phase_ != Phase::Checking) {
            return;
          }
          for (std::uint32_t piece : good) {
            picker_.setHave(piece);
            needed_.reset(piece);
          }
          checkNext();
        });
  }
  if (checksInFlight_ == 0 && checkNextPiece_ >= geometry_.pieceCount) {
    TLOG(Info, "bt") << meta_->name << ": " << picker_.haveBitfield().count() << " of "
                     << geometry_.pieceCount << " pieces already on disk";
    const bool hashedSome = resumeSettled_.count() < geometry_.pieceCount;
    checkedOnce_ = true;
    if (useResumeChecks_ && verifyUnclaimed_) {
      logUnclaimedPiecesFound();
    }
    settleUncleanCheck();  // once per run: this check's resume save claims them
    enterRunning();
    if (hashedSome) {
      saveResume();  // what the hashing found: the next start need not hash it again
    }
  }
}

}  // namespace tributary::bt
