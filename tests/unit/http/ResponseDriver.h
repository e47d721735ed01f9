// Test helper: runs a whole response through ResponseParser in chunks of chosen
// sizes and records what came out, so that different splits can be compared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/ResponseParser.h"

namespace tributary::http::test {

struct Outcome {
  int headEvents = 0;
  int status = 0;
  BodyFraming framing = BodyFraming::None;
  std::optional<std::uint64_t> contentLength;
  bool keepAlive = false;
  std::vector<HeaderField> fields;
  std::vector<HeaderField> trailers;
  std::string body;
  bool done = false;
  ParseError error = ParseError::None;
  std::uint64_t errorOffset = 0;
  std::size_t leftover = 0;        // bytes after the end of the message
  bool bodyOutsideInput = false;   // a body span that did not point into the fed bytes
  bool protocolViolation = false;  // NeedMore with data left, or a runaway loop

  bool operator==(const Outcome& o) const;
  std::string describe() const;
};

struct DriveOptions {
  bool headRequest = false;
  bool closeAtEnd = true;  // call finish() when the input runs out
  ResponseLimits limits;
};

// Feeds input in pieces whose sizes cycle through `chunks` (empty = all at once).
Outcome drive(std::string_view input, const std::vector<std::size_t>& chunks,
              const DriveOptions& options = {});

// Whole, byte by byte, split at every boundary, and in random pieces: returns a
// description of the first split whose outcome differs from the whole-input one,
// or an empty string when all agree. `whole` receives the reference outcome.
std::string compareSplits(std::string_view input, Outcome& whole, const DriveOptions& options = {},
                          int randomRounds = 20);

}  // namespace tributary::http::test
