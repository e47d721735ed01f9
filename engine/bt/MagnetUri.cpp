#include "engine/bt/MagnetUri.h"

#include <algorithm>
#include <array>
#include <optional>

#include "engine/bt/TrackerUrl.h"
#include "engine/codec/HexBase32.h"
#include "engine/codec/IpLiteral.h"
#include "engine/codec/PercentEncoding.h"
#include "engine/codec/Url.h"
#include "engine/codec/Utf8.h"

namespace tributary::bt {

namespace {

constexpr std::string_view kScheme = "magnet:?";
constexpr std::size_t kMaxHostNameBytes = 253;  // RFC 1035 §2.3.4, without the trailing dot

Error invalid(std::string detail) {
  return Error{ErrorCode::InvalidMagnet, std::move(detail)};
}

char lowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view lowerB) {
  return a.size() == lowerB.size() && std::equal(a.begin(), a.end(), lowerB.begin(),
                                                 [](char x, char y) { return lowerAscii(x) == y; });
}

bool startsWithNoCase(std::string_view text, std::string_view lowerPrefix) {
  return text.size() >= lowerPrefix.size() &&
         equalsNoCase(text.substr(0, lowerPrefix.size()), lowerPrefix);
}

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view trimAsciiSpace(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && isAsciiSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// "xt.1" and "tr.2" (the numbered form of repeated parameters) count as "xt"
// and "tr"; "x.pe" keeps its dot because "pe" is not a number.
std::string_view baseName(std::string_view key) {
  const std::size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == key.size()) {
    return key;
  }
  const std::string_view suffix = key.substr(dot + 1);
  return std::all_of(suffix.begin(), suffix.end(), isDigit) ? key.substr(0, dot) : key;
}

// A URL goes on to trackers, HTTP requests and the GUI: no spaces, no controls.
bool hasNoSpaceOrControl(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
}

bool isTrackerUrl(std::string_view url) {
  if (!hasNoSpaceOrControl(url)) {
    return false;
  }
  switch (trackerSchemeOf(url)) {
    case TrackerScheme::Http:
    case TrackerScheme::Https: {
      codec::UrlParseError error;
      return codec::parseUrl(url, error).has_value();
    }
    case TrackerScheme::Udp:
      return parseUdpTrackerUrl(url).has_value();
    case TrackerScheme::Unsupported:
      break;
  }
  return false;
}

bool isWebSeedUrl(std::string_view url) {
  codec::UrlParseError error;
  return hasNoSpaceOrControl(url) && codec::parseUrl(url, error).has_value();
}

bool isPort(std::string_view text) {
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), isDigit)) {
    return false;
  }
  unsigned value = 0;
  for (const char c : text) {
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value >= 1 && value <= 65535;
}

// Letters, digits, '-' and '_' in dot-separated labels of 1 to 63 characters.
bool isHostName(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostNameBytes) {
    return false;
  }
  std::size_t label = 0;
  for (const char c : host) {
    if (c == '.') {
      if (label == 0) {
        return false;
      }
      label = 0;
      continue;
    }
    const bool ok =
        isDigit(c) || (lowerAscii(c) >= 'a' && lowerAscii(c) <= 'z') || c == '-' || c == '_';
    if (!ok || ++label > 63) {
      return false;
    }
  }
  return label > 0;
}

// BEP 9 x.pe: "hostname:port", "ipv4:port" or "[ipv6]:port".
bool isPeerAddress(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || !isPort(text.substr(colon + 1))) {
    return false;
  }
  const std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return codec::isIpv6Literal(host.substr(1, host.size() - 2));
  }
  return codec::isIpv4Literal(host) || isHostName(host);
}

// Valid UTF-8 without control characters, cut at a character boundary.
std::string cleanDisplayName(std::string_view text) {
  return codec::printableUtf8(text, kMaxMagnetNameBytes);
}

std::optional<std::uint32_t> parseIndex(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), isDigit)) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > UINT32_MAX) {
      return std::nullopt;
    }
  }
  return static_cast<std::uint32_t>(value);
}

// BEP 53: "0,2,4-6". Appends to out; false on any malformed element.
bool parseSelectOnly(std::string_view text,
                     std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) {
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t dash = item.find('-');
    const auto first = parseIndex(item.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parseIndex(item.substr(dash + 1));
    if (!first || !last || *last < *first) {
      return false;
    }
    out.emplace_back(*first, *last);
    if (comma == std::string_view::npos) {
      return true;
    }
    text.remove_prefix(comma + 1);
  }
}

void addUnique(std::vector<std::string>& list, std::string value) {
  if (list.size() < kMaxMagnetListEntries &&
      std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(std::move(value));
  }
}

class MagnetBuilder {
 public:
  Result<void> take(std::string_view key, std::string_view raw);
  Result<MagnetUri> finish() &&;

 private:
  Result<void> takeTopic(std::string_view topic);

  MagnetUri magnet_;
  bool hasV1_ = false;
  bool hasV2_ = false;
  bool hasName_ = false;
};

