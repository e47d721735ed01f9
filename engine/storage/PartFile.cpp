#include "engine/storage/PartFile.h"

#include <deque>
#include <filesystem>
#include <utility>

#include "engine/storage/CollisionName.h"
#include "engine/storage/JobSubmitter.h"

namespace tributary::storage {
namespace {

bool isPlainName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos;
}

// The blocking parts, run on a worker thread.

Result<PartFile::Opened> openPart(FileIo& io, const std::string& folder, const std::string& name,
                                  const std::string& part, PartFile::Mode mode,
                                  std::optional<std::uint64_t> totalSize) {
  if (!isPlainName(name)) {
    return Error{ErrorCode::InvalidArgument, "not a plain file name: " + name};
  }
  if (auto made = io.makeDirectories(folder); !made) {
    return made.error();
  }
  PartFile::Opened opened;
  opened.existed = io.stat(part).ok();
  auto file = io.open(part, mode == PartFile::Mode::Restart ? FileIo::OpenMode::WriteTruncate
                                                            : FileIo::OpenMode::ReadWrite);
  if (!file) {
    return file.error();
  }
  auto size = file.value()->size();
  if (!size) {
    return size.error();
  }
  opened.sizeOnDisk = size.value();
  if (totalSize) {
    if (auto resized = file.value()->resize(*totalSize, true); !resized) {
      return resized.error();
    }
  }
  opened.file = std::move(file.value());
  return opened;
}

Result<std::string> renameToFreeName(FileIo& io, const std::string& folder, const std::string& name,
                                     const std::string& part) {
  for (unsigned n = 0; n <= PartFile::kMaxCollisions; ++n) {
    const std::string candidate = joinPath(folder, collisionName(name, n));
    auto existing = io.stat(candidate);
    if (existing) {
      continue;  // taken: never overwrite a file that is not ours
    }
    if (existing.error().code != ErrorCode::FileMissing) {
      return existing.error();
    }
    if (auto renamed = io.rename(part, candidate); !renamed) {
      return renamed.error();
    }
    // The content is in place whatever this says; a folder that cannot be
    // synced only makes the new name less durable.
    (void)io.syncDirectory(folder);
    return candidate;
  }
  return Error{ErrorCode::IoError, "no free name for " + joinPath(folder, name)};
}

}  // namespace

std::string joinPath(const std::string& folder, std::string_view name) {
  return (std::filesystem::path(folder) / std::filesystem::path(name)).string();
}

// Shared with completions through weak_ptrs; runs one operation at a time.
class PartFile::State : public std::enable_shared_from_this<State> {
 public:
  State(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<FileIo> io,
        std::string folder, std::string name)
      : loop(loop),
        io(std::move(io)),
        folder(std::move(folder)),
        name(std::move(name)),
        part(joinPath(this->folder, this->name + std::string(kPartSuffix))),
        jobs(loop, pool) {}

  // Starts `op` once the operations before it completed. `op` submits one job
  // whose completion calls complete().
  void enqueue(util::UniqueFunction<void()> op) {
    ops.push_back(std::move(op));
    if (!busy) {
      runNext();
    }
  }

  template <class Done, class Value>
  void complete(Done& done, Value&& value) {
    busy = false;
    if (closed) {
      return;
    }
    if (done) {
      done(std::forward<Value>(value));
      if (closed) {
        return;
      }
    }
    if (!busy) {
      runNext();
    }
  }

  loop::EventLoop& loop;
  const std::shared_ptr<FileIo> io;
  const std::string folder;
  const std::string name;
  const std::string part;
  JobSubmitter jobs;
  std::shared_ptr<File> file;
  std::string finalPath;  // set by a successful finish()
  bool closed = false;    // the PartFile is gone

 private:
  void runNext() {
    if (ops.empty() || closed) {
      return;
    }
    busy = true;
    util::UniqueFunction<void()> op = std::move(ops.front());
    ops.pop_front();
    op();
  }

  std::deque<util::UniqueFunction<void()>> ops;
  bool busy = false;
};

PartFile::PartFile(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<FileIo> io,
                   std::string folder, std::string fileName)
    : state_(std::make_shared<State>(loop, pool, std::move(io), std::move(folder),
                                     std::move(fileName))) {
  loop.assertInLoopThread();
}

PartFile::~PartFile() {
  state_->closed = true;
}

void PartFile::open(Mode mode, std::optional<std::uint64_t> totalSize, OpenCallback done) {
  state_->loop.assertInLoopThread();
  // The op runs on this loop, called by the State it belongs to: a raw pointer is safe.
  state_->enqueue([s = state_.get(), mode, totalSize, done = std::move(done)]() mutable {
    s->jobs.submit(
        [io = s->io, folder = s->folder, name = s->name, part = s->part, mode, totalSize] {
          return openPart(*io, folder, name, part, mode, totalSize);
        },
        [weak = s->weak_from_this(), done = std::move(done)](Result<Opened> opened) mutable {
          if (auto self = weak.lock()) {
            if (opened) {
              self->file = opened.value().file;
            }
            self->complete(done, std::move(opened));
          }
        });
  });
}

void PartFile::close() {
  state_->loop.assertInLoopThread();
  state_->file.reset();
}

void PartFile::finish(FinishCallback done) {
  state_->loop.assertInLoopThread();
  state_->enqueue([s = state_.get(), done = std::move(done)]() mutable {
    if (!s->finalPath.empty()) {  // finished already; posted, so done never runs inside finish()
      s->loop.post([weak = s->weak_from_this(), done = std::move(done)]() mutable {
        if (auto self = weak.lock()) {
          self->complete(done, Result<std::string>(self->finalPath));
        }
      });
      return;
    }
    s->jobs.submit(
        [io = s->io, folder = s->folder, name = s->name, part = s->part] {
          return renameToFreeName(*io, folder, name, part);
        },
        [weak = s->weak_from_this(), done = std::move(done)](Result<std::string> path) mutable {
          if (auto self = weak.lock()) {
            if (path) {
              self->finalPath = path.value();
            }
            self->complete(done, std::move(path));
          }
        });
  });
}

void PartFile::removeFiles(std::vector<std::string> alsoRemove, DoneCallback done) {
  state_->loop.assertInLoopThread();
  state_->file.reset();  // so a platform that cannot unlink an open file can
  state_->enqueue(
      [s = state_.get(), alsoRemove = std::move(alsoRemove), done = std::move(done)]() mutable {
        std::vector<std::string> paths = std::move(alsoRemove);
        paths.push_back(s->part);
        if (!s->finalPath.empty()) {
          paths.push_back(s->finalPath);
        }
        s->jobs.submit(
            [io = s->io, paths = std::move(paths)]() -> Result<void> {
              Result<void> first;
              for (const std::string& path : paths) {
                if (auto removed = io->remove(path); !removed && first) {
                  first = removed;  // keep going: delete as much as we can
                }
              }
              return first;
            },
            [weak = s->weak_from_this(), done = std::move(done)](Result<void> removed) mutable {
              if (auto self = weak.lock()) {
                if (removed) {
                  self->finalPath.clear();
                }
                self->complete(done, std::move(removed));
              }
            });
      });
}

const std::string& PartFile::folder() const {
  return state_->folder;
}

const std::string& PartFile::fileName() const {
  return state_->name;
}

std::string PartFile::partPath() const {
  return state_->part;
}

std::string PartFile::contentPath() const {
  return state_->finalPath.empty() ? state_->part : state_->finalPath;
}

bool PartFile::finished() const {
  return !state_->finalPath.empty();
}

std::shared_ptr<File> PartFile::file() const {
  return state_->file;
}

}  // namespace tributary::storage
