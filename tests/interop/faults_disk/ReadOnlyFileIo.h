// For tests: the real file system, until setReadOnly(true) makes it behave
// like one the kernel turned read-only under us (ext4's errors=remount-ro, a
// USB stick's write-protect switch): every write, even to a file already
// open, every open for writing, rename, remove and mkdir fail with EROFS;
// reads still work. A real remount cannot do that while files are open for
// writing (the kernel answers EBUSY).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "engine/storage/FileIo.h"

namespace tributary::test {

class ReadOnlyFileIo final : public storage::FileIo {
 public:
  ReadOnlyFileIo();

  void setReadOnly(bool readOnly) { readOnly_->store(readOnly); }
  // Calls refused with EROFS so far.
  int refusals() const { return refusals_->load(); }

  Result<std::unique_ptr<storage::File>> open(const std::string& path, OpenMode mode) override;
  Result<storage::FileStat> stat(const std::string& path) override { return inner_->stat(path); }
  Result<void> rename(const std::string& from, const std::string& to) override;
  Result<void> remove(const std::string& path) override;
  Result<void> makeDirectories(const std::string& path) override;
  Result<void> syncDirectory(const std::string& dir) override { return inner_->syncDirectory(dir); }

 private:
  // Empty while writable; else the refusal, counted.
  std::optional<Error> refuse(const std::string& what);

  std::shared_ptr<storage::FileIo> inner_;
  // Shared with the files it opened, which may outlive it.
  std::shared_ptr<std::atomic<bool>> readOnly_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> refusals_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace tributary::test
