#include "engine/util/Buffer.h"

#include <cassert>
#include <cstdlib>
#include <utility>

#ifndef _WIN32
#include <sys/uio.h>
#include <cerrno>
#endif

namespace tributary::util {

Buffer::Buffer(std::size_t initialSize)
    : data_(std::make_unique_for_overwrite<char[]>(kCheapPrepend + initialSize)),
      capacity_(kCheapPrepend + initialSize) {}

Buffer::Buffer(Buffer&& other) noexcept
    : data_(std::move(other.data_)),
      capacity_(std::exchange(other.capacity_, 0)),
      readerIndex_(std::exchange(other.readerIndex_, 0)),
      writerIndex_(std::exchange(other.writerIndex_, 0)) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    data_ = std::move(other.data_);
    capacity_ = std::exchange(other.capacity_, 0);
    readerIndex_ = std::exchange(other.readerIndex_, 0);
    writerIndex_ = std::exchange(other.writerIndex_, 0);
  }
  return *this;
}

void Buffer::retrieve(std::size_t n) {
  assert(n <= readableBytes());
  if (n < readableBytes()) {
    readerIndex_ += n;
  } else {
    retrieveAll();
  }
}

std::string Buffer::retrieveAsString(std::size_t n) {
  assert(n <= readableBytes());
  std::string s(peek(), n);
  retrieve(n);
  return s;
}

void Buffer::append(const void* data, std::size_t n) {
  if (n == 0) {
    return;
  }
  ensureWritable(n);
  std::memcpy(beginWrite(), data, n);
  writerIndex_ += n;
}

void Buffer::prepend(const void* data, std::size_t n) {
  assert(n <= prependableBytes());
  readerIndex_ -= n;
  std::memcpy(data_.get() + readerIndex_, data, n);
}

void Buffer::hasWritten(std::size_t n) {
  assert(n <= writableBytes());
  writerIndex_ += n;
}

void Buffer::unwrite(std::size_t n) {
  assert(n <= readableBytes());
  writerIndex_ -= n;
}

void Buffer::makeSpace(std::size_t n) {
  const std::size_t readable = readableBytes();
  if (data_ != nullptr && writableBytes() + prependableBytes() >= n + kCheapPrepend) {
    // Enough room once the consumed bytes in front are reclaimed: slide, don't allocate.
    std::memmove(data_.get() + kCheapPrepend, peek(), readable);
  } else {
    const std::size_t needed = kCheapPrepend + readable + n;
    const std::size_t newCapacity = std::max(needed, capacity_ * 2);
    auto bigger = std::make_unique_for_overwrite<char[]>(newCapacity);
    if (readable > 0) {
      std::memcpy(bigger.get() + kCheapPrepend, peek(), readable);
    }
    data_ = std::move(bigger);
    capacity_ = newCapacity;
  }
  readerIndex_ = kCheapPrepend;
  writerIndex_ = kCheapPrepend + readable;
}

void Buffer::shrinkToFit(std::size_t reserve) {
  const std::size_t readable = readableBytes();
  const std::size_t newCapacity = kCheapPrepend + readable + reserve;
  if (newCapacity >= capacity_) {
    return;
  }
  auto smaller = std::make_unique_for_overwrite<char[]>(newCapacity);
  if (readable > 0) {
    std::memcpy(smaller.get() + kCheapPrepend, peek(), readable);
  }
  data_ = std::move(smaller);
  capacity_ = newCapacity;
  readerIndex_ = kCheapPrepend;
  writerIndex_ = kCheapPrepend + readable;
}

#ifndef _WIN32
long Buffer::readFd(int fd, int* savedErrno) {
  char extra[kExtraReadSize];
  const std::size_t writable = writableBytes();
  iovec vec[2];
  vec[0].iov_base = beginWrite();
  vec[0].iov_len = writable;
  vec[1].iov_base = extra;
  vec[1].iov_len = sizeof extra;
  // When the buffer already has 64 KiB free, the extra space adds nothing.
  const int count = writable < sizeof extra ? 2 : 1;
  const ssize_t n = ::readv(fd, vec, count);
  if (n < 0) {
    *savedErrno = errno;
  } else if (static_cast<std::size_t>(n) <= writable) {
    writerIndex_ += static_cast<std::size_t>(n);
  } else {
    writerIndex_ = capacity_;
    append(extra, static_cast<std::size_t>(n) - writable);
  }
  return static_cast<long>(n);
}
#endif

}  // namespace tributary::util
