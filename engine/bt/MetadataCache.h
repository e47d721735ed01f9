// Internal: the info dictionaries magnet tasks fetched, kept as .torrent files
// (<dir>/<info-hash hex>.torrent, BtShared::metadataDir) so that a magnet
// restored after a restart has its name and files at once and does not ask
// the swarm again. A cached file is trusted only if its info dictionary still
// hashes to the magnet's info-hash.
#pragma once

#include <string>

#include "engine/core/Task.h"
#include "engine/storage/FileIo.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

std::string metadataCachePath(const std::string& dir, const util::Sha1::Digest& infoHash);

// Caller's thread, blocking (the session's add()): the cached info
// dictionary's bytes, or empty when there is none or it does not match.
std::string loadCachedMetadata(storage::FileIo& io, const std::string& dir,
                               const util::Sha1::Digest& infoHash);

// Loop thread: writes `torrentBytes` atomically on the worker pool; a failure
// is logged (the metadata is fetched again after a restart, nothing worse).
void saveCachedMetadata(const core::TaskContext& context, const std::string& dir,
                        const util::Sha1::Digest& infoHash, std::string torrentBytes);

}  // namespace tributary::bt
