// ResponseParser on any bytes: no crash, no body span outside the input, and the
// same outcome whether the input comes whole or in pieces. The first input byte
// picks the piece size and whether the request was HEAD.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/http/ResponseParser.h"

using tributary::http::ResponseParser;

namespace {

std::string run(std::string_view input, std::size_t piece, bool head) {
  tributary::http::ResponseLimits limits;
  limits.maxHeadBytes = 2048;  // small limits so the fuzzer reaches them
  limits.maxHeaderCount = 8;
  limits.maxLineLength = 256;
  limits.maxTrailerBytes = 128;
  limits.maxInterimResponses = 3;
  ResponseParser parser(limits);
  parser.reset(head);
  std::string trace;
  for (std::size_t fed = 0; fed <= input.size();) {
    const std::size_t n = std::min(piece, input.size() - fed);
    std::string_view data = input.substr(fed, n);
    fed += n;
    for (;;) {
      const ResponseParser::FeedResult r = parser.feed(data);
      data.remove_prefix(r.consumed);
      if (r.event == ResponseParser::Event::Body) {
        if (r.body.data() < input.data() ||
            r.body.data() + r.body.size() > input.data() + input.size()) {
          __builtin_trap();
        }
        trace.append(r.body.data(), r.body.size());
      } else if (r.event == ResponseParser::Event::HeadReady) {
        trace += "<head " + std::to_string(parser.head().status) + ">";
      } else if (r.event == ResponseParser::Event::NeedMore) {
        break;
      } else {
        // Where the data stops after an error depends on the split; after Done it must not.
        const bool done = r.event == ResponseParser::Event::Done;
        return trace + "<end " + std::to_string(static_cast<int>(parser.error())) + "@" +
               std::to_string(parser.errorOffset()) + " " +
               std::to_string(done ? data.size() + input.size() - fed : 0) + ">";
      }
    }
    if (fed == input.size()) {
      break;
    }
  }
  const ResponseParser::FeedResult r = parser.finish();
  return trace + "<eof " + std::to_string(static_cast<int>(r.event)) + " " +
         std::to_string(static_cast<int>(parser.error())) + ">";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool head = (data[0] & 1) != 0;
  const std::size_t piece = 1 + (data[0] >> 1) % 16;
  if (run(input, input.size() + 1, head) != run(input, piece, head)) {
    __builtin_trap();
  }
  return 0;
}
