#include "engine/util/Bitfield.h"

#include <algorithm>

namespace tributary::util {

namespace {

constexpr std::size_t wordsFor(std::size_t bits) {
  return (bits + 63) / 64;
}

constexpr std::uint64_t bitMask(std::size_t i) {
  return std::uint64_t{1} << (63 - (i & 63));
}

}  // namespace

Bitfield::Bitfield(std::size_t size, bool value)
    : words_(wordsFor(size), value ? ~std::uint64_t{0} : 0), size_(size) {
  clearSpareBits();
  count_ = value ? size : 0;
}

bool Bitfield::set(std::size_t i) noexcept {
  std::uint64_t& word = words_[i >> 6];
  const std::uint64_t mask = bitMask(i);
  if ((word & mask) != 0) {
    return false;
  }
  word |= mask;
  ++count_;
  return true;
}

bool Bitfield::reset(std::size_t i) noexcept {
  std::uint64_t& word = words_[i >> 6];
  const std::uint64_t mask = bitMask(i);
  if ((word & mask) == 0) {
    return false;
  }
  word &= ~mask;
  --count_;
  return true;
}

void Bitfield::setAll() noexcept {
  std::fill(words_.begin(), words_.end(), ~std::uint64_t{0});
  clearSpareBits();
  count_ = size_;
}

void Bitfield::resetAll() noexcept {
  std::fill(words_.begin(), words_.end(), 0);
  count_ = 0;
}

void Bitfield::resize(std::size_t newSize, bool value) {
  const std::size_t oldSize = size_;
  words_.resize(wordsFor(newSize), value ? ~std::uint64_t{0} : 0);
  size_ = newSize;
  if (value && newSize > oldSize && (oldSize & 63) != 0) {
    // The old last word's spare bits were zero; they are new bits now.
    words_[oldSize >> 6] |= ~std::uint64_t{0} >> (oldSize & 63);
  }
  clearSpareBits();
  recount();
}

std::size_t Bitfield::findFirstSet(std::size_t from) const noexcept {
  if (from >= size_) {
    return npos;
  }
  std::size_t w = from >> 6;
  std::uint64_t word = words_[w] & (~std::uint64_t{0} >> (from & 63));
  while (true) {
    if (word != 0) {
      return w * 64 + static_cast<std::size_t>(std::countl_zero(word));
    }
    if (++w == words_.size()) {
      return npos;
    }
    word = words_[w];
  }
}

std::size_t Bitfield::findFirstClear(std::size_t from) const noexcept {
  if (from >= size_) {
    return npos;
  }
  std::size_t w = from >> 6;
  std::uint64_t word = ~words_[w] & (~std::uint64_t{0} >> (from & 63));
  while (true) {
    if (word != 0) {
      const std::size_t i = w * 64 + static_cast<std::size_t>(std::countl_zero(word));
      return i < size_ ? i : npos;  // a spare bit reads as clear: not a piece
    }
    if (++w == words_.size()) {
      return npos;
    }
    word = ~words_[w];
  }
}

std::size_t Bitfield::countAndNot(const Bitfield& other) const noexcept {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  std::size_t total = 0;
  for (std::size_t w = 0; w < n; ++w) {
    total += static_cast<std::size_t>(std::popcount(words_[w] & ~other.words_[w]));
  }
  return total;
}

std::size_t Bitfield::countAnd(const Bitfield& other) const noexcept {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  std::size_t total = 0;
  for (std::size_t w = 0; w < n; ++w) {
    total += static_cast<std::size_t>(std::popcount(words_[w] & other.words_[w]));
  }
  return total;
}

std::vector<std::byte> Bitfield::toWire() const {
  std::vector<std::byte> out(wireSize());
  toWire(out);
  return out;
}

void Bitfield::toWire(std::span<std::byte> out) const noexcept {
  const std::size_t bytes = wireSize();
  for (std::size_t i = 0; i < bytes; ++i) {
    out[i] = static_cast<std::byte>(words_[i >> 3] >> (56 - 8 * (i & 7)));
  }
}

Bitfield::WireError Bitfield::assignFromWire(std::span<const std::byte> bytes, std::size_t size) {
  if (bytes.size() != (size + 7) / 8) {
    return WireError::WrongLength;
  }
  if ((size & 7) != 0) {
    const auto spare = static_cast<unsigned>(0xFFU >> (size & 7));
    if ((static_cast<unsigned>(bytes.back()) & spare) != 0) {
      return WireError::SpareBitsSet;
    }
  }
  std::vector<std::uint64_t> words(wordsFor(size), 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    words[i >> 3] |= static_cast<std::uint64_t>(bytes[i]) << (56 - 8 * (i & 7));
  }
  words_ = std::move(words);
  size_ = size;
  recount();
  return WireError::None;
}

std::string_view Bitfield::wireErrorName(WireError error) noexcept {
  switch (error) {
    case WireError::None:
      return "ok";
    case WireError::WrongLength:
      return "wrong_length";
    case WireError::SpareBitsSet:
      return "spare_bits_set";
  }
  return "unknown";
}

void Bitfield::clearSpareBits() noexcept {
  if ((size_ & 63) != 0) {
    words_.back() &= ~(~std::uint64_t{0} >> (size_ & 63));
  }
}

void Bitfield::recount() noexcept {
  std::size_t total = 0;
  for (const std::uint64_t word : words_) {
    total += static_cast<std::size_t>(std::popcount(word));
  }
  count_ = total;
}

}  // namespace tributary::util
