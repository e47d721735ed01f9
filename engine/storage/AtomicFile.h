// Internal: replace a small file (resume data, session state) so that a crash
// at any moment leaves either the old or the new content, never a mix: write a
// temporary beside it, fsync it, rename it over, fsync the folder. Blocking:
// call it on a worker thread.
#pragma once

#include <span>
#include <string>

#include "engine/storage/FileIo.h"

namespace tributary::storage {

Result<void> replaceFileAtomically(FileIo& io, const std::string& path,
                                   std::span<const std::byte> content);

// Reads a whole file of at most `maxBytes` (state files are small; a larger one
// is treated as damaged rather than read into memory).
Result<std::string> readSmallFile(FileIo& io, const std::string& path, std::size_t maxBytes);

}  // namespace tributary::storage
