#include "engine/core/ByteRangesText.h"

#include <charconv>
#include <limits>

namespace tributary::core {

std::string_view rangesErrorName(RangesError code) noexcept {
  switch (code) {
    case RangesError::Ok:
      return "ok";
    case RangesError::TooLong:
      return "too_long";
    case RangesError::TooManyRanges:
      return "too_many_ranges";
    case RangesError::Syntax:
      return "syntax";
    case RangesError::BadNumber:
      return "bad_number";
    case RangesError::EmptyRange:
      return "empty_range";
    case RangesError::Unsorted:
      return "unsorted";
    case RangesError::Overlapping:
      return "overlapping";
    case RangesError::PastTotal:
      return "past_total";
  }
  return "unknown";
}

std::string formatByteRanges(const ByteRanges& ranges) {
  std::string out;
  out.reserve(ranges.rangeCount() * 24);
  char buf[std::numeric_limits<std::uint64_t>::digits10 + 2];
  for (const ByteRange r : ranges) {
    if (!out.empty()) {
      out += ',';
    }
    out.append(buf, std::to_chars(buf, buf + sizeof buf, r.begin).ptr);
    out += '-';
    out.append(buf, std::to_chars(buf, buf + sizeof buf, r.end).ptr);
  }
  return out;
}

namespace {

// Reads one canonical decimal number at text[pos]: at least one digit, no sign, no
// leading zero (so each value has exactly one spelling).
bool readNumber(std::string_view text, std::size_t& pos, std::uint64_t& value,
                RangesParseError& error) {
  const std::size_t start = pos;
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') {
    error = {RangesError::Syntax, pos};
    return false;
  }
  const char* first = text.data() + pos;
  const auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), value);
  if (ec != std::errc()) {  // only out-of-range is possible after a digit
    error = {RangesError::BadNumber, start};
    return false;
  }
  pos += static_cast<std::size_t>(ptr - first);
  if (text[start] == '0' && pos - start > 1) {
    error = {RangesError::BadNumber, start};
    return false;
  }
  return true;
}

}  // namespace

std::optional<ByteRanges> parseByteRanges(std::string_view text, std::uint64_t total,
                                          RangesParseError& error, const RangesLimits& limits) {
  error = {};
  if (text.size() > limits.maxLength) {
    error = {RangesError::TooLong, limits.maxLength};
    return std::nullopt;
  }
  ByteRanges out;
  std::size_t pos = 0;
  std::size_t count = 0;
  std::uint64_t previousEnd = 0;
  while (pos < text.size()) {
    const std::size_t rangeStart = pos;
    if (count > 0) {
      if (text[pos] != ',') {
        error = {RangesError::Syntax, pos};
        return std::nullopt;
      }
      ++pos;
    }
    if (count == limits.maxRanges) {
      error = {RangesError::TooManyRanges, rangeStart};
      return std::nullopt;
    }
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    const std::size_t beginPos = pos;
    if (!readNumber(text, pos, begin, error)) {
      return std::nullopt;
    }
    if (pos >= text.size() || text[pos] != '-') {
      error = {RangesError::Syntax, pos};
      return std::nullopt;
    }
    ++pos;
    const std::size_t endPos = pos;
    if (!readNumber(text, pos, end, error)) {
      return std::nullopt;
    }
    if (begin >= end) {
      error = {RangesError::EmptyRange, beginPos};
      return std::nullopt;
    }
    if (count > 0 && begin <= previousEnd) {
      // Distinguish the two so a log says whether the writer or the disk lied.
      const bool unsorted = begin < out.last()->begin;
      error = {unsorted ? RangesError::Unsorted : RangesError::Overlapping, beginPos};
      return std::nullopt;
    }
    if (end > total) {
      error = {RangesError::PastTotal, endPos};
      return std::nullopt;
    }
    out.add(begin, end);  // appends at the back: no merging can happen here
    previousEnd = end;
    ++count;
  }
  return out;
}

Result<ByteRanges> parseByteRanges(std::string_view text, std::uint64_t total,
                                   const RangesLimits& limits) {
  RangesParseError error;
  std::optional<ByteRanges> ranges = parseByteRanges(text, total, error, limits);
  if (!ranges) {
    return Error{ErrorCode::InvalidArgument,
                 "byte ranges: " + std::string(rangesErrorName(error.code)) + " at " +
                     std::to_string(error.position)};
  }
  return std::move(*ranges);
}

}  // namespace tributary::core
