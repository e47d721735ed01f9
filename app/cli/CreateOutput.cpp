#include "app/cli/CreateOutput.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

namespace tributary::cli {
namespace {

namespace fs = std::filesystem;

Error errnoError(int err, const std::string& what) {
  ErrorCode code = ErrorCode::IoError;
  if (err == EACCES || err == EPERM || err == EROFS) {
    code = ErrorCode::PermissionDenied;
  } else if (err == ENOSPC) {
    code = ErrorCode::DiskFull;
  } else if (err == ENOENT || err == ENOTDIR) {
    code = ErrorCode::FileMissing;
  }
  return Error{code, what + ": " + std::strerror(err)};
}

// A hidden name beside the target that no one else picks: the random part
// keeps two runs writing the same -o from sharing a temporary.
fs::path temporaryBeside(const fs::path& output) {
  std::random_device random;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%08x%08x.tmp", random(), random());
  return output.parent_path() / ("." + output.filename().string() + suffix);
}

// Opens a new file (never an existing one: "x" mode) for writing; errors name `shown`.
Result<std::FILE*> createNew(const fs::path& path, const std::string& shown) {
  std::FILE* file = std::fopen(path.c_str(), "wbx");
  if (file == nullptr) {
    return errnoError(errno, "cannot write " + shown);
  }
  return file;
}

}  // namespace

Result<void> checkWritable(const std::string& output) {
  const fs::path path(output);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Error{ErrorCode::InvalidArgument, output + " is a folder; -o names the .torrent file"};
  }
  const fs::path probe = temporaryBeside(fs::absolute(path, ec));
  auto file = createNew(probe, output);
  if (!file) {
    return file.error();
  }
  std::fclose(file.value());
  fs::remove(probe, ec);
  return {};
}

Result<void> checkOutsideContent(const std::string& output, const std::string& path) {
  std::error_code ec;
  const fs::path folder = fs::canonical(path, ec);
  if (ec || !fs::is_directory(folder, ec)) {
    return {};  // a file, or missing: createTorrent() says what is wrong
  }
  const fs::path target = fs::weakly_canonical(fs::absolute(output, ec), ec);
  const auto [f, t] = std::mismatch(folder.begin(), folder.end(), target.begin(), target.end());
  if (f == folder.end()) {
    return Error{ErrorCode::InvalidArgument,
                 output + " is inside " + path + "; write the .torrent elsewhere"};
  }
  return {};
}

Result<void> writeAtomically(const std::string& output, std::string_view content) {
  std::error_code ec;
  const fs::path target = fs::absolute(fs::path(output), ec);
  const fs::path temporary = temporaryBeside(target);
  auto opened = createNew(temporary, output);
  if (!opened) {
    return opened.error();
  }
  std::FILE* file = opened.value();
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size() &&
                       std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const int err = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    fs::remove(temporary, ec);
    return errnoError(written ? errno : err, "cannot write " + output);
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return errnoError(ec.value(), "cannot replace " + output);
  }
  return {};
}

}  // namespace tributary::cli
