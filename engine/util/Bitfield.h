// Internal: a fixed-size set of bits, one per piece, as BitTorrent keeps "which
// pieces does this peer (or do we) have". The picker holds one per peer for
// thousands of pieces and hundreds of peers, so the bits are packed in 64-bit
// words and the number of set bits is cached: count(), all() and none() are O(1).
//
// Bit i lives in word i / 64 at bit 63 - i % 64, i.e. the words hold the BEP 3
// wire order (piece 0 is the high bit of the first byte) read as big-endian
// integers. That makes the wire conversion one byte swap per word and keeps
// "first set bit from i" a countl_zero.
//
// Invariant: the unused low bits of the last word are always zero, so word-wise
// operations (popcount, equality, and-not counts) need no masking.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tributary::util {

class Bitfield {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // Why bytes from the wire were refused (BEP 3 bitfield message).
  enum class WireError : std::uint8_t {
    None = 0,
    WrongLength,   // not exactly ceil(size / 8) bytes
    SpareBitsSet,  // a bit past the last piece is 1 (BEP 3: "spare bits ... must be cleared")
  };

  Bitfield() = default;
  explicit Bitfield(std::size_t size, bool value = false);

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t count() const noexcept { return count_; }
  bool all() const noexcept { return count_ == size_; }  // true for an empty bitfield
  bool none() const noexcept { return count_ == 0; }
  bool any() const noexcept { return count_ != 0; }

  // i < size() (unchecked: this is the picker's inner loop).
  bool test(std::size_t i) const noexcept { return (words_[i >> 6] >> (63 - (i & 63))) & 1U; }
  bool operator[](std::size_t i) const noexcept { return test(i); }
  // Return whether the bit changed, so callers can keep their own counters.
  bool set(std::size_t i) noexcept;
  bool reset(std::size_t i) noexcept;
  bool assign(std::size_t i, bool value) noexcept { return value ? set(i) : reset(i); }

  void setAll() noexcept;
  void resetAll() noexcept;
  // Keeps the first min(size, newSize) bits; new bits are `value`.
  void resize(std::size_t newSize, bool value = false);

  // The first set (clear) bit at or after `from`; npos when there is none.
  std::size_t findFirstSet(std::size_t from = 0) const noexcept;
  std::size_t findFirstClear(std::size_t from = 0) const noexcept;

  // Calls f(index) for every set bit in ascending order. O(words + set bits).
  template <class F>
  void forEachSet(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t word = words_[w];
      while (word != 0) {
        const int lead = std::countl_zero(word);
        f(w * 64 + static_cast<std::size_t>(lead));
        word &= ~(std::uint64_t{1} << (63 - lead));
      }
    }
  }

  // Bits set here and clear in `other` (sizes must match; the smaller size is
  // used otherwise). "Pieces the peer has that we lack" for the relevance column.
  std::size_t countAndNot(const Bitfield& other) const noexcept;
  // Bits set in both.
  std::size_t countAnd(const Bitfield& other) const noexcept;

  // BEP 3 wire form: ceil(size / 8) bytes, piece 0 in the high bit of byte 0,
  // spare bits zero.
  std::size_t wireSize() const noexcept { return (size_ + 7) / 8; }
  std::vector<std::byte> toWire() const;
  // Writes wireSize() bytes into out (out.size() must be at least that).
  void toWire(std::span<std::byte> out) const noexcept;
  // Replaces the contents with `bytes` interpreted for `size` pieces. On error
  // the bitfield is left unchanged and the reason returned.
  WireError assignFromWire(std::span<const std::byte> bytes, std::size_t size);
  static std::string_view wireErrorName(WireError error) noexcept;

  // Raw words for fast whole-set work (e.g. the picker's and-not loops).
  std::span<const std::uint64_t> words() const noexcept { return words_; }

  friend bool operator==(const Bitfield& a, const Bitfield& b) noexcept {
    return a.size_ == b.size_ && a.words_ == b.words_;
  }

 private:
  void clearSpareBits() noexcept;
  void recount() noexcept;

  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
  std::size_t count_ = 0;
};

}  // namespace tributary::util
