// Writing `create`'s result: a temporary file beside the target, flushed to
// disk, then renamed over it, so the target is either the old file or the
// whole new torrent, never a part.
#pragma once

#include <string>
#include <string_view>

#include "engine/api/Error.h"

namespace tributary::cli {

// Whether a file can be made where `output` goes (its folder exists and takes
// a new file; `output` is not a folder). Leaves nothing behind.
Result<void> checkWritable(const std::string& output);

// Refuses an `output` inside the folder `path`: a second run would hash the
// first run's .torrent into the content and then overwrite it.
Result<void> checkOutsideContent(const std::string& output, const std::string& path);

// Replaces `output` with `content` atomically (same folder, rename).
Result<void> writeAtomically(const std::string& output, std::string_view content);

}  // namespace tributary::cli
