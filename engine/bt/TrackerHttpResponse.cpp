#include "engine/bt/TrackerHttpResponse.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "engine/bt/TrackerCompactPeers.h"
#include "engine/bt/TrackerText.h"
#include "engine/codec/Bencode.h"

namespace tributary::bt {

namespace {

Error malformed(const std::string& what) {
  return Error{ErrorCode::ProtocolError, "tracker response: " + what};
}

// Decodes the body and applies what every tracker answer shares: the size
// cap, a dictionary root, and "failure reason".
Result<codec::BencodeDocument> decodeTrackerBody(std::string_view body,
                                                 const TrackerResponseLimits& limits) {
  if (body.size() > limits.maxBodyBytes) {
    return malformed("a body of " + std::to_string(body.size()) + " bytes is over the " +
                     std::to_string(limits.maxBodyBytes) + "-byte limit");
  }
  codec::BencodeLimits bencode;
  bencode.maxDepth = 32;  // the deepest real answer (scrape) is 3 levels
  codec::BencodeParseError error;
  std::optional<codec::BencodeDocument> document = codec::decodeBencode(body, error, bencode);
  if (!document) {
    return malformed("bencode: " + error.message());
  }
  const codec::BencodeValue root = document->root();
  if (!root.isDict()) {
    return malformed("not a dictionary");
  }
  if (const codec::BencodeValue failure = root.find("failure reason")) {
    const std::optional<std::string_view> text = failure.asString();
    return Error{ErrorCode::TrackerError,
                 "tracker: " + (text && !text->empty() ? escapeTrackerText(*text)
                                                       : std::string("(no reason given)"))};
  }
  return std::move(*document);
}

std::optional<std::int64_t> nonNegative(const codec::BencodeValue& dict, std::string_view key) {
  const std::optional<std::int64_t> value = dict.findInteger(key);
  return value && *value >= 0 ? value : std::nullopt;
}

// "interval"/"min interval": absent is fine, anything but a non-negative integer is not.
Result<std::optional<std::chrono::seconds>> readInterval(const codec::BencodeValue& root,
                                                         std::string_view key) {
  const codec::BencodeValue value = root.find(key);
  if (!value) {
    return std::optional<std::chrono::seconds>{};
  }
  const std::optional<std::int64_t> seconds = value.asInteger();
  if (!seconds || *seconds < 0) {
    return malformed("\"" + std::string(key) + "\" is not a non-negative integer");
  }
  return std::optional<std::chrono::seconds>(std::chrono::seconds(*seconds));
}

std::span<const std::byte> asBytes(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

void addDictionaryPeer(const codec::BencodeValue& item, std::vector<TrackerPeer>& out) {
  const std::optional<std::string_view> ip = item.findString("ip");
  const std::optional<std::int64_t> port = item.findInteger("port");
  if (!ip || !port || *port <= 0 || *port > 65535) {
    return;
  }
  const std::optional<loop::SocketAddress> address =
      loop::SocketAddress::parse(*ip, static_cast<std::uint16_t>(*port));
  if (!address || address->isUnspecified()) {
    return;  // a host name, or garbage: we do not resolve names a tracker hands out
  }
  TrackerPeer peer{*address, std::nullopt};
  if (const std::optional<std::string_view> id = item.findString("peer id");
      id && id->size() == std::tuple_size_v<PeerId>) {
    PeerId peerId{};
    std::memcpy(peerId.data(), id->data(), peerId.size());
    peer.peerId = peerId;
  }
  out.push_back(std::move(peer));
}

Result<void> readPeers(const codec::BencodeValue& root, std::size_t maxPeers,
                       std::vector<TrackerPeer>& out) {
  if (const codec::BencodeValue peers = root.find("peers")) {
    if (const std::optional<std::string_view> compact = peers.asString()) {
      if (!appendCompactPeers(asBytes(*compact), loop::SocketAddress::Family::V4, out)) {
        return malformed("a compact \"peers\" string of " + std::to_string(compact->size()) +
                         " bytes (not a multiple of 6)");
      }
    } else if (peers.isList()) {
      for (const codec::BencodeValue item : peers.items()) {
        if (out.size() >= maxPeers) {
          break;
        }
        if (item.isDict()) {
          addDictionaryPeer(item, out);
        }
      }
    } else {
      return malformed("\"peers\" is neither a string nor a list");
    }
  }
  if (const codec::BencodeValue peers6 = root.find("peers6")) {
    const std::optional<std::string_view> compact = peers6.asString();
    if (!compact) {
      return malformed("\"peers6\" is not a string");
    }
    if (!appendCompactPeers(asBytes(*compact), loop::SocketAddress::Family::V6, out)) {
      return malformed("a compact \"peers6\" string of " + std::to_string(compact->size()) +
                       " bytes (not a multiple of 18)");
    }
  }
  if (out.size() > maxPeers) {
    out.resize(maxPeers);
  }
  return {};
}

}  // namespace

Result<AnnounceResponse> parseHttpAnnounceResponse(std::string_view body,
                                                   const TrackerResponseLimits& limits) {
  Result<codec::BencodeDocument> document = decodeTrackerBody(body, limits);
  if (!document) {
    return document.error();
  }
  const codec::BencodeValue root = document.value().root();
  AnnounceResponse response;
  auto interval = readInterval(root, "interval");
  if (!interval) {
    return interval.error();
  }
  auto minInterval = readInterval(root, "min interval");
  if (!minInterval) {
    return minInterval.error();
  }
  response.interval = interval.value();
  response.minInterval = minInterval.value();
  if (Result<void> peers = readPeers(root, limits.maxPeers, response.peers); !peers) {
    return peers.error();
  }
  if (const std::optional<std::string_view> id = root.findString("tracker id");
      id && id->size() <= kMaxTrackerIdBytes) {
    response.trackerId = std::string(*id);
  }
  response.seeders = nonNegative(root, "complete");
  response.leechers = nonNegative(root, "incomplete");
  response.downloaded = nonNegative(root, "downloaded");
  if (const std::optional<std::string_view> warning = root.findString("warning message")) {
    response.warning = escapeTrackerText(*warning);
  }
  return response;
}

Result<std::vector<std::pair<InfoHashV1, ScrapeInfo>>> parseHttpScrapeResponse(
    std::string_view body, const TrackerResponseLimits& limits) {
  Result<codec::BencodeDocument> document = decodeTrackerBody(body, limits);
  if (!document) {
    return document.error();
  }
  const codec::BencodeValue files = document.value().root().findDict("files");
  if (!files) {
    return malformed("no \"files\" dictionary in a scrape answer");
  }
  std::vector<std::pair<InfoHashV1, ScrapeInfo>> out;
  for (const codec::BencodeEntry entry : files.entries()) {
    if (out.size() >= limits.maxScrapeEntries) {
      break;
    }
    if (entry.key.size() != std::tuple_size_v<InfoHashV1> || !entry.value.isDict()) {
      continue;
    }
    InfoHashV1 hash{};
    std::memcpy(hash.data(), entry.key.data(), hash.size());
    ScrapeInfo info;
    info.seeders = nonNegative(entry.value, "complete").value_or(0);
    info.completed = nonNegative(entry.value, "downloaded").value_or(0);
    info.leechers = nonNegative(entry.value, "incomplete").value_or(0);
    out.emplace_back(hash, info);
  }
  return out;
}

}  // namespace tributary::bt
