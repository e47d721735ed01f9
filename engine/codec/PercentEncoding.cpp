#include "engine/codec/PercentEncoding.h"

namespace tributary::codec {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool isUnreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// The escape at text[i] ('%'), or -1 when it is not followed by two hex digits.
int escapeAt(std::string_view text, std::size_t i) noexcept {
  if (i + 2 >= text.size()) {
    return -1;
  }
  const int hi = hexDigitValue(text[i + 1]);
  const int lo = hexDigitValue(text[i + 2]);
  return (hi < 0 || lo < 0) ? -1 : hi * 16 + lo;
}

}  // namespace

int hexDigitValue(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int value = escapeAt(text, i);
    if (value < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::string percentDecodeLenient(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int value = text[i] == '%' ? escapeAt(text, i) : -1;
    if (value < 0) {
      out.push_back(text[i]);
      continue;
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::string percentEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (isUnreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 0x0F]);
    }
  }
  return out;
}

}  // namespace tributary::codec
