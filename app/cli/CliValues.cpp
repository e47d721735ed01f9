#include "app/cli/CliValues.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>
#include <optional>

namespace tributary::cli {
namespace {

constexpr std::size_t kMaxQuoted = 80;
constexpr std::uint64_t kMinPieceSize = 16 * 1024;
constexpr std::uint64_t kMaxPieceSize = 64 * 1024 * 1024;
constexpr std::size_t kMaxHostName = 253;

Error invalid(std::string_view option, std::string_view expected, std::string_view text) {
  std::string detail(option);
  detail += ": expected ";
  detail += expected;
  detail += ", got ";
  detail += quoted(text);
  return Error{ErrorCode::InvalidArgument, std::move(detail)};
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equalsNoCase(text.substr(0, prefix.size()), prefix);
}

bool endsWithNoCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         equalsNoCase(text.substr(text.size() - suffix.size()), suffix);
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isHexDigit(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool isControlOrSpace(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

// Plain decimal digits only: from_chars alone would let "-0" through for unsigned types
// on some libraries, and we never want a sign or blanks.
std::optional<std::uint64_t> parseDigits(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), isDigit)) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

enum class SizeStatus { Ok, Malformed, TooLarge };

// "512", "64K", "10m", "1G": the suffixes are 1024-based, as the help says.
SizeStatus parseSize(std::string_view text, std::uint64_t& out) {
  std::uint64_t multiplier = 1;
  if (!text.empty() && !isDigit(text.back())) {
    switch (lower(text.back())) {
      case 'k':
        multiplier = 1024;
        break;
      case 'm':
        multiplier = 1024 * 1024;
        break;
      case 'g':
        multiplier = 1024 * 1024 * 1024;
        break;
      default:
        return SizeStatus::Malformed;
    }
    text.remove_suffix(1);
  }
  if (text.empty() || !std::all_of(text.begin(), text.end(), isDigit)) {
    return SizeStatus::Malformed;
  }
  const auto value = parseDigits(text);
  if (!value || *value > std::numeric_limits<std::uint64_t>::max() / multiplier) {
    return SizeStatus::TooLarge;
  }
  out = *value * multiplier;
  return SizeStatus::Ok;
}

bool isHostName(std::string_view host) {
  return !host.empty() && host.size() <= kMaxHostName &&
         std::all_of(host.begin(), host.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' ||
                  c == '_';
         });
}

bool isIpv6Literal(std::string_view host) {
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(),
                     [](char c) { return isHexDigit(c) || c == ':' || c == '.'; });
}

// Dotted quad, each part 0 to 255 without leading zeros (which some parsers read as octal).
bool isIpv4Literal(std::string_view host) {
  for (int part = 0; part < 4; ++part) {
    const auto dot = host.find('.');
    if ((part < 3) != (dot != std::string_view::npos)) {
      return false;
    }
    const auto digits = host.substr(0, dot);
    const auto value = parseDigits(digits);
    if (!value || *value > 255 || (digits.size() > 1 && digits[0] == '0')) {
      return false;
    }
    host.remove_prefix(part < 3 ? dot + 1 : host.size());
  }
  return true;
}

}  // namespace

