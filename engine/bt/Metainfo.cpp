// The whole .torrent: decoding, then the fields around the info dictionary
// (trackers, web seeds, texts). Those are advisory, so a malformed one is
// skipped rather than failing the torrent; only the info dictionary is strict.
#include "engine/bt/Metainfo.h"

#include <unordered_set>

#include "engine/bt/MetainfoParse.h"
#include "engine/codec/Utf8.h"

namespace tributary::bt {

namespace {

using codec::BencodeValue;

constexpr std::size_t kMaxUrlBytes = 4096;
constexpr std::size_t kMaxTextBytes = 64 * 1024;

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A URL as the torrent gives it, trimmed; nullopt when unusable (empty, too long,
// control characters that would break a request line).
std::optional<std::string> cleanUrl(std::string_view url) {
  while (!url.empty() && isAsciiSpace(url.front())) {
    url.remove_prefix(1);
  }
  while (!url.empty() && isAsciiSpace(url.back())) {
    url.remove_suffix(1);
  }
  if (url.empty() || url.size() > kMaxUrlBytes) {
    return std::nullopt;
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return std::nullopt;
    }
  }
  return std::string(url);
}

// Display text: invalid UTF-8 bytes become U+FFFD, and it is capped.
std::string displayText(std::string_view text) {
  text = text.substr(0, kMaxTextBytes);
  if (codec::isValidUtf8(text)) {
    return std::string(text);
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const std::int32_t c = codec::decodeUtf8(text, pos);
    if (c < 0) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

// A string or a list of strings (BEP 19 allows both), cleaned, each URL once.
std::vector<std::string> urlList(const BencodeValue& value) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  auto add = [&](const BencodeValue& item) {
    if (auto url = cleanUrl(item.asString().value_or(std::string_view()))) {
      if (seen.insert(*url).second) {
        out.push_back(std::move(*url));
      }
    }
  };
  if (value.isString()) {
    add(value);
  }
  for (const BencodeValue item : value.items()) {
    add(item);
  }
  return out;
}

// BEP 12: tiers in order, each URL kept once (its first place), empty tiers
// dropped; without a usable announce-list, "announce" is the one tier.
std::vector<std::vector<std::string>> trackerTiers(const BencodeValue& root) {
  std::vector<std::vector<std::string>> tiers;
  std::unordered_set<std::string> seen;
  for (const BencodeValue tier : root.findList("announce-list").items()) {
    std::vector<std::string> urls;
    auto add = [&](const BencodeValue& item) {
      if (auto url = cleanUrl(item.asString().value_or(std::string_view()))) {
        if (seen.insert(*url).second) {
          urls.push_back(std::move(*url));
        }
      }
    };
    // Some creators write a flat list of strings: each becomes its own tier.
    if (tier.isString()) {
      add(tier);
    }
    for (const BencodeValue item : tier.items()) {
      add(item);
    }
    if (!urls.empty()) {
      tiers.push_back(std::move(urls));
    }
  }
  if (tiers.empty()) {
    if (auto url = cleanUrl(root.findString("announce").value_or(std::string_view()))) {
      tiers.push_back({std::move(*url)});
    }
  }
  return tiers;
}

Result<codec::BencodeDocument> decodeTorrent(std::string_view bytes, const MetainfoLimits& limits) {
  if (bytes.size() > limits.maxInputBytes) {
    return detail::torrentError("file too large (" + std::to_string(bytes.size()) + " bytes)");
  }
  codec::BencodeLimits decodeLimits;
  decodeLimits.maxDepth = limits.maxDepth;
  decodeLimits.maxTokens = limits.maxTokens;
  codec::BencodeParseError error;
  std::optional<codec::BencodeDocument> document = codec::decodeBencode(bytes, error, decodeLimits);
  if (!document) {
    return detail::torrentError("bencode: " + error.message());
  }
  if (!document->root().isDict()) {
    return detail::torrentError("not a dictionary");
  }
  return std::move(*document);
}

}  // namespace

Result<Metainfo> parseMetainfo(std::string_view torrent, const MetainfoLimits& limits) {
  Result<codec::BencodeDocument> document = decodeTorrent(torrent, limits);
  if (!document) {
    return document.error();
  }
  const BencodeValue root = document.value().root();
  Metainfo out;
  if (Result<void> ok = detail::parseInfo(root.find("info"), limits, out); !ok) {
    return ok.error();
  }
  out.trackerTiers = trackerTiers(root);
  out.webSeeds = urlList(root.find("url-list"));
  out.httpSeeds = urlList(root.find("httpseeds"));
  out.comment = displayText(detail::preferUtf8(root, "comment").value_or(std::string_view()));
  out.createdBy = displayText(root.findString("created by").value_or(std::string_view()));
  out.creationDate = root.findInteger("creation date");
  return out;
}

Result<Metainfo> parseInfoDictionary(std::string_view info, const MetainfoLimits& limits) {
  Result<codec::BencodeDocument> document = decodeTorrent(info, limits);
  if (!document) {
    return document.error();
  }
  Metainfo out;
  if (Result<void> ok = detail::parseInfo(document.value().root(), limits, out); !ok) {
    return ok.error();
  }
  return out;
}

}  // namespace tributary::bt
