// Internal: hashes a byte range of a file on the worker pool, so a loop never
// spends seconds on a SHA-256 of a finished download (the HTTP --checksum
// check) or on a BitTorrent piece check.
//
// It takes a JobSubmitter rather than a loop and a pool: a full pool queue
// must not fail the hash, and the submitter already owns the retry timer and
// keeps jobs in order. The caller (a task) usually has one for its disk jobs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/api/Error.h"
#include "engine/api/Types.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/JobSubmitter.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::storage {

// The lower-case hex digest (the form of Checksum::hex), or the read error.
using HashCallback = util::UniqueFunction<void(Result<std::string>)>;

// Reads are this size, into one buffer per job reused for the whole range.
inline constexpr std::size_t kHashChunkSize = std::size_t{1} << 20;

// Loop thread of `jobs`. Hashes [offset, offset + length) of `file` on a
// worker and runs done on the loop with the digest; IoError if the file ends
// before the range does, InvalidArgument if the range overflows. The file is
// shared with the job, so it stays open until the job is done. done is
// dropped if `jobs` is destroyed before the pool took the job; once taken,
// done runs even if the caller is gone, so it must guard itself (a weak_ptr).
void hashFileRange(JobSubmitter& jobs, std::shared_ptr<File> file, std::uint64_t offset,
                   std::uint64_t length, Checksum::Algorithm algorithm, HashCallback done);

// The worker-side half, synchronous: what the job runs. For callers already
// on a worker, and for tests.
Result<std::string> hashFileRangeNow(File& file, std::uint64_t offset, std::uint64_t length,
                                     Checksum::Algorithm algorithm);

}  // namespace tributary::storage
