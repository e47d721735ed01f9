#include "engine/codec/Utf8.h"

namespace tributary::codec {

std::int32_t decodeUtf8(std::string_view text, std::size_t& pos) noexcept {
  const auto lead = static_cast<unsigned char>(text[pos]);
  ++pos;
  if (lead < 0x80) {
    return lead;
  }
  int extra = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1;
    cp = lead & 0x1F;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2;
    cp = lead & 0x0F;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3;
    cp = lead & 0x07;
    min = 0x10000;
  } else {
    return -1;  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  std::size_t p = pos;
  for (int k = 0; k < extra; ++k, ++p) {
    if (p >= text.size() || (static_cast<unsigned char>(text[p]) & 0xC0) != 0x80) {
      return -1;
    }
    cp = (cp << 6) | (static_cast<unsigned char>(text[p]) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  pos = p;
  return cp;
}

void appendUtf8(std::string& out, std::int32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isValidUtf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (decodeUtf8(text, pos) < 0) {
      return false;
    }
  }
  return true;
}

std::string latin1ToUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (const char c : text) {
    appendUtf8(out, static_cast<unsigned char>(c));
  }
  return out;
}

std::string printableUtf8(std::string_view text, std::size_t maxBytes) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int32_t cp = decodeUtf8(text, pos);
    if (cp < 0) {
      cp = 0xFFFD;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
      continue;
    }
    std::string encoded;
    appendUtf8(encoded, cp);
    if (out.size() + encoded.size() > maxBytes) {
      break;
    }
    out += encoded;
  }
  return out;
}

}  // namespace tributary::codec
