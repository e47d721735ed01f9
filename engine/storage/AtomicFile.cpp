#include "engine/storage/AtomicFile.h"

#include <filesystem>

namespace tributary::storage {

Result<void> replaceFileAtomically(FileIo& io, const std::string& path,
                                   std::span<const std::byte> content) {
  const std::string temp = path + ".tmp";
  {
    auto file = io.open(temp, FileIo::OpenMode::WriteTruncate);
    if (!file) {
      return file.error();
    }
    if (auto written = file.value()->writeAt(0, content); !written) {
      (void)io.remove(temp);
      return written.error();
    }
    if (auto synced = file.value()->sync(); !synced) {
      (void)io.remove(temp);
      return synced.error();
    }
  }
  if (auto renamed = io.rename(temp, path); !renamed) {
    (void)io.remove(temp);
    return renamed.error();
  }
  return io.syncDirectory(std::filesystem::path(path).parent_path().string());
}

Result<std::string> readSmallFile(FileIo& io, const std::string& path, std::size_t maxBytes) {
  auto file = io.open(path, FileIo::OpenMode::Read);
  if (!file) {
    return file.error();
  }
  auto size = file.value()->size();
  if (!size) {
    return size.error();
  }
  if (size.value() > maxBytes) {
    return Error{ErrorCode::IoError,
                 path + " is larger than " + std::to_string(maxBytes) + " bytes"};
  }
  std::string content(static_cast<std::size_t>(size.value()), '\0');
  auto read = file.value()->readAt(
      0, std::as_writable_bytes(std::span<char>(content.data(), content.size())));
  if (!read) {
    return read.error();
  }
  content.resize(read.value());
  return content;
}

}  // namespace tributary::storage