std::string quoted(std::string_view text) {
  std::string out = "'";
  std::size_t shown = 0;
  for (const char c : text) {
    if (shown++ == kMaxQuoted) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

Result<std::uint64_t> parseBoundedNumber(std::string_view option, std::string_view text,
                                         std::uint64_t min, std::uint64_t max) {
  const auto value = parseDigits(text);
  if (!value || *value < min || *value > max) {
    return invalid(option, "a number from " + std::to_string(min) + " to " + std::to_string(max),
                   text);
  }
  return *value;
}

Result<std::uint64_t> parseRate(std::string_view option, std::string_view text) {
  std::uint64_t rate = 0;
  switch (parseSize(text, rate)) {
    case SizeStatus::Ok:
      return rate;
    case SizeStatus::TooLarge:
      return invalid(option, "a rate below 16 EiB/s", text);
    case SizeStatus::Malformed:
      break;
  }
  return invalid(option, "bytes/s as a number with an optional K, M or G suffix", text);
}

Result<std::uint64_t> parseByteCount(std::string_view option, std::string_view text) {
  std::uint64_t bytes = 0;
  if (parseSize(text, bytes) == SizeStatus::Ok) {
    return bytes;
  }
  return invalid(option, "bytes as a number with an optional K, M or G suffix", text);
}

Result<std::uint64_t> parsePieceSize(std::string_view option, std::string_view text) {
  std::uint64_t size = 0;
  const bool ok = parseSize(text, size) == SizeStatus::Ok && size >= kMinPieceSize &&
                  size <= kMaxPieceSize && (size & (size - 1)) == 0;
  if (!ok) {
    return invalid(option, "a power of two from 16K to 64M", text);
  }
  return size;
}

Result<HostPort> parseHostPort(std::string_view option, std::string_view text) {
  const auto fail = [&] { return invalid(option, "HOST:PORT (IPv6 as [::1]:6881)", text); };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail();
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!isIpv6Literal(host)) {
      return fail();
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return fail();
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (!isHostName(host)) {  // also refuses a bare IPv6 literal: it needs brackets
      return fail();
    }
  }
  const auto portNumber = parseDigits(port);
  if (!portNumber || *portNumber == 0 || *portNumber > 65535) {
    return fail();
  }
  return HostPort{std::string(host), static_cast<std::uint16_t>(*portNumber)};
}

Result<std::string> parsePeerAddress(std::string_view option, std::string_view text) {
  auto parsed = parseHostPort(option, text);
  const bool ip =
      parsed && (isIpv4Literal(parsed.value().host) || isIpv6Literal(parsed.value().host));
  if (!ip) {
    return invalid(option, "IP:PORT (IPv6 as [::1]:6881)", text);
  }
  return std::string(text);
}

Result<Checksum> parseChecksum(std::string_view option, std::string_view text) {
  const auto fail = [&] {
    return invalid(option, "sha-1=HEX (40 hex digits) or sha-256=HEX (64 hex digits)", text);
  };
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    return fail();
  }
  const auto algorithm = text.substr(0, equals);
  const auto hex = text.substr(equals + 1);
  Checksum checksum;
  std::size_t digits = 0;
  if (equalsNoCase(algorithm, "sha-1") || equalsNoCase(algorithm, "sha1")) {
    checksum.algorithm = Checksum::Algorithm::Sha1;
    digits = 40;
  } else if (equalsNoCase(algorithm, "sha-256") || equalsNoCase(algorithm, "sha256")) {
    checksum.algorithm = Checksum::Algorithm::Sha256;
    digits = 64;
  } else {
    return fail();
  }
  if (hex.size() != digits || !std::all_of(hex.begin(), hex.end(), isHexDigit)) {
    return fail();
  }
  checksum.hex.reserve(hex.size());
  for (const char c : hex) {
    checksum.hex += lower(c);
  }
  return checksum;
}

Result<std::string> parseUrl(std::string_view option, std::string_view text,
                             std::initializer_list<std::string_view> schemes) {
  std::string expected = "a URL starting with ";
  std::size_t index = 0;
  for (const auto scheme : schemes) {
    if (index > 0) {
      expected += index + 1 == schemes.size() ? " or " : ", ";
    }
    expected += std::string(scheme) + "://";
    ++index;
  }
  for (const auto scheme : schemes) {
    const std::string prefix = std::string(scheme) + "://";
    if (!startsWithNoCase(text, prefix)) {
      continue;
    }
    const auto rest = text.substr(prefix.size());
    const auto authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.empty() || std::any_of(text.begin(), text.end(), isControlOrSpace)) {
      break;
    }
    return std::string(text);
  }
  return invalid(option, expected, text);
}

Result<std::string> parseNonEmpty(std::string_view option, std::string_view text) {
  if (text.empty()) {
    return Error{ErrorCode::InvalidArgument, std::string(option) + ": must not be empty"};
  }
  return std::string(text);
}

Result<CliSource> classifySource(std::string_view command, std::string_view text) {
  if (startsWithNoCase(text, "http://") || startsWithNoCase(text, "https://")) {
    auto url = parseUrl(command, text, {"http", "https"});
    if (!url) {
      return url.error();
    }
    return CliSource{std::move(url).value(), SourceType::HttpUrl};
  }
  if (startsWithNoCase(text, "magnet:")) {
    return CliSource{std::string(text), SourceType::Magnet};
  }
  if (text.size() > 8 && endsWithNoCase(text, ".torrent") &&
      text.find("://") == std::string_view::npos) {
    return CliSource{std::string(text), SourceType::TorrentFile};
  }
  return Error{ErrorCode::InvalidArgument,
               std::string(command) + ": " + quoted(text) +
                   " is not an http(s) URL, a magnet: URI or a .torrent file"};
}

}  // namespace tributary::cli
