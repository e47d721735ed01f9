#include "engine/storage/DiskWriter.h"

#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

#include "engine/storage/JobSubmitter.h"

namespace tributary::storage {
namespace {

// Buffers smaller than this are not worth keeping for reuse.
constexpr std::size_t kMinSpareCapacity = std::size_t{16} << 10;

struct Piece {
  std::uint64_t offset = 0;
  WriteBlock block;
  std::vector<std::byte> merged;  // small adjacent blocks copied together
  bool isMerged = false;

  std::size_t size() const { return isMerged ? merged.size() : block.size(); }
};

// One pool job: positional writes in queue order.
struct Batch {
  std::uint64_t firstSeq = 0;  // sequence number of the first block it holds
  std::uint64_t bytes = 0;
  std::vector<Piece> pieces;
};

struct BatchOutcome {
  std::unique_ptr<Batch> batch;  // back to the loop, so the buffers can be reused there
  std::size_t written = 0;       // pieces on disk, counted from the first
  Result<void> result;
};

// Runs on a worker thread.
BatchOutcome writeBatch(File& file, std::unique_ptr<Batch> batch) {
  BatchOutcome out;
  for (const Piece& piece : batch->pieces) {
    if (auto written = file.writeAt(piece.offset, piece.block.bytes()); !written) {
      out.result = written;
      break;
    }
    ++out.written;
  }
  out.batch = std::move(batch);
  return out;
}

DiskWriterConfig sanitized(DiskWriterConfig config) {
  config.maxJobsInFlight = std::max(config.maxJobsInFlight, 1U);
  config.jobBytes = std::max<std::size_t>(config.jobBytes, 1);
  config.lowWater = std::min(config.lowWater, config.highWater);
  return config;
}

}  // namespace

// Everything the writer is, held by shared_ptr so that a completion can keep it
// alive while it runs callbacks (one of which may destroy the DiskWriter), and
// find it gone when the DiskWriter was destroyed before the job finished.
class DiskWriter::Core : public std::enable_shared_from_this<Core> {
 public:
  Core(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<File> file,
       DiskWriterConfig config)
      : loop_(loop), file_(std::move(file)), config_(sanitized(config)), submitter_(loop, pool) {}

  bool write(std::uint64_t offset, WriteBlock block);
  void addWaiter(DoneCallback done, bool sync);
  util::Buffer takeSpareBuffer(std::size_t capacity);
  // The DiskWriter is gone: no callback may run any more. The callbacks
  // themselves die with the Core, never while one of them is running.
  void close() { closed_ = true; }

  // A callback and how often it was set, so notify() can tell whether the
  // callback replaced or cleared itself while it ran.
  template <class F>
  struct Slot {
    F fn;
    std::uint64_t sets = 0;
    void set(F f) {
      fn = std::move(f);
      ++sets;
    }
  };
  Slot<WrittenCallback> onWritten;
  Slot<ErrorCallback> onError;
  Slot<DrainedCallback> onDrained;

  std::uint64_t pendingBytes() const { return pendingBytes_; }
  bool congested() const { return pendingBytes_ >= config_.highWater; }
  bool failed() const { return failed_; }
  unsigned jobsInFlight() const { return inFlight_; }

 private:
  struct Queued {
    std::uint64_t offset = 0;
    WriteBlock block;
    std::uint64_t seq = 0;
  };
  struct Waiter {
    std::uint64_t seq = 0;  // done once every block before this one is on disk
    bool sync = false;
    DoneCallback done;
  };

  // Runs a moved-out copy, so the callback may replace itself or destroy the
  // writer while it runs; false when the writer was closed meanwhile.
  template <class F, class... Args>
  bool notify(Slot<F>& slot, Args&&... args);
  void pump();
  void addToBatch(Batch& batch, std::uint64_t offset, WriteBlock block);
  void submitBatch(std::unique_ptr<Batch> batch);
  void onBatchDone(BatchOutcome outcome);
  void fail(const Error& error);
  void recycle(WriteBlock& block);
  std::uint64_t lowestPendingSeq() const;
  void postCheck();
  void checkWaiters();
  void submitSync(DoneCallback done);
  void onSyncDone(Result<void> result, DoneCallback done);

  loop::EventLoop& loop_;
  std::shared_ptr<File> file_;
  const DiskWriterConfig config_;
  JobSubmitter submitter_;

