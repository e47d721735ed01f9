// FileIo on POSIX (Linux, macOS). Windows gets its own file beside this one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
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

// What O_DIRECT asks of memory, file offset and length: the logical block
// size of the device, at most 4 KiB on the disks we meet (512 on many).
constexpr std::size_t kDirectAlign = 4096;

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override {
    ::close(fd_);
    if (directFd_ >= 0) {
      ::close(directFd_);
    }
  }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    if (directUsable_.load(std::memory_order_relaxed)) {
      // Buffered head up to the first aligned file offset, the aligned middle
      // direct, the buffered tail: possible only when the memory is aligned
      // the same way as the file offset.
      const std::size_t head = (kDirectAlign - offset % kDirectAlign) % kDirectAlign;
      const auto address = reinterpret_cast<std::uintptr_t>(data.data());
      if (data.size() >= head + kDirectAlign && (address + head) % kDirectAlign == 0) {
        const std::size_t middle = (data.size() - head) / kDirectAlign * kDirectAlign;
        if (auto written = writeAll(fd_, offset, data.first(head)); !written) {
          return written;
        }
        if (auto written = writeDirect(offset + head, data.subspan(head, middle)); !written) {
          return written;
        }
        return writeAll(fd_, offset + head + middle, data.subspan(head + middle));
      }
    }
    return writeAll(fd_, offset, data);
  }

  void bypassCacheForAlignedWrites() override {
    if (directFd_ >= 0) {
      return;
    }
    directFd_ = openUncached();
    directUsable_.store(directFd_ >= 0, std::memory_order_relaxed);
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

  std::optional<bool> hasDataIn(std::uint64_t offset, std::uint64_t length) override {
#ifdef SEEK_DATA
    if (length == 0) {
      return false;
    }
    // File systems without holes answer with `offset` itself: "data".
    const off_t next = ::lseek(fd_, static_cast<off_t>(offset), SEEK_DATA);
    if (next < 0) {
      // ENXIO: no data at or after `offset` (holes up to the end, or past it).
      return errno == ENXIO ? std::optional<bool>(false) : std::nullopt;
    }
    return static_cast<std::uint64_t>(next) < offset + length;
#else
    (void)offset;
    (void)length;
    return std::nullopt;
#endif
  }

 private:
  Result<void> writeAll(int fd, std::uint64_t offset, std::span<const std::byte> data) {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
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

  Result<void> writeDirect(std::uint64_t offset, std::span<const std::byte> data) {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(directFd_, data.data(), data.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && errno == EINVAL) {
        // The file system (or a device with larger blocks) refuses this
        // alignment: this file writes through the cache from now on.
        directUsable_.store(false, std::memory_order_relaxed);
        break;
      }
      if (n < 0) {
        return errorFromErrno(errno, "write " + path_);
      }
      data = data.subspan(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
      if (static_cast<std::size_t>(n) % kDirectAlign != 0) {
        break;  // a short write left the rest unaligned
      }
    }
    return writeAll(fd_, offset, data);
  }

  // A second descriptor of the same file, without the page cache; -1 when
  // the system or the file system has no such mode (tmpfs refuses O_DIRECT).
  int openUncached() const {
#if defined(__linux__)
    // Through /proc, so it is the same file even if the path was renamed
    // since it was opened; the path where /proc is not mounted.
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    for (const std::string& path : {self, path_}) {
      int fd = -1;
      do {
        fd = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
      } while (fd < 0 && errno == EINTR);
      if (fd >= 0) {
        return fd;
      }
    }
    return -1;
#elif defined(__APPLE__)
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0 && ::fcntl(fd, F_NOCACHE, 1) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
#else
    return -1;
#endif
  }

  int fd_;
  std::string path_;
  int directFd_ = -1;  // set before the file is shared between threads
  std::atomic<bool> directUsable_{false};
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
