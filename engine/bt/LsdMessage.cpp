#include "engine/bt/LsdMessage.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "engine/codec/HexBase32.h"

namespace tributary::bt {

namespace {

constexpr std::string_view kRequestLine = "BT-SEARCH * HTTP/1.1";
constexpr std::size_t kHexLength = 40;

Error malformed(std::string reason) {
  return Error{ErrorCode::ProtocolError, "LSD announce: " + std::move(reason)};
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Printable ASCII only: host and cookie end up in logs and in our own datagrams.
std::string printable(std::string_view text, std::size_t cap) {
  std::string out;
  for (char c : text) {
    if (out.size() == cap) {
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

bool isPrintable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Splits off the next line (without its CRLF or LF); false when none is left.
bool nextLine(std::string_view& rest, std::string_view& line) {
  if (rest.empty()) {
    return false;
  }
  const std::size_t lf = rest.find('\n');
  if (lf == std::string_view::npos) {
    line = rest;  // the last line may lack its end
    rest = {};
  } else {
    line = rest.substr(0, lf);
    rest.remove_prefix(lf + 1);
  }
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return true;
}

}  // namespace

std::string encodeLsdAnnounce(std::string_view host, std::uint16_t port,
                              std::span<const util::Sha1::Digest> infoHashes,
                              std::string_view cookie) {
  std::string out;
  out.reserve(kLsdMaxDatagram);
  out.append(kRequestLine).append("\r\nHost: ").append(printable(host, kLsdMaxHost));
  out.append("\r\nPort: ").append(std::to_string(port)).append("\r\n");
  const std::size_t count = std::min(infoHashes.size(), kLsdMaxInfoHashesPerAnnounce);
  for (std::size_t i = 0; i < count; ++i) {
    out.append("Infohash: ").append(util::toHex(infoHashes[i])).append("\r\n");
  }
  const std::string cookieText = printable(cookie, kLsdMaxCookie);
  if (!cookieText.empty()) {
    out.append("cookie: ").append(cookieText).append("\r\n");
  }
  out.append("\r\n\r\n");
  return out;
}

Result<LsdAnnounce> parseLsdAnnounce(std::span<const std::byte> datagram, LsdLimits limits) {
  if (datagram.size() > limits.maxDatagram) {
    return malformed("datagram of " + std::to_string(datagram.size()) + " bytes, over " +
                     std::to_string(limits.maxDatagram));
  }
  std::string_view rest(reinterpret_cast<const char*>(datagram.data()), datagram.size());
  std::string_view line;
  if (!nextLine(rest, line) || line != kRequestLine) {
    return malformed("not a BT-SEARCH request");
  }
  LsdAnnounce out;
  bool sawPort = false;
  bool sawHost = false;
  bool sawCookie = false;
  std::size_t lineNumber = 1;
  while (nextLine(rest, line)) {
    ++lineNumber;
    if (line.empty()) {
      break;  // end of the headers; what follows (BEP 14's second blank line) is not ours
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return malformed("line " + std::to_string(lineNumber) + " is not a header");
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Port")) {
      unsigned number = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (sawPort || value.empty() || ec != std::errc() || end != value.data() + value.size() ||
          number == 0 || number > 65535) {
        return malformed(sawPort ? "Port repeated" : "Port is not a number in 1-65535");
      }
      out.port = static_cast<std::uint16_t>(number);
      sawPort = true;
    } else if (iequals(name, "Infohash")) {
      util::Sha1::Digest hash{};
      if (value.size() != kHexLength ||
          !codec::hexDecode(value,
                            std::span(reinterpret_cast<std::uint8_t*>(hash.data()), hash.size()))) {
        continue;  // one bad hash does not spoil the others
      }
      if (out.infoHashes.size() < limits.maxInfoHashes &&
          std::find(out.infoHashes.begin(), out.infoHashes.end(), hash) == out.infoHashes.end()) {
        out.infoHashes.push_back(hash);
      }
    } else if (iequals(name, "Host")) {
      if (sawHost || value.size() > kLsdMaxHost || !isPrintable(value)) {
        return malformed("Host repeated, too long or not printable");
      }
      out.host.assign(value);
      sawHost = true;
    } else if (iequals(name, "cookie")) {
      if (sawCookie || value.size() > kLsdMaxCookie || !isPrintable(value)) {
        return malformed("cookie repeated, too long or not printable");
      }
      out.cookie.assign(value);
      sawCookie = true;
    }
  }
  if (!sawPort) {
    return malformed("no Port");
  }
  if (out.infoHashes.empty()) {
    return malformed("no valid Infohash");
  }
  return out;
}

}  // namespace tributary::bt
