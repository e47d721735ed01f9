// parseContentDisposition on any bytes, and the name it yields through
// sanitizeFileName: the result is always a safe, valid UTF-8 single path component.
// The other header-value parsers run on the same bytes for the sanitizers' sake.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/codec/Utf8.h"
#include "engine/http/ContentDisposition.h"
#include "engine/http/FileName.h"
#include "engine/http/HeaderValues.h"
#include "engine/http/SetCookie.h"

using namespace tributary::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<ContentDisposition> cd = parseContentDisposition(input);
  const std::string raw =
      cd && cd->preferredFilename() ? *cd->preferredFilename() : std::string(input);
  const std::string name = sanitizeFileName(raw, "fallback");
  if (name.empty() || name.size() > kMaxFileNameBytes || !tributary::codec::isValidUtf8(name) ||
      name.find_first_of(std::string_view("/\\\0<>:\"|?*", 10)) != std::string::npos ||
      name.front() == '.' || name.back() == '.' || name.back() == ' ' ||
      sanitizeFileName(name, "other") != name) {
    __builtin_trap();
  }
  const std::optional<ContentRange> range = parseContentRange(input);
  if (range && !range->unsatisfied && (range->first > range->last || range->length() == 0)) {
    __builtin_trap();
  }
  (void)parseEntityTag(input);
  (void)parseAcceptRanges(input);
  (void)parseSetCookie(input);
  return 0;
}
