#include "engine/codec/HexBase32.h"

#include "engine/codec/PercentEncoding.h"

namespace tributary::codec {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32Value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if (c >= '2' && c <= '7') {
    return c - '2' + 26;
  }
  return -1;
}

// The text without its '=' padding, or nullopt when the padding is malformed: it may
// only trail, and only so far as to make the whole a multiple of 8 characters.
std::optional<std::string_view> stripBase32Padding(std::string_view text) {
  const std::size_t firstPad = text.find('=');
  if (firstPad == std::string_view::npos) {
    return text;
  }
  if (text.find_first_not_of('=', firstPad) != std::string_view::npos || text.size() % 8 != 0 ||
      text.size() - firstPad >= 8) {
    return std::nullopt;
  }
  return text.substr(0, firstPad);
}

// Output bytes for n base32 characters past a multiple of 8, or -1 if impossible.
int tailBytes(std::size_t n) noexcept {
  constexpr int kBytes[8] = {0, -1, 1, -1, 2, 3, -1, 4};
  return kBytes[n % 8];
}

bool decodeBase32Into(std::string_view text, std::uint8_t* out, std::size_t outSize) {
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t written = 0;
  for (const char c : text) {
    const int value = base32Value(c);
    if (value < 0) {
      return false;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (written == outSize) {
        return false;
      }
      out[written++] = static_cast<std::uint8_t>(buffer >> bits);
      buffer &= (1u << bits) - 1;
    }
  }
  // Leftover bits must be zero: otherwise two spellings would decode alike.
  return written == outSize && buffer == 0;
}

}  // namespace

std::string hexEncode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += kLowerHex[b >> 4];
    out += kLowerHex[b & 0x0F];
  }
  return out;
}

bool hexDecode(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() != out.size() * 2) {
    return false;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hexDigitValue(text[2 * i]);
    const int lo = hexDigitValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> hexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out(text.size() / 2);
  if (!hexDecode(text, out)) {
    return std::nullopt;
  }
  return out;
}

std::string base32Encode(std::span<const std::uint8_t> bytes, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 4) / 5 * 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1F];
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) {
    out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  }
  while (pad && out.size() % 8 != 0) {
    out += '=';
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base32Decode(std::string_view text) {
  const std::optional<std::string_view> body = stripBase32Padding(text);
  if (!body) {
    return std::nullopt;
  }
  const int tail = tailBytes(body->size());
  if (tail < 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out(body->size() / 8 * 5 + static_cast<std::size_t>(tail));
  if (!decodeBase32Into(*body, out.data(), out.size())) {
    return std::nullopt;
  }
  return out;
}

bool base32Decode(std::string_view text, std::span<std::uint8_t> out) {
  const std::optional<std::string_view> body = stripBase32Padding(text);
  if (!body || tailBytes(body->size()) < 0 ||
      body->size() / 8 * 5 + static_cast<std::size_t>(tailBytes(body->size())) != out.size()) {
    return false;
  }
  return decodeBase32Into(*body, out.data(), out.size());
}

}  // namespace tributary::codec
