#include "engine/http/ResumeSaver.h"

#include <optional>
#include <utility>
#include <vector>

#include "engine/storage/JobSubmitter.h"
#include "engine/util/Log.h"

namespace tributary::http {

// Shared with the sync jobs' completions through weak_ptrs.
class ResumeSaver::Core : public std::enable_shared_from_this<Core> {
 public:
  Core(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<storage::FileIo> io,
       std::string path, std::shared_ptr<storage::File> partFile)
      : jobs_(loop, pool),
        writer_(loop, pool, std::move(io), std::move(path)),
        partFile_(std::move(partFile)) {}

  void save(std::string content, DoneCallback done) {
    waiting_ = std::move(content);
    if (done) {
      waitingDone_.push_back(std::move(done));
    }
    if (!syncing_) {
      startSync();
    }
  }

  void remove(DoneCallback done) {
    ++generation_;  // a sync under way finds its state cancelled
    waiting_.reset();
    waitingDone_.clear();
    writer_.remove(std::move(done));
  }

  bool idle() const { return !syncing_ && !waiting_ && writer_.idle(); }
  const std::string& path() const { return writer_.path(); }

 private:
  using Callbacks = std::vector<DoneCallback>;

  void startSync() {
    syncing_ = true;
    std::string content = std::move(*waiting_);
    waiting_.reset();
    Callbacks dones = std::move(waitingDone_);
    waitingDone_.clear();
    jobs_.submit([file = partFile_] { return file->sync(); },
                 [weak = weak_from_this(), generation = generation_, content = std::move(content),
                  dones = std::move(dones)](Result<void> synced) mutable {
                   if (auto self = weak.lock()) {
                     self->afterSync(generation, std::move(synced), std::move(content),
                                     std::move(dones));
                   }
                 });
  }

  void afterSync(std::uint64_t generation, Result<void> synced, std::string content,
                 Callbacks dones) {
    syncing_ = false;
    if (generation == generation_) {
      if (synced) {
        writer_.save(std::move(content), [dones = std::move(dones)](Result<void> saved) mutable {
          runAll(dones, saved);
        });
      } else {
        TLOG(Warning, "http") << writer_.path() << ": not saved, the download did not sync: "
                              << synced.error().detail;
        runAll(dones, synced);
      }
    }
    if (waiting_) {
      startSync();
    }
  }

  static void runAll(Callbacks& dones, const Result<void>& result) {
    for (DoneCallback& done : dones) {
      if (done) {
        done(result);
      }
    }
  }

  storage::JobSubmitter jobs_;
  storage::StateFileWriter writer_;
  std::shared_ptr<storage::File> partFile_;
  bool syncing_ = false;
  std::optional<std::string> waiting_;
  Callbacks waitingDone_;
  std::uint64_t generation_ = 0;
};

ResumeSaver::ResumeSaver(loop::EventLoop& loop, loop::WorkerPool& pool,
                         std::shared_ptr<storage::FileIo> io, std::string path,
                         std::shared_ptr<storage::File> partFile)
    : core_(
          std::make_shared<Core>(loop, pool, std::move(io), std::move(path), std::move(partFile))) {
  loop.assertInLoopThread();
}

ResumeSaver::~ResumeSaver() = default;

Result<void> ResumeSaver::save(const ResumeState& state, DoneCallback done) {
  auto content = encodeResume(state);
  if (!content) {
    return content.error();
  }
  core_->save(std::move(content.value()), std::move(done));
  return {};
}

void ResumeSaver::remove(DoneCallback done) {
  core_->remove(std::move(done));
}

bool ResumeSaver::idle() const {
  return core_->idle();
}

const std::string& ResumeSaver::path() const {
  return core_->path();
}

}  // namespace tributary::http
