// FileIo on POSIX (Linux, macOS). Windows gets its own file beside this one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "engine/storage/FileIo.h"

namespace tributary::storage {

Error errorFromErrno(int err, const std::string& what) {
  ErrorCode code = ErrorCode::IoError;
  switch (err) {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      code = ErrorCode::DiskFull;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = ErrorCode::PermissionDenied;
      break;
    case ENOENT:
    case ENOTDIR:
      code = ErrorCode::FileMissing;
      break;
    default:
      break;
  }
  return Error{code, what + ": " + std::strerror(err)};
}

namespace {

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return errorFromErrno(errno, "write " + path_);
      }
      data = data.subspan(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
    return {};
  }

  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n =
          ::pread(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return errorFromErrno(errno, "read " + path_);
      }
      if (n == 0) {
        break;  // end of file
      }
      done += static_cast<std::size_t>(n);
    }
    return done;
  }

  Result<void> sync() override {
#if defined(__APPLE__)
    const int rc = ::fcntl(fd_, F_FULLFSYNC);
#else
    const int rc = ::fdatasync(fd_);
#endif
    if (rc != 0) {
      return errorFromErrno(errno, "sync " + path_);
    }
    return {};
  }

  Result<void> resize(std::uint64_t size, bool allocate) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      return errorFromErrno(errno, "resize " + path_);
    }
#if defined(__linux__)
    if (allocate && size > 0) {
      // posix_fallocate returns the error instead of setting errno. File systems
      // without it (EOPNOTSUPP) keep a sparse file, which is still correct.
      const int rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(size));
      if (rc != 0 && rc != EOPNOTSUPP && rc != ENOSYS && rc != EINVAL) {
        return errorFromErrno(rc, "allocate " + path_);
      }
    }
#endif
    return {};
  }

  Result<std::uint64_t> size() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      return errorFromErrno(errno, "stat " + path_);
    }
    return static_cast<std::uint64_t>(st.st_size);
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFileIo final : public FileIo {
 public:
  Result<std::unique_ptr<File>> open(const std::string& path, OpenMode mode) override {
    int flags = O_CLOEXEC;
    switch (mode) {
      case OpenMode::Read:
        flags |= O_RDONLY;
        break;
      case OpenMode::ReadWrite:
        flags |= O_RDWR | O_CREAT;
        break;
      case OpenMode::WriteTruncate:
        flags |= O_RDWR | O_CREAT | O_TRUNC;
        break;
    }
    int fd = -1;
    do {
      fd = ::open(path.c_str(), flags, 0644);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      return errorFromErrno(errno, "open " + path);
    }
    return std::unique_ptr<File>(std::make_unique<PosixFile>(fd, path));
  }

  Result<FileStat> stat(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      return errorFromErrno(errno, "stat " + path);
    }
    FileStat out;
    out.size = static_cast<std::uint64_t>(st.st_size);
#if defined(__APPLE__)
    out.modifiedUnixNs = st.st_mtimespec.tv_sec * 1000000000LL + st.st_mtimespec.tv_nsec;
#else
    out.modifiedUnixNs = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
#endif
    return out;
  }

  Result<void> rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return errorFromErrno(errno, "rename " + from);
    }
    return {};
  }

  Result<void> remove(const std::string& path) override {
    // ::remove, not ::unlink: it also takes an empty folder.
    if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
      return errorFromErrno(errno, "remove " + path);
    }
    return {};
  }

  Result<void> makeDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
      return errorFromErrno(ec.value(), "create folder " + path);
    }
    return {};
  }

  Result<void> syncDirectory(const std::string& dir) override {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return errorFromErrno(errno, "open folder " + dir);
    }
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    // Some file systems cannot fsync a folder (EINVAL); the rename is then as
    // durable as that file system makes it.
    if (rc != 0 && err != EINVAL) {
      return errorFromErrno(err, "sync folder " + dir);
    }
    return {};
  }
};

}  // namespace

std::shared_ptr<FileIo> systemFileIo() {
  static const std::shared_ptr<FileIo> io = std::make_shared<PosixFileIo>();
  return io;
}

}  // namespace tributary::storage
