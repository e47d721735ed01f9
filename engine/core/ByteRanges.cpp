#include "engine/core/ByteRanges.h"

#include <algorithm>

namespace tributary::core {

ByteRanges::ByteRanges(std::initializer_list<ByteRange> ranges) {
  for (const ByteRange& r : ranges) {
    add(r);
  }
}

void ByteRanges::add(std::uint64_t begin, std::uint64_t end) {
  if (begin >= end) {
    return;
  }
  // Start from the last range beginning at or before `begin`: it is the only one
  // before `begin` that can touch the new range.
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= begin) {
      it = prev;
    }
  }
  // Swallow every range that overlaps or touches [begin, end).
  while (it != ranges_.end() && it->first <= end) {
    begin = std::min(begin, it->first);
    end = std::max(end, it->second);
    covered_ -= it->second - it->first;
    it = ranges_.erase(it);
  }
  ranges_.emplace_hint(it, begin, end);
  covered_ += end - begin;
}

void ByteRanges::add(const ByteRanges& other) {
  if (&other == this) {
    return;
  }
  for (const auto& [b, e] : other.ranges_) {
    add(b, e);
  }
}

void ByteRanges::subtract(std::uint64_t begin, std::uint64_t end) {
  if (begin >= end) {
    return;
  }
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second > begin) {
      it = prev;
    }
  }
  while (it != ranges_.end() && it->first < end) {
    const std::uint64_t b = it->first;
    const std::uint64_t e = it->second;
    covered_ -= e - b;
    it = ranges_.erase(it);
    if (b < begin) {
      ranges_.emplace_hint(it, b, begin);
      covered_ += begin - b;
    }
    if (e > end) {
      it = ranges_.emplace_hint(it, end, e);
      covered_ += e - end;
      break;
    }
  }
}

void ByteRanges::subtract(const ByteRanges& other) {
  if (&other == this) {
    clear();
    return;
  }
  for (const auto& [b, e] : other.ranges_) {
    subtract(b, e);
  }
}

void ByteRanges::clear() noexcept {
  ranges_.clear();
  covered_ = 0;
}

std::optional<ByteRange> ByteRanges::rangeAt(std::uint64_t offset) const {
  auto it = ranges_.upper_bound(offset);
  if (it == ranges_.begin()) {
    return std::nullopt;
  }
  --it;
  if (offset < it->second) {
    return ByteRange{it->first, it->second};
  }
  return std::nullopt;
}

bool ByteRanges::contains(std::uint64_t offset) const {
  return rangeAt(offset).has_value();
}

bool ByteRanges::containsAll(std::uint64_t begin, std::uint64_t end) const {
  if (begin >= end) {
    return true;
  }
  // Ranges are merged, so a covered [begin, end) lies inside a single range.
  const auto r = rangeAt(begin);
  return r && r->end >= end;
}

bool ByteRanges::intersects(std::uint64_t begin, std::uint64_t end) const {
  if (begin >= end) {
    return false;
  }
  auto it = ranges_.lower_bound(end);  // first range starting at or after end
  if (it == ranges_.begin()) {
    return false;
  }
  --it;  // the last range starting before end
  return it->second > begin;
}

std::uint64_t ByteRanges::coveredBytesIn(std::uint64_t begin, std::uint64_t end) const {
  if (begin >= end) {
    return 0;
  }
  std::uint64_t sum = 0;
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin() && std::prev(it)->second > begin) {
    --it;
  }
  for (; it != ranges_.end() && it->first < end; ++it) {
    sum += std::min(end, it->second) - std::max(begin, it->first);
  }
  return sum;
}

std::optional<ByteRange> ByteRanges::first() const {
  if (ranges_.empty()) {
    return std::nullopt;
  }
  return ByteRange{ranges_.begin()->first, ranges_.begin()->second};
}

std::optional<ByteRange> ByteRanges::last() const {
  if (ranges_.empty()) {
    return std::nullopt;
  }
  const auto& [b, e] = *ranges_.rbegin();
  return ByteRange{b, e};
}

ByteRanges ByteRanges::gaps(std::uint64_t total) const {
  ByteRanges out;
  std::uint64_t cursor = 0;
  for (const auto& [b, e] : ranges_) {
    if (b >= total) {
      break;
    }
    if (b > cursor) {
      out.ranges_.emplace_hint(out.ranges_.end(), cursor, b);
      out.covered_ += b - cursor;
    }
    cursor = e;
  }
  if (cursor < total) {
    out.ranges_.emplace_hint(out.ranges_.end(), cursor, total);
    out.covered_ += total - cursor;
  }
  return out;
}

std::optional<ByteRange> ByteRanges::firstGap(std::uint64_t from, std::uint64_t total) const {
  if (from >= total) {
    return std::nullopt;
  }
  if (const auto r = rangeAt(from)) {
    from = r->end;  // the next range starts strictly after this one ends
    if (from >= total) {
      return std::nullopt;
    }
  }
  auto next = ranges_.upper_bound(from);
  const std::uint64_t gapEnd = next == ranges_.end() ? total : std::min(total, next->first);
  return ByteRange{from, gapEnd};
}

std::vector<ByteRange> ByteRanges::toVector() const {
  std::vector<ByteRange> out;
  out.reserve(ranges_.size());
  for (const auto& [b, e] : ranges_) {
    out.push_back({b, e});
  }
  return out;
}

}  // namespace tributary::core
