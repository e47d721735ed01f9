// Internal: the text form of a ByteRanges, as the resume file stores "what is
// verified on disk": "b-e,b-e,...", decimal offsets of half-open ranges in ascending
// order, "" for none. "0-1048576,2097152-3145728" is two ranges of 1 MiB.
//
// The parser treats its input as hostile (a resume file can be truncated, edited or
// crafted): it accepts only the canonical form that formatByteRanges() writes and
// rejects, with an error and a position, anything else — unsorted, overlapping or
// touching ranges, empty ranges, ranges past the file's end, numbers with signs,
// spaces or leading zeros, numbers beyond 2^64-1, and input over its limits. It never
// allocates more than the limits allow, and costs O(n log n) in the ranges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/core/ByteRanges.h"

namespace tributary::core {

enum class RangesError : std::uint8_t {
  Ok = 0,
  TooLong,        // the text is over RangesLimits::maxLength
  TooManyRanges,  // over RangesLimits::maxRanges
  Syntax,         // not "digits-digits" separated by ','
  BadNumber,      // a leading zero, or beyond 2^64-1
  EmptyRange,     // begin >= end
  Unsorted,       // a range starts before the previous one
  Overlapping,    // a range overlaps or touches the previous one (the writer merges those)
  PastTotal,      // a range ends after the file's size
};

// A stable name ("past_total") for logs and Error details.
std::string_view rangesErrorName(RangesError code) noexcept;

struct RangesParseError {
  RangesError code = RangesError::Ok;
  std::size_t position = 0;  // offset in the input where the problem was found
};

struct RangesLimits {
  // A healthy download has a few ranges per connection; a map of 64 Ki ranges is
  // already a badly fragmented file and is about 2.5 MB of text.
  std::size_t maxRanges = 64 * 1024;
  std::size_t maxLength = 4 * 1024 * 1024;
};

std::string formatByteRanges(const ByteRanges& ranges);

// Parses text written by formatByteRanges for a file of `total` bytes (pass
// UINT64_MAX when the size is unknown).
std::optional<ByteRanges> parseByteRanges(std::string_view text, std::uint64_t total,
                                          RangesParseError& error, const RangesLimits& limits = {});
// The same, with an InvalidArgument Error carrying the error name and position.
Result<ByteRanges> parseByteRanges(std::string_view text, std::uint64_t total,
                                   const RangesLimits& limits = {});

}  // namespace tributary::core
