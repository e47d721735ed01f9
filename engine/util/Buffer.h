// Internal: a byte buffer for socket I/O, laid out as
//
//   | prependable | readable | writable |
//   0        readerIndex  writerIndex  capacity
//
// (muduo's Buffer). Data is appended at writerIndex and consumed from
// readerIndex; kCheapPrepend bytes stay in front so a length prefix can be
// written without moving the payload.
//
// Growth rule: ensureWritable() copies the readable part at most once per
// growth. If the free space at both ends is enough, the readable bytes are
// moved to the front in place; otherwise they are copied once into a new,
// larger allocation (capacity at least doubles, so appends are amortised
// O(1)). Never both, and never the consumed or unused bytes.
//
// A moved-from Buffer is empty with no storage; it allocates again on the next append.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace tributary::util {

class Buffer {
 public:
  static constexpr std::size_t kCheapPrepend = 8;
  static constexpr std::size_t kInitialSize = 1024;
  static constexpr std::size_t kExtraReadSize = std::size_t{64} * 1024;  // readFd's stack buffer

  explicit Buffer(std::size_t initialSize = kInitialSize);
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() = default;

  std::size_t readableBytes() const { return writerIndex_ - readerIndex_; }
  std::size_t writableBytes() const { return capacity_ - writerIndex_; }
  std::size_t prependableBytes() const { return readerIndex_; }
  std::size_t capacity() const { return capacity_; }

  const char* peek() const { return data_.get() + readerIndex_; }
  std::span<const std::byte> readable() const {
    return {reinterpret_cast<const std::byte*>(peek()), readableBytes()};
  }
  std::string_view view() const { return {peek(), readableBytes()}; }

  void retrieve(std::size_t n);  // n <= readableBytes()
  void retrieveAll() { readerIndex_ = writerIndex_ = std::min(kCheapPrepend, capacity_); }
  std::string retrieveAsString(std::size_t n);
  std::string retrieveAllAsString() { return retrieveAsString(readableBytes()); }

  void append(const void* data, std::size_t n);
  void append(std::string_view s) { append(s.data(), s.size()); }
  void append(std::span<const std::byte> s) { append(s.data(), s.size()); }
  // Writes in front of the readable bytes; n <= prependableBytes().
  void prepend(const void* data, std::size_t n);

  void ensureWritable(std::size_t n) {
    if (writableBytes() < n) {
      makeSpace(n);
    }
  }
  char* beginWrite() { return data_.get() + writerIndex_; }
  void hasWritten(std::size_t n);  // n <= writableBytes()
  void unwrite(std::size_t n);     // n <= readableBytes()

  // Returns the capacity to kInitialSize-ish when a burst has passed (copies the readable part).
  void shrinkToFit(std::size_t reserve = 0);

#ifndef _WIN32
  // Reads what the fd has into the writable space plus a 64 KiB stack buffer
  // with one readv, so a mostly idle connection needs no big buffer of its own.
  // Returns read(2)'s result; on -1 *savedErrno holds errno.
  long readFd(int fd, int* savedErrno);
#endif

 private:
  void makeSpace(std::size_t n);

  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t readerIndex_ = kCheapPrepend;
  std::size_t writerIndex_ = kCheapPrepend;
};

}  // namespace tributary::util