Result<void> MagnetBuilder::take(std::string_view key, std::string_view raw) {
  // The names we read; the error names the parameter by its base name.
  static constexpr std::array<std::string_view, 6> kKnown = {"xt", "dn", "tr", "ws", "x.pe", "so"};
  const auto known = std::find_if(kKnown.begin(), kKnown.end(),
                                  [key](std::string_view name) { return equalsNoCase(key, name); });
  if (known == kKnown.end()) {
    return {};
  }
  const std::string_view name = *known;
  // Names are often form-encoded ("dn=Big+Buck+Bunny"); URLs keep a '+' as it is.
  std::string spaced;
  if (name == "dn") {
    spaced.assign(raw);
    std::replace(spaced.begin(), spaced.end(), '+', ' ');
    raw = spaced;
  }
  std::optional<std::string> value = codec::percentDecode(raw);
  if (!value) {
    return invalid("bad percent-encoding in '" + std::string(name) + "'");
  }
  if (name == "xt") {
    return takeTopic(*value);
  }
  if (name == "dn") {
    if (!hasName_) {
      magnet_.displayName = cleanDisplayName(*value);
      hasName_ = true;
    }
  } else if (name == "tr") {
    if (isTrackerUrl(*value)) {
      addUnique(magnet_.trackers, std::move(*value));
    }
  } else if (name == "ws") {
    if (isWebSeedUrl(*value)) {
      addUnique(magnet_.webSeeds, std::move(*value));
    }
  } else if (name == "x.pe") {
    if (isPeerAddress(*value)) {
      addUnique(magnet_.peers, std::move(*value));
    }
  } else if (name == "so" && !parseSelectOnly(*value, magnet_.selectOnly)) {
    return invalid("'so' must list file indices and ranges, like so=0,2,4-6");
  }
  return {};
}

Result<void> MagnetBuilder::takeTopic(std::string_view topic) {
  if (startsWithNoCase(topic, "urn:btmh:")) {
    hasV2_ = true;  // the v1 hash of a hybrid magnet is all we use
    return {};
  }
  if (!startsWithNoCase(topic, "urn:btih:")) {
    return {};  // another network's hash (urn:sha1:, urn:ed2k:...) beside ours
  }
  const std::string_view text = topic.substr(9);
  std::array<std::uint8_t, 20> bytes{};
  const bool decoded = (text.size() == 40 && codec::hexDecode(text, bytes)) ||
                       (text.size() == 32 && codec::base32Decode(text, bytes));
  if (!decoded) {
    return invalid("'xt' info-hash must be 40 hex or 32 base32 characters");
  }
  util::Sha1::Digest hash{};
  std::transform(bytes.begin(), bytes.end(), hash.begin(),
                 [](std::uint8_t b) { return static_cast<std::byte>(b); });
  if (hasV1_ && hash != magnet_.infoHash) {
    return invalid("the magnet link has two different info-hashes (xt=urn:btih:...)");
  }
  magnet_.infoHash = hash;
  hasV1_ = true;
  return {};
}

Result<MagnetUri> MagnetBuilder::finish() && {
  if (!hasV1_) {
    if (hasV2_) {
      return Error{ErrorCode::NotSupported, "BitTorrent v2-only magnets are not supported"};
    }
    return invalid("the magnet link has no info-hash (xt=urn:btih:...)");
  }
  return std::move(magnet_);
}

}  // namespace

Result<MagnetUri> parseMagnetUri(std::string_view text) {
  text = trimAsciiSpace(text);
  if (text.size() > kMaxMagnetUriBytes) {
    return invalid("the magnet link is longer than 64 KiB");
  }
  if (!startsWithNoCase(text, kScheme)) {
    return invalid("not a magnet link (it must start with \"magnet:?\")");
  }
  std::string_view query = text.substr(kScheme.size());
  MagnetBuilder builder;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) {
      continue;  // every parameter we read has a value
    }
    if (Result<void> taken = builder.take(baseName(param.substr(0, eq)), param.substr(eq + 1));
        !taken) {
      return taken.error();
    }
  }
  return std::move(builder).finish();
}

std::string makeMagnetUri(const MagnetUri& magnet) {
  std::string out(kScheme);
  out += "xt=urn:btih:";
  out += util::toHex(magnet.infoHash);
  if (!magnet.displayName.empty()) {
    out += "&dn=" + codec::percentEncode(magnet.displayName);
  }
  const auto appendAll = [&out](std::string_view key, const std::vector<std::string>& values) {
    for (const std::string& value : values) {
      out += '&';
      out += key;
      out += '=';
      out += codec::percentEncode(value);
    }
  };
  appendAll("tr", magnet.trackers);
  appendAll("ws", magnet.webSeeds);
  appendAll("x.pe", magnet.peers);
  if (!magnet.selectOnly.empty()) {
    out += "&so=";
    for (std::size_t i = 0; i < magnet.selectOnly.size(); ++i) {
      const auto [first, last] = magnet.selectOnly[i];
      out += (i == 0 ? "" : ",") + std::to_string(first);
      if (last != first) {
        out += '-' + std::to_string(last);
      }
    }
  }
  return out;
}

std::string makeMagnetUri(const util::Sha1::Digest& infoHash, std::string_view name,
                          std::span<const std::string> trackers,
                          std::span<const std::string> webSeeds) {
  MagnetUri magnet;
  magnet.infoHash = infoHash;
  magnet.displayName = std::string(name);
  magnet.trackers.assign(trackers.begin(), trackers.end());
  magnet.webSeeds.assign(webSeeds.begin(), webSeeds.end());
  return makeMagnetUri(magnet);
}

}  // namespace tributary::bt
