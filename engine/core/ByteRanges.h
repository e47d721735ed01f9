// Internal: a set of disjoint half-open byte ranges [begin, end) of one file. The
// downloader keeps "what is verified on disk" in one; the segment planner keeps
// "what nobody owns yet" in another. Touching or overlapping ranges are merged on
// insertion, so the set is always in its canonical form: sorted, disjoint, with a gap
// of at least one byte between neighbours. That makes equality a plain comparison and
// the text form (ByteRangesText.h) unique.
//
// Every operation costs O(log n) in the number of ranges plus the ranges it touches;
// nothing is proportional to the number of bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

namespace tributary::core {

struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;  // exclusive

  std::uint64_t size() const noexcept { return end > begin ? end - begin : 0; }
  bool empty() const noexcept { return end <= begin; }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

class ByteRanges {
  using Map = std::map<std::uint64_t, std::uint64_t>;  // begin -> end

 public:
  // Iterates the ranges in ascending order, by value.
  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = ByteRange;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = ByteRange;

    const_iterator() = default;
    ByteRange operator*() const { return {it_->first, it_->second}; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++it_;
      return old;
    }
    const_iterator& operator--() {
      --it_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator old = *this;
      --it_;
      return old;
    }
    friend bool operator==(const const_iterator&, const const_iterator&) = default;

   private:
    friend class ByteRanges;
    explicit const_iterator(Map::const_iterator it) : it_(it) {}
    Map::const_iterator it_;
  };

  ByteRanges() = default;
  ByteRanges(std::initializer_list<ByteRange> ranges);

  // Empty ranges are ignored.
  void add(std::uint64_t begin, std::uint64_t end);
  void add(ByteRange range) { add(range.begin, range.end); }
  void add(const ByteRanges& other);
  void subtract(std::uint64_t begin, std::uint64_t end);
  void subtract(ByteRange range) { subtract(range.begin, range.end); }
  void subtract(const ByteRanges& other);
  void clear() noexcept;

  bool contains(std::uint64_t offset) const;
  // True when every byte of [begin, end) is in the set (an empty range always is).
  bool containsAll(std::uint64_t begin, std::uint64_t end) const;
  // True when at least one byte of [begin, end) is in the set.
  bool intersects(std::uint64_t begin, std::uint64_t end) const;
  // The range holding offset, if any.
  std::optional<ByteRange> rangeAt(std::uint64_t offset) const;

  std::uint64_t coveredBytes() const noexcept { return covered_; }
  // Covered bytes inside [begin, end).
  std::uint64_t coveredBytesIn(std::uint64_t begin, std::uint64_t end) const;
  std::size_t rangeCount() const noexcept { return ranges_.size(); }
  bool empty() const noexcept { return ranges_.empty(); }
  std::optional<ByteRange> first() const;
  std::optional<ByteRange> last() const;

  // What is missing from [0, total): the complement, clipped to the file.
  ByteRanges gaps(std::uint64_t total) const;
  // The first missing range starting at or after `from` and ending at or before
  // `total`; nullopt when [from, total) is fully covered.
  std::optional<ByteRange> firstGap(std::uint64_t from, std::uint64_t total) const;

  const_iterator begin() const { return const_iterator(ranges_.begin()); }
  const_iterator end() const { return const_iterator(ranges_.end()); }
  std::vector<ByteRange> toVector() const;

  friend bool operator==(const ByteRanges& a, const ByteRanges& b) {
    return a.ranges_ == b.ranges_;
  }

 private:
  Map ranges_;
  std::uint64_t covered_ = 0;
};

}  // namespace tributary::core
