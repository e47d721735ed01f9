// Internal, for tests: a FileIo that forwards to another one and fails on cue —
// ENOSPC from the N-th write on, EIO on reads — so the layers above can be
// tested against a full disk or a dying drive without one.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>

#include "engine/storage/FileIo.h"

namespace tributary::storage {

class FaultInjectingFileIo final : public FileIo {
 public:
  explicit FaultInjectingFileIo(std::shared_ptr<FileIo> inner);

  // From now on, `okWrites` more writes succeed; later ones fail with ENOSPC
  // (until cleared).
  void failWritesAfter(std::uint64_t okWrites);
  void failReads(bool fail);
  void clearFaults();
  std::uint64_t writesSeen() const { return writes_->load(); }
  std::uint64_t bytesReadSeen() const { return counters_->bytesRead.load(); }

  Result<std::unique_ptr<File>> open(const std::string& path, OpenMode mode) override;
  Result<FileStat> stat(const std::string& path) override { return inner_->stat(path); }
  Result<void> rename(const std::string& from, const std::string& to) override {
    return inner_->rename(from, to);
  }
  Result<void> remove(const std::string& path) override { return inner_->remove(path); }
  Result<void> makeDirectories(const std::string& path) override {
    return inner_->makeDirectories(path);
  }
  Result<void> syncDirectory(const std::string& dir) override { return inner_->syncDirectory(dir); }

  struct Faults {
    std::atomic<std::uint64_t> okWrites{std::numeric_limits<std::uint64_t>::max()};
    std::atomic<bool> failReads{false};
  };
  struct Counters {
    std::atomic<std::uint64_t> bytesRead{0};
  };

 private:
  std::shared_ptr<FileIo> inner_;
  // Shared with the files it opened, which may outlive a reconfiguration.
  std::shared_ptr<Faults> faults_ = std::make_shared<Faults>();
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
  std::shared_ptr<std::atomic<std::uint64_t>> writes_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace tributary::storage
