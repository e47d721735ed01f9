// Internal: a torrent's files on disk, read and written as one byte stream
// (TorrentLayout). Every call blocks on the disk: worker-pool threads only.
// Thread-safe: several workers write different pieces at once (positional
// writes need no lock; only the table of open files takes one).
//
// Files are created (with their folders) when their first byte is written;
// files the user skipped are never created, and bytes that fall into them are
// dropped. Padding files (BEP 47) never exist on disk and read as zeros.
// Everything stays under the task's folder: TorrentLayout refused any path
// that could leave it.
//
// At most `maxOpenFiles` handles stay open (least recently used closed first),
// so a torrent of 100,000 small files does not exhaust descriptors.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/TorrentLayout.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::storage {

class TorrentStorage {
 public:
  TorrentStorage(std::shared_ptr<FileIo> io, std::string root,
                 std::shared_ptr<const TorrentLayout> layout, std::size_t maxOpenFiles = 64);
  TorrentStorage(const TorrentStorage&) = delete;
  TorrentStorage& operator=(const TorrentStorage&) = delete;

  const TorrentLayout& layout() const { return *layout_; }
  std::string filePath(std::size_t file) const;

  // Files opened for writing from now on write whole aligned stretches past
  // the OS page cache (File::bypassCacheForAlignedWrites). Any thread.
  void bypassCacheForWrites(bool on) { bypassCache_.store(on, std::memory_order_relaxed); }

  // Which files are wanted (false = skipped); all are, by default. Any thread.
  void setWanted(std::vector<bool> wanted) EXCLUDES(mutex_);
  bool wanted(std::size_t file) const EXCLUDES(mutex_);

  // Writes stream bytes [offset, offset + data.size()).
  Result<void> write(std::uint64_t offset, std::span<const std::byte> data)
      EXCLUDES(mutex_, writeMutex_);
  // Reads stream bytes; FileMissing when a file is absent or shorter than the
  // bytes asked for (the data is not there, which a check must tell apart
  // from an I/O error).
  Result<void> read(std::uint64_t offset, std::span<std::byte> out) EXCLUDES(mutex_);
  // True when the file system says those stream bytes are all holes (or
  // padding) inside files long enough to hold them: they read as zeros, so a
  // check can compare the piece's hash with that of zeros without reading.
  // False when any byte may be data, or nobody can tell.
  bool onlyHoles(std::uint64_t offset, std::uint64_t length) EXCLUDES(mutex_);
  // The size of each file on disk, or -1 when it does not exist: a quick way
  // to know which pieces cannot be there before hashing anything.
  std::vector<std::int64_t> fileSizes() EXCLUDES(mutex_);
  // Each file's size and modification time on disk (fast resume); nullopt
  // when it does not exist, and for padding files.
  std::vector<std::optional<FileStat>> fileStats() EXCLUDES(mutex_);
  // Creates the wanted zero-length files (nothing is ever written to them).
  Result<void> createEmptyFiles() EXCLUDES(mutex_);
  // fsync of every file written since the last sync.
  Result<void> sync() EXCLUDES(mutex_, writeMutex_);
  void closeAll() EXCLUDES(mutex_);
  // Deletes the files this torrent may have created (missing ones are fine),
  // then the folders it made, when they are empty.
  Result<void> removeFiles() EXCLUDES(mutex_);

 private:
  struct Open {
    std::shared_ptr<File> file;
    bool writable = false;
    bool dirty = false;
    std::uint64_t lastUse = 0;
  };
  Result<std::shared_ptr<File>> fileFor(std::size_t index, bool write) EXCLUDES(mutex_);
  void evictLocked() REQUIRES(mutex_);

  const std::shared_ptr<FileIo> io_;
  const std::string root_;
  const std::shared_ptr<const TorrentLayout> layout_;
  const std::size_t maxOpenFiles_;
  std::atomic<bool> bypassCache_{false};
  mutable util::Mutex mutex_;
  // One write at a time: buffered writes to one file take its inode lock in
  // turn, and the kernel spins for it (measured: a few % of the CPU for
  // nothing). A second worker hashes the next piece meanwhile.
  util::Mutex writeMutex_;
  std::vector<bool> wanted_ GUARDED_BY(mutex_);
  std::vector<Open> open_ GUARDED_BY(mutex_);                       // one slot per file
  std::vector<std::shared_ptr<File>> unsynced_ GUARDED_BY(mutex_);  // evicted while dirty
  std::size_t openCount_ GUARDED_BY(mutex_) = 0;
  std::uint64_t useClock_ GUARDED_BY(mutex_) = 0;
};

}  // namespace tributary::storage
