#include "engine/bt/TrackerText.h"

#include <cstdint>
#include <cstdio>

#include "engine/codec/Utf8.h"

namespace tributary::bt {

namespace {

bool mustEscape(std::int32_t cp) {
  if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
    return true;  // C0, DEL, C1
  }
  // LRE..RLO, LRI..PDI, and the marks: they reorder the text around them.
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
         cp == 0x200f || cp == 0x061c;
}

std::string hexEscape(const char* prefix, std::uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%s%0*x", prefix, digits, static_cast<unsigned>(value));
  return buffer;
}

}  // namespace

std::string escapeTrackerText(std::string_view raw, std::size_t maxBytes) {
  constexpr std::string_view kCut = "...";
  const std::size_t cutBudget = maxBytes >= kCut.size() ? maxBytes - kCut.size() : 0;
  std::string out;
  std::size_t cutAt = 0;  // the last piece boundary that leaves room for the cut mark
  std::size_t pos = 0;
  // Stops as soon as the output is known to be too long, so a huge input costs
  // no more than maxBytes of work past the cut.
  while (pos < raw.size() && out.size() <= maxBytes) {
    const std::size_t start = pos;
    const std::int32_t cp = codec::decodeUtf8(raw, pos);
    if (cp < 0) {
      pos = start + 1;
      out += hexEscape("\\x", static_cast<unsigned char>(raw[start]), 2);
    } else if (cp == '\\') {
      out += "\\\\";
    } else if (mustEscape(cp)) {
      out += cp < 0x100 ? hexEscape("\\x", static_cast<std::uint32_t>(cp), 2)
                        : hexEscape("\\u", static_cast<std::uint32_t>(cp), 4);
    } else {
      out.append(raw.substr(start, pos - start));
    }
    if (out.size() <= cutBudget) {
      cutAt = out.size();
    }
  }
  if (pos >= raw.size() && out.size() <= maxBytes) {
    return out;
  }
  out.resize(cutAt);
  if (maxBytes >= kCut.size()) {
    out += kCut;
  }
  return out;
}

}  // namespace tributary::bt
