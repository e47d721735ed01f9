// Internal: a block of bytes on its way to disk, owned by the block. A caller
// moves the buffer it filled (a socket's read buffer, a vector) in and gets no
// copy: the write happens straight from that memory on a worker thread, and the
// storage comes back to the loop afterwards (DiskWriter keeps spare buffers, so
// a connection can swap in an already-touched buffer instead of faulting in
// fresh pages):
//
//   util::Buffer& in = socket.readBuffer();
//   writer.write(offset, WriteBlock(std::exchange(in, writer.takeSpareBuffer(64 << 10)),
//                                   headBytes, bodyBytes));
#pragma once

#include <cstddef>
#include <span>
#include <variant>
#include <vector>

#include "engine/util/Buffer.h"

namespace tributary::storage {

class WriteBlock {
 public:
  WriteBlock() = default;
  // Writes all of `bytes`.
  explicit WriteBlock(std::vector<std::byte> bytes);
  // Writes the buffer's readable bytes.
  explicit WriteBlock(util::Buffer buffer);
  // Writes `length` readable bytes of the buffer after the first `skip`
  // (an HTTP head or a chunk header in front of the body stays where it is).
  // Clamped to what is readable. Bytes after the slice (the start of the next
  // chunk) leave with the buffer: copy them out first if they are still needed.
  WriteBlock(util::Buffer buffer, std::size_t skip, std::size_t length);
  static WriteBlock copyOf(std::span<const std::byte> bytes);

  WriteBlock(WriteBlock&&) noexcept = default;
  WriteBlock& operator=(WriteBlock&&) noexcept = default;
  WriteBlock(const WriteBlock&) = delete;
  WriteBlock& operator=(const WriteBlock&) = delete;

  // Stable across moves of the block: both storages keep their heap memory.
  std::span<const std::byte> bytes() const;
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool holdsBuffer() const { return std::holds_alternative<util::Buffer>(storage_); }

  // Keeps only [from, from + length) of the current bytes (clamped); no copy.
  void narrow(std::size_t from, std::size_t length);

  // Hands the storage back, emptied, for reuse; the block is then empty.
  // Only one of them returns a storage with capacity, the one it was made from.
  util::Buffer takeBuffer();
  std::vector<std::byte> takeVector();

 private:
  std::variant<std::monostate, std::vector<std::byte>, util::Buffer> storage_;
  std::size_t begin_ = 0;  // into the vector, or into the buffer's readable bytes
  std::size_t size_ = 0;
};

}  // namespace tributary::storage
