// Internal: Content-Disposition (RFC 6266) with RFC 8187 (ex-5987) filename*.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary::http {

struct ContentDisposition {
  std::string type;  // lower-case ("attachment", "inline"), empty when the server left it out
  // filename="...": unquoted, as UTF-8 (bytes that are not UTF-8 are read as Latin-1).
  std::optional<std::string> filename;
  // filename*=UTF-8''...: percent-decoded to UTF-8; absent when its charset is not
  // UTF-8 or ISO-8859-1 or it does not decode cleanly.
  std::optional<std::string> filenameExt;

  // filename* wins over filename when both are usable (RFC 6266 §4.3). Either still
  // goes through sanitizeFileName() before it names a file.
  const std::optional<std::string>& preferredFilename() const noexcept {
    return filenameExt ? filenameExt : filename;
  }
};

// Parses leniently where servers are commonly sloppy (unquoted names with spaces, a
// missing type, a quoted filename*) and ignores parameters it cannot read. nullopt
// only when the value holds nothing usable (empty, or a type that is not a token).
std::optional<ContentDisposition> parseContentDisposition(std::string_view value);

// RFC 8187 ext-value: charset'language'pct-encoded, decoded to UTF-8.
std::optional<std::string> decodeExtValue(std::string_view value);

}  // namespace tributary::http
