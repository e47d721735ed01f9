// Internal: "Set location" for a torrent's files: each file of the layout that
// exists under `from` goes to the same relative path under `to` (a rename on
// one file system; across file systems a copy, flushed, then the original
// removed), and the folders it leaves empty are removed. Blocking: worker
// pool only.
//
// Files already under `to` and gone from `from` (the user moved them by
// hand) are left as they are: that is the usual reason to set a location.
// A file present in both places is not overwritten: the move stops with an
// error naming it, and what was moved so far stays moved (running it again
// carries on, since moved files are no longer under `from`).
#pragma once

#include <atomic>
#include <string>

#include "engine/api/Error.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/TorrentLayout.h"

namespace tributary::storage {

// `cancel` (may be null), once true, stops a copy between chunks and the
// move between files (ShuttingDown): the engine is quitting or the task going.
Result<void> moveTorrentFiles(FileIo& io, const TorrentLayout& layout, const std::string& from,
                              const std::string& to, const std::atomic<bool>* cancel = nullptr);

}  // namespace tributary::storage
