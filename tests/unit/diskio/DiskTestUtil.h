// Helpers for the disk I/O tests: a real loop and worker pool, code run on the
// loop thread with a deadline, deterministic content, and files whose writes
// can be held at a gate (a slow disk on demand).
#pragma once

#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "unit/loop/LoopTestUtil.h"

namespace tributary::diskio::test {

// Running code on a loop thread with a deadline: the loop tests' helpers.
using loop::test::kDeadline;
using loop::test::runOn;
using loop::test::waitReady;

// Qt Test's macros belong to the test thread; code on the loop thread records
// its failed expectations here, and the test checks them afterwards with
// QVERIFY2(checks.ok(), checks.summary()).
class LoopChecks {
 public:
  void expect(bool ok, const char* what, int line) {
    if (!ok) {
      std::lock_guard<std::mutex> lock(mutex_);
      failures_ += std::string(what) + " (line " + std::to_string(line) + ")\n";
    }
  }
  bool ok() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_.empty();
  }
  const char* summary() {
    std::lock_guard<std::mutex> lock(mutex_);
    copy_ = failures_;
    return copy_.c_str();
  }

 private:
  std::mutex mutex_;
  std::string failures_;
  std::string copy_;
};

#define LOOP_EXPECT(checks, cond) (checks).expect(static_cast<bool>(cond), #cond, __LINE__)

// A loop thread and a worker pool, started; stop() checks that every handle was closed.
struct Harness {
  explicit Harness(unsigned threads = 2, std::size_t maxQueued = 1024) : pool(threads, maxQueued) {
    loop.start();
  }
  ~Harness() { stop(); }
  // The pool first: running jobs finish, their completions land on the live loop.
  int stop() {
    pool.stop();
    return loop.stop();
  }

  loop::EventLoop loop{"diskio-test"};
  loop::WorkerPool pool;
};

// Never zero, so a byte that was never written (0) is told from a written one.
inline std::byte patternByte(std::uint64_t offset, std::uint32_t seed = 1) {
  std::uint64_t x = (offset + 1) * 0x9E3779B97F4A7C15ULL ^ seed;
  x ^= x >> 29;
  return static_cast<std::byte>((x % 255) + 1);
}

inline std::vector<std::byte> pattern(std::uint64_t offset, std::size_t size,
                                      std::uint32_t seed = 1) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = patternByte(offset + i, seed);
  }
  return out;
}

inline std::vector<std::byte> readAll(const std::string& path) {
  std::vector<std::byte> out;
  auto file = storage::systemFileIo()->open(path, storage::FileIo::OpenMode::Read);
  if (!file) {
    return out;
  }
  out.resize(static_cast<std::size_t>(file.value()->size().value()));
  auto n = file.value()->readAt(0, out);
  out.resize(n ? n.value() : 0);
  return out;
}

// Holds every write until open() (bounded by the deadline, so a broken test cannot hang).
class Gate {
 public:
  void open() {
    if (!opened_.exchange(true)) {
      promise_.set_value();
    }
  }
  void wait() const { future_.wait_for(kDeadline); }
  ~Gate() { open(); }

 private:
  std::atomic<bool> opened_{false};
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
};

// A File whose writes wait at a gate; the test can wait until N writers are held there.
class GatedFile final : public storage::File {
 public:
  GatedFile(std::unique_ptr<storage::File> inner, std::shared_ptr<Gate> gate)
      : inner_(std::move(inner)), gate_(std::move(gate)) {}

  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++arrived_;
    }
    arrivedCv_.notify_all();
    gate_->wait();
    return inner_->writeAt(offset, data);
  }
  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    return inner_->readAt(offset, data);
  }
  Result<void> sync() override { return inner_->sync(); }
  Result<void> resize(std::uint64_t size, bool allocate) override {
    return inner_->resize(size, allocate);
  }
  Result<std::uint64_t> size() override { return inner_->size(); }

  // True once `n` writes have reached the gate (false after the deadline).
  bool waitForArrivals(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return arrivedCv_.wait_for(lock, kDeadline, [&] { return arrived_ >= n; });
  }

 private:
  std::unique_ptr<storage::File> inner_;
  std::shared_ptr<Gate> gate_;
  std::mutex mutex_;
  std::condition_variable arrivedCv_;
  int arrived_ = 0;
};

inline std::shared_ptr<storage::File> openFile(const std::string& path,
                                               std::shared_ptr<storage::FileIo> io = nullptr) {
  if (!io) {
    io = storage::systemFileIo();
  }
  auto file = io->open(path, storage::FileIo::OpenMode::ReadWrite);
  return file ? std::shared_ptr<storage::File>(std::move(file.value())) : nullptr;
}

}  // namespace tributary::diskio::test
