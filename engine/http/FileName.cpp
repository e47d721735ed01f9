#include "engine/http/FileName.h"

#include <array>

#include "engine/codec/Utf8.h"
#include "engine/http/HttpText.h"

namespace tributary::http {

namespace {

// The longest extension kept whole when a name is cut to length; beyond that the
// "extension" is more likely a sentence with a dot in it.
constexpr std::size_t kMaxExtensionBytes = 32;
constexpr std::string_view kDefaultName = "download";

// Windows opens a device, not a file, for these names with any extension.
constexpr std::array<std::string_view, 26> kReservedNames = {
    "CON",  "PRN",  "AUX",  "NUL",  "COM0", "COM1", "COM2",   "COM3",   "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "LPT0", "LPT1",   "LPT2",   "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "CONIN$", "CONOUT$"};

bool isWindowsForbidden(std::int32_t cp) {
  switch (cp) {
    case '<':
    case '>':
    case ':':
    case '"':
    case '/':
    case '\\':
    case '|':
    case '?':
    case '*':
      return true;
    default:
      return false;
  }
}

bool isControl(std::int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Invisible direction controls let "photo\u202Egpj.exe" display as "photoexe.jpg".
bool isBidiControl(std::int32_t cp) {
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool isTrimmedAtStart(char c) {
  return c == '.' || c == ' ' || c == '\t';
}
bool isTrimmedAtEnd(char c) {
  return c == '.' || c == ' ' || c == '\t';
}

void trimEnds(std::string& s) {
  std::size_t begin = 0;
  while (begin < s.size() && isTrimmedAtStart(s[begin])) {
    ++begin;
  }
  s.erase(0, begin);
  while (!s.empty() && isTrimmedAtEnd(s.back())) {
    s.pop_back();
  }
}

bool isReservedName(std::string_view name) {
  std::string_view stem = name.substr(0, name.find('.'));
  while (!stem.empty() && stem.back() == ' ') {
    stem.remove_suffix(1);
  }
  for (const std::string_view reserved : kReservedNames) {
    if (equalsIgnoreCase(stem, reserved)) {
      return true;
    }
  }
  return false;
}

// The largest cut <= limit that does not split a UTF-8 sequence.
std::size_t utf8Boundary(std::string_view s, std::size_t limit) {
  if (limit >= s.size()) {
    return s.size();
  }
  while (limit > 0 && (static_cast<unsigned char>(s[limit]) & 0xC0) == 0x80) {
    --limit;
  }
  return limit;
}

void capLength(std::string& name) {
  if (name.size() <= kMaxFileNameBytes) {
    return;
  }
  std::string extension;
  const std::size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0 && name.size() - dot <= kMaxExtensionBytes) {
    extension = name.substr(dot);
    name.erase(dot);
  }
  name.erase(utf8Boundary(name, kMaxFileNameBytes - extension.size()));
  while (!name.empty() && isTrimmedAtEnd(name.back())) {
    name.pop_back();
  }
  name += extension;
}

std::string sanitize(std::string_view raw) {
  const std::size_t separator = raw.find_last_of("/\\");
  if (separator != std::string_view::npos) {
    raw.remove_prefix(separator + 1);
  }
  std::string out;
  out.reserve(raw.size());
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::int32_t cp = codec::decodeUtf8(raw, pos);
    if (cp < 0 || isControl(cp) || isWindowsForbidden(cp)) {
      out += '_';
    } else if (!isBidiControl(cp)) {
      codec::appendUtf8(out, cp);
    }
  }
  trimEnds(out);
  if (out.empty()) {
    return out;
  }
  if (isReservedName(out)) {
    out.insert(0, 1, '_');
  }
  capLength(out);
  trimEnds(out);
  return out;
}

}  // namespace

std::string sanitizeFileName(std::string name, std::string_view fallback) {
  std::string result = sanitize(name);
  if (result.empty()) {
    result = sanitize(fallback);
  }
  if (result.empty()) {
    result = kDefaultName;
  }
  return result;
}

}  // namespace tributary::http
