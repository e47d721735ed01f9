// parseUrl and resolveUrl on any bytes: no crash, and whatever parses serialises to
// a URL that parses back to the same value.
#include <cstdint>
#include <string_view>

#include "engine/codec/Url.h"

using namespace tributary::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  UrlParseError error;
  static const Url base = *parseUrl("http://user@example.com:8080/a/b/c;p?q", error);
  for (const std::optional<Url>& url : {parseUrl(input, error), resolveUrl(base, input, error)}) {
    if (!url) {
      continue;
    }
    const std::optional<Url> again = parseUrl(url->toString(), error);
    if (!again || !(*again == *url) || url->path.empty() || url->path[0] != '/' || url->port == 0) {
      __builtin_trap();
    }
    (void)fileNameFromUrl(*url);
  }
  return 0;
}
