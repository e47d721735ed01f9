#include "engine/storage/WriteBlock.h"

#include <algorithm>
#include <utility>

namespace tributary::storage {

WriteBlock::WriteBlock(std::vector<std::byte> bytes)
    : storage_(std::move(bytes)), size_(std::get<std::vector<std::byte>>(storage_).size()) {}

WriteBlock::WriteBlock(util::Buffer buffer) : storage_(std::move(buffer)) {
  size_ = std::get<util::Buffer>(storage_).readableBytes();
}

WriteBlock::WriteBlock(util::Buffer buffer, std::size_t skip, std::size_t length)
    : storage_(std::move(buffer)) {
  const std::size_t readable = std::get<util::Buffer>(storage_).readableBytes();
  begin_ = std::min(skip, readable);
  size_ = std::min(length, readable - begin_);
}

WriteBlock WriteBlock::copyOf(std::span<const std::byte> bytes) {
  return WriteBlock(std::vector<std::byte>(bytes.begin(), bytes.end()));
}

std::span<const std::byte> WriteBlock::bytes() const {
  if (const auto* vector = std::get_if<std::vector<std::byte>>(&storage_)) {
    return std::span<const std::byte>(*vector).subspan(begin_, size_);
  }
  if (const auto* buffer = std::get_if<util::Buffer>(&storage_)) {
    return buffer->readable().subspan(begin_, size_);
  }
  return {};
}

void WriteBlock::narrow(std::size_t from, std::size_t length) {
  from = std::min(from, size_);
  begin_ += from;
  size_ = std::min(length, size_ - from);
}

util::Buffer WriteBlock::takeBuffer() {
  util::Buffer out(0);
  if (auto* buffer = std::get_if<util::Buffer>(&storage_)) {
    out = std::move(*buffer);
    out.retrieveAll();
  }
  storage_ = std::monostate{};
  begin_ = size_ = 0;
  return out;
}

std::vector<std::byte> WriteBlock::takeVector() {
  std::vector<std::byte> out;
  if (auto* vector = std::get_if<std::vector<std::byte>>(&storage_)) {
    out = std::move(*vector);
    out.clear();
  }
  storage_ = std::monostate{};
  begin_ = size_ = 0;
  return out;
}

}  // namespace tributary::storage
