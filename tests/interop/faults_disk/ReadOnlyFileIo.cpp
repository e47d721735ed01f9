#include "ReadOnlyFileIo.h"

#include <cerrno>
#include <optional>
#include <utility>

namespace tributary::test {
namespace {

using storage::errorFromErrno;

class ReadOnlyFile final : public storage::File {
 public:
  ReadOnlyFile(std::unique_ptr<storage::File> inner, std::string path,
               std::shared_ptr<std::atomic<bool>> readOnly,
               std::shared_ptr<std::atomic<int>> refusals)
      : inner_(std::move(inner)),
        path_(std::move(path)),
        readOnly_(std::move(readOnly)),
        refusals_(std::move(refusals)) {}

  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    if (readOnly_->load()) {
      refusals_->fetch_add(1);
      return errorFromErrno(EROFS, "cannot write " + path_);
    }
    return inner_->writeAt(offset, data);
  }
  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    return inner_->readAt(offset, data);
  }
  Result<void> sync() override { return inner_->sync(); }
  Result<void> resize(std::uint64_t size, bool allocate) override {
    if (readOnly_->load()) {
      refusals_->fetch_add(1);
      return errorFromErrno(EROFS, "cannot resize " + path_);
    }
    return inner_->resize(size, allocate);
  }
  Result<std::uint64_t> size() override { return inner_->size(); }
  void bypassCacheForAlignedWrites() override { inner_->bypassCacheForAlignedWrites(); }

 private:
  std::unique_ptr<storage::File> inner_;
  std::string path_;
  std::shared_ptr<std::atomic<bool>> readOnly_;
  std::shared_ptr<std::atomic<int>> refusals_;
};

}  // namespace

ReadOnlyFileIo::ReadOnlyFileIo() : inner_(storage::systemFileIo()) {}

std::optional<Error> ReadOnlyFileIo::refuse(const std::string& what) {
  if (!readOnly_->load()) {
    return std::nullopt;
  }
  refusals_->fetch_add(1);
  return errorFromErrno(EROFS, what);
}

Result<std::unique_ptr<storage::File>> ReadOnlyFileIo::open(const std::string& path,
                                                            OpenMode mode) {
  if (mode != OpenMode::Read) {
    if (auto refused = refuse("cannot open " + path)) {
      return *refused;
    }
  }
  auto file = inner_->open(path, mode);
  if (!file) {
    return file.error();
  }
  return std::unique_ptr<storage::File>(
      std::make_unique<ReadOnlyFile>(std::move(file.value()), path, readOnly_, refusals_));
}

Result<void> ReadOnlyFileIo::rename(const std::string& from, const std::string& to) {
  if (auto refused = refuse("cannot rename " + from)) {
    return *refused;
  }
  return inner_->rename(from, to);
}

Result<void> ReadOnlyFileIo::remove(const std::string& path) {
  if (auto refused = refuse("cannot remove " + path)) {
    return *refused;
  }
  return inner_->remove(path);
}

Result<void> ReadOnlyFileIo::makeDirectories(const std::string& path) {
  if (auto refused = refuse("cannot create " + path)) {
    return *refused;
  }
  return inner_->makeDirectories(path);
}

}  // namespace tributary::test