  std::deque<Queued> queue_;  // accepted, not yet in a job
  std::uint64_t queuedBytes_ = 0;
  std::uint64_t pendingBytes_ = 0;  // queued + in jobs
  std::uint64_t nextSeq_ = 0;
  unsigned inFlight_ = 0;
  std::vector<std::uint64_t> inFlightSeqs_;  // firstSeq of each batch in flight
  std::deque<Waiter> waiters_;
  std::vector<util::Buffer> spares_;
  std::size_t spareBytes_ = 0;  // capacity of spares_
  Error error_;
  bool failed_ = false;
  bool closed_ = false;
  bool drainArmed_ = false;  // congested since the last onDrained
  bool checkPosted_ = false;
};

template <class F, class... Args>
bool DiskWriter::Core::notify(Slot<F>& slot, Args&&... args) {
  if (slot.fn) {
    const std::uint64_t sets = slot.sets;
    F running = std::move(slot.fn);
    running(std::forward<Args>(args)...);
    if (slot.sets == sets && !closed_) {
      slot.fn = std::move(running);
    }
  }
  return !closed_;
}

bool DiskWriter::Core::write(std::uint64_t offset, WriteBlock block) {
  loop_.assertInLoopThread();
  if (failed_ || closed_) {
    return false;
  }
  if (block.empty()) {
    return true;
  }
  const std::size_t size = block.size();
  queue_.push_back(Queued{offset, std::move(block), nextSeq_++});
  queuedBytes_ += size;
  pendingBytes_ += size;
  if (congested()) {
    drainArmed_ = true;
  }
  pump();
  return true;
}

void DiskWriter::Core::pump() {
  while (!failed_ && !closed_ && !queue_.empty() && inFlight_ < config_.maxJobsInFlight) {
    // While a job runs, let a partial one fill up: its completion pumps again,
    // and a full job costs one wake-up of a worker instead of many.
    if (inFlight_ > 0 && queuedBytes_ < config_.jobBytes) {
      return;
    }
    auto batch = std::make_unique<Batch>();
    batch->firstSeq = queue_.front().seq;
    while (!queue_.empty() && batch->bytes < config_.jobBytes) {
      Queued next = std::move(queue_.front());
      queue_.pop_front();
      queuedBytes_ -= next.block.size();
      batch->bytes += next.block.size();
      addToBatch(*batch, next.offset, std::move(next.block));
    }
    for (Piece& piece : batch->pieces) {
      if (piece.isMerged) {
        piece.block = WriteBlock(std::move(piece.merged));
        piece.isMerged = false;
      }
    }
    submitBatch(std::move(batch));
  }
}

void DiskWriter::Core::addToBatch(Batch& batch, std::uint64_t offset, WriteBlock block) {
  if (!batch.pieces.empty() && block.size() < config_.mergeBelow) {
    Piece& last = batch.pieces.back();
    const std::size_t lastSize = last.size();
    if (last.offset + lastSize == offset && (last.isMerged || lastSize < config_.mergeBelow) &&
        lastSize + block.size() <= config_.mergeLimit) {
      if (!last.isMerged) {
        last.merged.reserve(config_.mergeLimit);
        const auto first = last.block.bytes();
        last.merged.assign(first.begin(), first.end());
        recycle(last.block);
        last.isMerged = true;
      }
      const auto more = block.bytes();
      last.merged.insert(last.merged.end(), more.begin(), more.end());
      recycle(block);
      return;
    }
  }
  batch.pieces.push_back(Piece{offset, std::move(block), {}, false});
}

void DiskWriter::Core::submitBatch(std::unique_ptr<Batch> batch) {
  ++inFlight_;
  inFlightSeqs_.push_back(batch->firstSeq);
  submitter_.submit(
      [file = file_, batch = std::move(batch)]() mutable {
        return writeBatch(*file, std::move(batch));
      },
      [weak = weak_from_this()](BatchOutcome outcome) {
        if (auto self = weak.lock()) {
          self->onBatchDone(std::move(outcome));
        }
      });
}

void DiskWriter::Core::onBatchDone(BatchOutcome outcome) {
  Batch& batch = *outcome.batch;
  --inFlight_;
  inFlightSeqs_.erase(std::find(inFlightSeqs_.begin(), inFlightSeqs_.end(), batch.firstSeq));
  pendingBytes_ -= batch.bytes;

  // Adjacent pieces are reported as one range: fewer calls into the task's ByteRanges.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> landed;  // offset, length
  for (std::size_t i = 0; i < outcome.written; ++i) {
    const Piece& piece = batch.pieces[i];
    if (!landed.empty() && landed.back().first + landed.back().second == piece.offset) {
      landed.back().second += piece.size();
    } else {
      landed.emplace_back(piece.offset, piece.size());
    }
  }
  for (Piece& piece : batch.pieces) {
    recycle(piece.block);
  }
  if (outcome.result) {
    pump();  // before the callbacks, so the disk stays busy while they run
  }
  for (const auto& [offset, length] : landed) {
    if (!notify(onWritten, offset, length)) {
      return;
    }
  }
  if (!outcome.result) {
    fail(outcome.result.error());
    if (closed_) {
      return;
    }
  }
  if (drainArmed_ && !failed_ && pendingBytes_ <= config_.lowWater) {
    drainArmed_ = false;
    if (!notify(onDrained)) {
      return;
    }
  }
  checkWaiters();
}

void DiskWriter::Core::fail(const Error& error) {
  if (failed_) {
    return;
  }
  failed_ = true;
  error_ = error;
  drainArmed_ = false;
  pendingBytes_ -= queuedBytes_;
  queuedBytes_ = 0;
  queue_.clear();
  notify(onError, error_);
}

void DiskWriter::Core::recycle(WriteBlock& block) {
  if (!block.holdsBuffer()) {
    block = WriteBlock();
    return;
  }
  util::Buffer buffer = block.takeBuffer();
  if (buffer.capacity() >= kMinSpareCapacity &&
      spareBytes_ + buffer.capacity() <= config_.spareBytes) {
    spareBytes_ += buffer.capacity();
    spares_.push_back(std::move(buffer));
  }
}

util::Buffer DiskWriter::Core::takeSpareBuffer(std::size_t capacity) {
  loop_.assertInLoopThread();
  for (auto it = spares_.rbegin(); it != spares_.rend(); ++it) {
    if (it->writableBytes() >= capacity) {
      util::Buffer out = std::move(*it);
      spareBytes_ -= out.capacity();
      spares_.erase(std::next(it).base());
      return out;
    }
  }
  return util::Buffer(capacity);
}

std::uint64_t DiskWriter::Core::lowestPendingSeq() const {
  std::uint64_t lowest = queue_.empty() ? nextSeq_ : queue_.front().seq;
  for (const std::uint64_t seq : inFlightSeqs_) {
    lowest = std::min(lowest, seq);
  }
  return lowest;
}

void DiskWriter::Core::addWaiter(DoneCallback done, bool sync) {
  loop_.assertInLoopThread();
  if (closed_) {
    return;
  }
  waiters_.push_back(Waiter{nextSeq_, sync, std::move(done)});
  postCheck();
}

void DiskWriter::Core::postCheck() {
  if (checkPosted_) {
    return;
  }
  checkPosted_ = true;
  // Posted rather than run now: done must never run inside flush() itself.
  loop_.post([weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->checkPosted_ = false;
      self->checkWaiters();
    }
  });
}

