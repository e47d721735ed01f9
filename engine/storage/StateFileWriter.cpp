#include "engine/storage/StateFileWriter.h"

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "engine/storage/AtomicFile.h"
#include "engine/storage/JobSubmitter.h"

namespace tributary::storage {
namespace {

// The write that waits for the one running: the latest request wins.
struct PendingOp {
  bool remove = false;
  std::string content;
  std::vector<StateFileWriter::DoneCallback> dones;
};

}  // namespace

class StateFileWriter::State : public std::enable_shared_from_this<State> {
 public:
  State(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<FileIo> io, std::string path)
      : loop(loop), io(std::move(io)), path(std::move(path)), jobs(loop, pool) {}

  void request(bool remove, std::string content, DoneCallback done) {
    loop.assertInLoopThread();
    if (!waiting) {
      waiting.emplace();
    }
    waiting->remove = remove;
    waiting->content = std::move(content);
    if (done) {
      waiting->dones.push_back(std::move(done));
    }
    if (!running) {
      // Started from a posted closure: a done must never run inside save().
      running = true;
      loop.post([weak = weak_from_this()] {
        if (auto self = weak.lock()) {
          self->startNext();
        }
      });
    }
  }

  loop::EventLoop& loop;
  const std::shared_ptr<FileIo> io;
  const std::string path;
  JobSubmitter jobs;
  std::optional<PendingOp> waiting;
  bool running = false;  // a write is in the pool, or about to be started
  bool closed = false;

 private:
  void startNext() {
    if (closed || !waiting) {
      running = false;
      return;
    }
    running = true;
    PendingOp op = std::move(*waiting);
    waiting.reset();
    std::vector<DoneCallback> dones = std::move(op.dones);
    jobs.submit(
        [io = io, path = path, remove = op.remove, content = std::move(op.content)] {
          if (remove) {
            (void)io->remove(path + ".tmp");  // left by a crash between write and rename
            return io->remove(path);
          }
          return replaceFileAtomically(
              *io, path, std::as_bytes(std::span<const char>(content.data(), content.size())));
        },
        [weak = weak_from_this(), dones = std::move(dones)](Result<void> result) mutable {
          if (auto self = weak.lock()) {
            self->finished(result, dones);
          }
        });
  }

  void finished(const Result<void>& result, std::vector<DoneCallback>& dones) {
    for (DoneCallback& done : dones) {
      if (closed) {
        return;
      }
      done(result);
    }
    if (!closed) {
      startNext();
    }
  }
};

StateFileWriter::StateFileWriter(loop::EventLoop& loop, loop::WorkerPool& pool,
                                 std::shared_ptr<FileIo> io, std::string path)
    : state_(std::make_shared<State>(loop, pool, std::move(io), std::move(path))) {
  loop.assertInLoopThread();
}

StateFileWriter::~StateFileWriter() {
  state_->closed = true;
}

void StateFileWriter::save(std::string content, DoneCallback done) {
  state_->request(false, std::move(content), std::move(done));
}

void StateFileWriter::remove(DoneCallback done) {
  state_->request(true, {}, std::move(done));
}

bool StateFileWriter::idle() const {
  return !state_->running && !state_->waiting;
}

const std::string& StateFileWriter::path() const {
  return state_->path;
}

}  // namespace tributary::storage
