#include "ResponseDriver.h"

#include <random>

namespace tributary::http::test {

namespace {

bool sameFields(const std::vector<HeaderField>& a, const std::vector<HeaderField>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool Outcome::operator==(const Outcome& o) const {
  return headEvents == o.headEvents && status == o.status && framing == o.framing &&
         contentLength == o.contentLength && keepAlive == o.keepAlive &&
         sameFields(fields, o.fields) && sameFields(trailers, o.trailers) && body == o.body &&
         done == o.done && error == o.error && errorOffset == o.errorOffset &&
         leftover == o.leftover && bodyOutsideInput == o.bodyOutsideInput &&
         protocolViolation == o.protocolViolation;
}

std::string Outcome::describe() const {
  return "heads=" + std::to_string(headEvents) + " status=" + std::to_string(status) +
         " framing=" + std::to_string(static_cast<int>(framing)) +
         " cl=" + (contentLength ? std::to_string(*contentLength) : std::string("-")) +
         " keepAlive=" + std::to_string(keepAlive) + " fields=" + std::to_string(fields.size()) +
         " trailers=" + std::to_string(trailers.size()) + " body=" + std::to_string(body.size()) +
         " done=" + std::to_string(done) + " error=" + std::string(parseErrorName(error)) + "@" +
         std::to_string(errorOffset) + " leftover=" + std::to_string(leftover) +
         (bodyOutsideInput ? " BODY-OUTSIDE" : "") + (protocolViolation ? " VIOLATION" : "");
}

Outcome drive(std::string_view input, const std::vector<std::size_t>& chunks,
              const DriveOptions& options) {
  ResponseParser parser(options.limits);
  parser.reset(options.headRequest);
  Outcome out;
  std::size_t fed = 0;
  std::size_t chunkIndex = 0;
  bool stop = false;
  auto handle = [&](ResponseParser::FeedResult r, std::span<const char>& data) {
    data = data.subspan(r.consumed);
    switch (r.event) {
      case ResponseParser::Event::NeedMore:
        out.protocolViolation = out.protocolViolation || !data.empty();
        return false;
      case ResponseParser::Event::HeadReady:
        ++out.headEvents;
        out.status = parser.head().status;
        out.framing = parser.head().framing;
        out.contentLength = parser.head().contentLength;
        out.keepAlive = parser.head().keepAlive;
        out.fields = parser.head().fields;
        return true;
      case ResponseParser::Event::Body:
        if (!r.body.empty() && (r.body.data() < input.data() ||
                                r.body.data() + r.body.size() > input.data() + input.size())) {
          out.bodyOutsideInput = true;
        }
        out.body.append(r.body.data(), r.body.size());
        return true;
      case ResponseParser::Event::Done:
        out.done = true;
        out.trailers = parser.trailers();
        out.leftover = data.size() + (input.size() - fed);
        stop = true;
        return false;
      case ResponseParser::Event::Error:
        out.error = parser.error();
        out.errorOffset = parser.errorOffset();
        stop = true;
        return false;
    }
    return false;
  };

  while (!stop && fed < input.size()) {
    std::size_t n = chunks.empty() ? input.size() : chunks[chunkIndex++ % chunks.size()];
    n = std::max<std::size_t>(1, std::min(n, input.size() - fed));
    std::span<const char> data(input.data() + fed, n);
    fed += n;
    // Each event consumes bytes or moves the state forward; the bound only catches
    // a parser that stops making progress.
    int guard = 0;
    while (handle(parser.feed(data), data)) {
      if (++guard > 4 * static_cast<int>(n) + 16) {
        out.protocolViolation = true;
        stop = true;
        break;
      }
    }
  }
  if (!stop && fed == input.size()) {
    // A message that ends exactly at the end of the data reports Done on the next call.
    std::span<const char> empty;
    int guard = 0;
    while (handle(parser.feed(empty), empty) && ++guard < 16) {
    }
    if (!stop && options.closeAtEnd) {
      handle(parser.finish(), empty);
    }
  }
  return out;
}

std::string compareSplits(std::string_view input, Outcome& whole, const DriveOptions& options,
                          int randomRounds) {
  whole = drive(input, {}, options);
  auto check = [&](const std::vector<std::size_t>& chunks, const std::string& name) {
    const Outcome other = drive(input, chunks, options);
    return other == whole ? std::string()
                          : name + ": " + other.describe() + " vs whole: " + whole.describe();
  };
  if (std::string d = check({1}, "byte by byte"); !d.empty()) {
    return d;
  }
  // Every boundary for inputs of test size; a sample for the huge hostile ones.
  const std::size_t stride = input.size() <= 4096 ? 1 : input.size() / 256;
  for (std::size_t split = 1; split < input.size(); split += stride) {
    if (std::string d = check({split, input.size()}, "split at " + std::to_string(split));
        !d.empty()) {
      return d;
    }
  }
  std::mt19937 rng(static_cast<unsigned>(input.size()));
  for (int round = 0; round < randomRounds; ++round) {
    std::vector<std::size_t> chunks(8);
    for (auto& c : chunks) {
      c = 1 + rng() % 17;
    }
    if (std::string d = check(chunks, "random round " + std::to_string(round)); !d.empty()) {
      return d;
    }
  }
  return {};
}

}  // namespace tributary::http::test
