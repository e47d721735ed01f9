// Internal: writes one task's downloaded bytes to its file through the worker
// pool, so the loop never blocks on the disk. One per task; construct, use and
// destroy it on the task's loop thread, where every callback runs too.
//
// The data path is built for speed, because writing fresh page cache is the
// ceiling of an HTTP download on a fast link:
// * write() takes a WriteBlock by move: a connection hands its filled read
//   buffer over and takes a spare one back (takeSpareBuffer()); nothing is
//   copied on the loop.
// * Blocks are grouped into jobs of about DiskWriterConfig::jobBytes, each a
//   series of positional writes on one worker. Only runs of small adjacent
//   blocks are copied together (one syscall instead of many); large blocks are
//   written from the caller's memory.
// * At most maxJobsInFlight jobs per task (default 1) are with the pool at a
//   time, so one task cannot flood the pool and the disk sees few, large
//   requests. Blocks queue up while a job runs and the next job takes them.
//
// Back-pressure: pendingBytes() counts what was accepted and is not on disk
// yet. Above highWater, congested() is true and connections should stop
// reading; onDrained fires once pendingBytes() falls to lowWater.
//
// A byte range is reported through onWritten only once it is on disk (in the
// page cache; sync() makes it durable): mark it done only then. The ranges
// given to write() must not overlap ranges still pending.
//
// The first error (disk full, I/O error) goes to onError once; the writer then
// refuses new blocks and drops what it had queued. Jobs already running finish.
//
// Destroying the writer with jobs in flight is safe: queued blocks are dropped,
// running jobs finish writing to the right offsets (they own the file and their
// blocks), and their completions find the writer gone and do nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/WriteBlock.h"
#include "engine/util/Buffer.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::storage {

struct DiskWriterConfig {
  // Buffered writes to one file take its inode lock in turn: a second job on
  // the same file mostly spins on that lock (measured: 15-20 % of the CPU
  // for no throughput) while the first copies into the page cache. One job
  // at a time per file, each large, is the cheapest; more helps only a file
  // system that writes one file in parallel.
  unsigned maxJobsInFlight = 1;
  std::size_t jobBytes = std::size_t{1} << 20;  // a job takes blocks up to about this
  // Adjacent blocks below mergeBelow are copied together into one write of at
  // most mergeLimit: below a few KiB a syscall costs more than the copy; above,
  // the copy costs more (a TLS record's 16 KiB is written where it lies).
  std::size_t mergeBelow = std::size_t{8} << 10;
  std::size_t mergeLimit = std::size_t{256} << 10;
  std::uint64_t highWater = std::uint64_t{32} << 20;
  std::uint64_t lowWater = std::uint64_t{8} << 20;
  // Buffers that came back from finished writes, kept (up to this many bytes)
  // for takeSpareBuffer(): reusing them saves the page faults of fresh memory.
  std::size_t spareBytes = std::size_t{4} << 20;
};

class DiskWriter {
 public:
  using WrittenCallback = util::UniqueFunction<void(std::uint64_t offset, std::uint64_t length)>;
  using ErrorCallback = util::UniqueFunction<void(const Error& error)>;
  using DrainedCallback = util::UniqueFunction<void()>;
  using DoneCallback = util::UniqueFunction<void(Result<void>)>;

  DiskWriter(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<File> file,
             DiskWriterConfig config = {});
  ~DiskWriter();
  DiskWriter(const DiskWriter&) = delete;
  DiskWriter& operator=(const DiskWriter&) = delete;

  // Callbacks may call any method of the writer, or destroy it.
  void setOnWritten(WrittenCallback cb);
  void setOnError(ErrorCallback cb);
  void setOnDrained(DrainedCallback cb);

  // Takes the block for bytes [offset, offset + block.size()). Returns false
  // (dropping the block) once the writer has failed.
  bool write(std::uint64_t offset, WriteBlock block);

  // done(ok) once every block accepted before the call is on disk (and
  // reported), or done(the writer's error). Never runs before flush() returns.
  // Dropped without running if the writer is destroyed first.
  void flush(DoneCallback done);
  // flush(), then fsync through the pool.
  void sync(DoneCallback done);

  bool congested() const;
  bool failed() const;
  // Accepted and not yet on disk (queued here or being written).
  std::uint64_t pendingBytes() const;
  unsigned jobsInFlight() const;

  // A buffer to read into next, with at least `capacity` bytes of room: one
  // that came back from a finished write if there is one (its pages are
  // already mapped), else a new one.
  util::Buffer takeSpareBuffer(std::size_t capacity);

 private:
  class Core;  // the state completions reach through a weak_ptr (DiskWriter.cpp)
  std::shared_ptr<Core> core_;
};

}  // namespace tributary::storage
