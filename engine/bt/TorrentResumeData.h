// Internal: a torrent's fast-resume data, so a restart does not hash every
// byte again: the pieces that were verified AND flushed to disk (fsync) before
// the file was written, and each file's size and modification time as they
// were then (aria2's order: write the data, fsync, then claim it).
//
// On start a file whose size and time still match is trusted as the resume
// data says: its pieces count as there or absent without reading a byte. A
// file that changed (written after the last save, by a crash's lost last
// seconds or by someone else) or vanished has its pieces hashed as usual.
//
// The file (<BtShared::resumeDir>/<info-hash hex>.resume, sealed by
// storage/SealedFile.h) is hostile input: anything that does not fit this
// torrent (another info-hash, piece or file count) or is damaged is refused,
// and the task falls back to a full check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/TorrentLayout.h"
#include "engine/util/Bitfield.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

inline constexpr unsigned kTorrentResumeVersion = 1;

struct TorrentResumeData {
  util::Sha1::Digest infoHash{};
  util::Bitfield have;  // verified and on disk (flushed) when saved
  // Per file of the layout: its size and time when saved; nullopt = absent.
  std::vector<std::optional<storage::FileStat>> files;

  friend bool operator==(const TorrentResumeData&, const TorrentResumeData&) = default;
};

std::string encodeTorrentResume(const TorrentResumeData& data);
Result<TorrentResumeData> decodeTorrentResume(std::string_view bytes,
                                              const util::Sha1::Digest& infoHash,
                                              std::size_t pieceCount, std::size_t fileCount);

// Before a save (files stat'ed): un-claims every piece that is not wholly on
// disk, such as one reaching into a skipped file (verified in memory, written
// only in part). Claimed, it would never be fetched once that file is wanted.
void dropUnwrittenPieces(TorrentResumeData& data, const storage::TorrentLayout& layout);

// What the start-up check may skip.
struct ResumePlan {
  util::Bitfield have;     // pieces there without hashing
  util::Bitfield settled;  // pieces the resume data decides (there or absent): not hashed
};
// `now`: each file's stat on disk now (nullopt = missing). A piece is
// settled when every file it touches (padding aside) is unchanged since the
// save; it is there when, in addition, the save said so.
ResumePlan planFromResume(const TorrentResumeData& saved,
                          const std::vector<std::optional<storage::FileStat>>& now,
                          const storage::TorrentLayout& layout);

// The files that held verified data when the resume data was saved (they
// existed, and a claimed piece lies in them) and are gone now: moved, deleted,
// or on a drive that is not mounted. Such a task must say so and wait for the
// user (Set location, or Recheck to download again), not quietly start over.
std::vector<std::size_t> vanishedFiles(const TorrentResumeData& saved,
                                       const std::vector<std::optional<storage::FileStat>>& now,
                                       const storage::TorrentLayout& layout);

}  // namespace tributary::bt
