#include "engine/storage/FaultInjectingFileIo.h"

#include <cerrno>
#include <utility>

namespace tributary::storage {
namespace {

class FaultInjectingFile final : public File {
 public:
  FaultInjectingFile(std::unique_ptr<File> inner,
                     std::shared_ptr<FaultInjectingFileIo::Faults> faults,
                     std::shared_ptr<std::atomic<std::uint64_t>> writes,
                     std::shared_ptr<FaultInjectingFileIo::Counters> counters)
      : inner_(std::move(inner)),
        faults_(std::move(faults)),
        writes_(std::move(writes)),
        counters_(std::move(counters)) {}

  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    const std::uint64_t index = writes_->fetch_add(1);
    if (index >= faults_->okWrites.load()) {
      return errorFromErrno(ENOSPC, "write (injected)");
    }
    return inner_->writeAt(offset, data);
  }
  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    if (faults_->failReads.load()) {
      return errorFromErrno(EIO, "read (injected)");
    }
    auto got = inner_->readAt(offset, data);
    if (got) {
      counters_->bytesRead.fetch_add(got.value());
    }
    return got;
  }
  Result<void> sync() override { return inner_->sync(); }
  Result<void> resize(std::uint64_t size, bool allocate) override {
    return inner_->resize(size, allocate);
  }
  Result<std::uint64_t> size() override { return inner_->size(); }
  void bypassCacheForAlignedWrites() override { inner_->bypassCacheForAlignedWrites(); }
  std::optional<bool> hasDataIn(std::uint64_t offset, std::uint64_t length) override {
    if (faults_->failReads.load()) {
      return std::nullopt;  // so the read that follows fails as injected
    }
    return inner_->hasDataIn(offset, length);
  }

 private:
  std::unique_ptr<File> inner_;
  std::shared_ptr<FaultInjectingFileIo::Faults> faults_;
  std::shared_ptr<std::atomic<std::uint64_t>> writes_;
  std::shared_ptr<FaultInjectingFileIo::Counters> counters_;
};

}  // namespace

FaultInjectingFileIo::FaultInjectingFileIo(std::shared_ptr<FileIo> inner)
    : inner_(std::move(inner)) {}

void FaultInjectingFileIo::failWritesAfter(std::uint64_t okWrites) {
  faults_->okWrites.store(writes_->load() + okWrites);
}

void FaultInjectingFileIo::failReads(bool fail) {
  faults_->failReads.store(fail);
}

void FaultInjectingFileIo::clearFaults() {
  faults_->okWrites.store(std::numeric_limits<std::uint64_t>::max());
  faults_->failReads.store(false);
}

Result<std::unique_ptr<File>> FaultInjectingFileIo::open(const std::string& path, OpenMode mode) {
  auto file = inner_->open(path, mode);
  if (!file) {
    return file.error();
  }
  return std::unique_ptr<File>(
      std::make_unique<FaultInjectingFile>(std::move(file.value()), faults_, writes_, counters_));
}

}  // namespace tributary::storage
