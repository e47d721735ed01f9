#include "engine/codec/IpLiteral.h"

#include "engine/codec/PercentEncoding.h"

namespace tributary::codec {

namespace {

bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}

}  // namespace

bool isIpv4Literal(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t digits = 0;
    int value = 0;
    while (i < s.size() && isDigit(s[i]) && digits < 4) {
      value = value * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || value > 255) {
      return false;
    }
    ++parts;
    if (i == s.size()) {
      break;
    }
    if (s[i] != '.' || parts == 4) {
      return false;
    }
    ++i;
  }
  return parts == 4;
}

bool isIpv6Literal(std::string_view s) {
  if (s.empty() || s.size() > 45) {
    return false;
  }
  int groups = 0;
  bool sawDoubleColon = false;
  std::size_t i = 0;
  if (s.starts_with("::")) {
    sawDoubleColon = true;
    i = 2;
    if (i == s.size()) {
      return true;
    }
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && hexDigitValue(s[i]) >= 0 && i - start < 5) {
      ++i;
    }
    const std::size_t len = i - start;
    if (i < s.size() && s[i] == '.') {
      // Dotted IPv4 tail: counts as two groups and must end the address.
      if (!isIpv4Literal(s.substr(start))) {
        return false;
      }
      groups += 2;
      i = s.size();
      break;
    }
    if (len == 0 || len > 4) {
      return false;
    }
    ++groups;
    if (i == s.size()) {
      break;
    }
    if (s[i] != ':') {
      return false;
    }
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (sawDoubleColon) {
        return false;
      }
      sawDoubleColon = true;
      ++i;
      if (i == s.size()) {
        break;
      }
    } else if (i == s.size()) {
      return false;  // a single trailing ':'
    }
  }
  return sawDoubleColon ? groups <= 7 : groups == 8;
}

}  // namespace tributary::codec