void DiskWriter::Core::checkWaiters() {
  while (!closed_ && !waiters_.empty() && waiters_.front().seq <= lowestPendingSeq()) {
    Waiter waiter = std::move(waiters_.front());
    waiters_.pop_front();
    if (waiter.sync && !failed_) {
      submitSync(std::move(waiter.done));
    } else if (waiter.done) {
      waiter.done(failed_ ? Result<void>(error_) : Result<void>());
    }
  }
}

void DiskWriter::Core::submitSync(DoneCallback done) {
  submitter_.submit([file = file_] { return file->sync(); },
                    [weak = weak_from_this(), done = std::move(done)](Result<void> result) mutable {
                      if (auto self = weak.lock()) {
                        self->onSyncDone(std::move(result), std::move(done));
                      }
                    });
}

void DiskWriter::Core::onSyncDone(Result<void> result, DoneCallback done) {
  if (closed_) {
    return;
  }
  if (!result) {
    fail(result.error());  // data the page cache held may be lost: stop here
    if (closed_) {
      return;
    }
  }
  if (done) {
    done(failed_ ? Result<void>(error_) : Result<void>());
  }
}

DiskWriter::DiskWriter(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<File> file,
                       DiskWriterConfig config)
    : core_(std::make_shared<Core>(loop, pool, std::move(file), config)) {
  loop.assertInLoopThread();
}

DiskWriter::~DiskWriter() {
  core_->close();
}

void DiskWriter::setOnWritten(WrittenCallback cb) {
  core_->onWritten.set(std::move(cb));
}

void DiskWriter::setOnError(ErrorCallback cb) {
  core_->onError.set(std::move(cb));
}

void DiskWriter::setOnDrained(DrainedCallback cb) {
  core_->onDrained.set(std::move(cb));
}

bool DiskWriter::write(std::uint64_t offset, WriteBlock block) {
  return core_->write(offset, std::move(block));
}

void DiskWriter::flush(DoneCallback done) {
  core_->addWaiter(std::move(done), false);
}

void DiskWriter::sync(DoneCallback done) {
  core_->addWaiter(std::move(done), true);
}

bool DiskWriter::congested() const {
  return core_->congested();
}

bool DiskWriter::failed() const {
  return core_->failed();
}

std::uint64_t DiskWriter::pendingBytes() const {
  return core_->pendingBytes();
}

unsigned DiskWriter::jobsInFlight() const {
  return core_->jobsInFlight();
}

util::Buffer DiskWriter::takeSpareBuffer(std::size_t capacity) {
  return core_->takeSpareBuffer(capacity);
}

}  // namespace tributary::storage
