// Internal: the storage layer's only door to the file system. Everything above
// goes through this interface, so tests can inject ENOSPC at the N-th write or
// EIO on a read (FaultInjectingFileIo) and the task must cope. Calls block:
// they run on worker-pool threads, never on a loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "engine/api/Error.h"

namespace tributary::storage {

// An open file; closed by its destructor.
class File {
 public:
  virtual ~File() = default;
  // Writes all of `data` at `offset` (retrying short writes and EINTR).
  virtual Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) = 0;
  // Reads up to data.size() bytes at `offset`; fewer only at end of file.
  virtual Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) = 0;
  virtual Result<void> sync() = 0;
  // Sets the size; when `allocate`, also reserves the blocks where the file
  // system can, so a full disk shows up now rather than mid-download.
  virtual Result<void> resize(std::uint64_t size, bool allocate) = 0;
  virtual Result<std::uint64_t> size() = 0;
  // From now on, the parts of a write that are aligned to 4 KiB in memory, in
  // the file and in length go to the disk without the OS page cache (O_DIRECT
  // on Linux, F_NOCACHE on macOS) where the file system allows it; the rest,
  // and every write on a file system that refuses, stays buffered. For data
  // written once and not read back soon (verified pieces): it skips the
  // kernel's copy into fresh page cache, the largest CPU cost of a download.
  // Reads, sync() and size() see the data either way.
  virtual void bypassCacheForAlignedWrites() {}
  // Whether [offset, offset + length) holds any data, as opposed to holes
  // (never written, or allocated but unwritten: both read as zeros), where
  // the file system can tell (SEEK_DATA); nullopt where it cannot. Lets a
  // check skip reading and hashing the unwritten part of a sparse download.
  virtual std::optional<bool> hasDataIn(std::uint64_t /*offset*/, std::uint64_t /*length*/) {
    return std::nullopt;
  }
};

struct FileStat {
  std::uint64_t size = 0;
  std::int64_t modifiedUnixNs = 0;

  bool operator==(const FileStat&) const = default;
};

class FileIo {
 public:
  enum class OpenMode : std::uint8_t {
    Read,          // must exist
    ReadWrite,     // created if missing, never truncated
    WriteTruncate  // created, or emptied
  };

  virtual ~FileIo() = default;
  virtual Result<std::unique_ptr<File>> open(const std::string& path, OpenMode mode) = 0;
  virtual Result<FileStat> stat(const std::string& path) = 0;
  // Atomic on one file system: replaces `to` if it exists.
  virtual Result<void> rename(const std::string& from, const std::string& to) = 0;
  // A file, or an empty folder.
  virtual Result<void> remove(const std::string& path) = 0;
  // Creates the folder and its missing parents.
  virtual Result<void> makeDirectories(const std::string& path) = 0;
  // Makes a rename or a new file in `dir` durable.
  virtual Result<void> syncDirectory(const std::string& dir) = 0;
};

// The real file system.
std::shared_ptr<FileIo> systemFileIo();

// Maps an errno value to our codes (ENOSPC -> DiskFull, EACCES -> PermissionDenied ...).
Error errorFromErrno(int err, const std::string& what);

}  // namespace tributary::storage
