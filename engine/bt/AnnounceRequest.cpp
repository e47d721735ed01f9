#include "engine/bt/AnnounceRequest.h"

#include <cstdio>

#include "engine/codec/PercentEncoding.h"
#include "engine/codec/Url.h"

namespace tributary::bt {

namespace {

std::string_view bytesView(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The URL as given, with its query opened for more parameters.
Result<std::string> withQueryOpen(std::string_view url, std::string_view what) {
  Result<codec::Url> parsed = codec::parseUrl(url);
  if (!parsed) {
    return Error{ErrorCode::InvalidArgument, std::string(what) + " URL: " + parsed.error().detail};
  }
  // Userinfo never goes into a request line (HttpGetter sends none either).
  std::string out = parsed.value().toString(false);
  const std::optional<std::string>& query = parsed.value().query;
  if (!query) {
    out += '?';
  } else if (!query->empty() && query->back() != '&') {
    out += '&';
  }
  return out;
}

}  // namespace

std::string_view announceEventName(AnnounceEvent event) noexcept {
  switch (event) {
    case AnnounceEvent::Started:
      return "started";
    case AnnounceEvent::Completed:
      return "completed";
    case AnnounceEvent::Stopped:
      return "stopped";
    case AnnounceEvent::None:
      break;
  }
  return "";
}

Result<std::string> buildAnnounceUrl(std::string_view announceUrl, const AnnounceParams& params) {
  Result<std::string> base = withQueryOpen(announceUrl, "announce");
  if (!base) {
    return base;
  }
  std::string out = std::move(base.value());
  out += "info_hash=" + codec::percentEncode(bytesView(params.infoHash));
  out += "&peer_id=" + codec::percentEncode(bytesView(params.peerId));
  out += "&port=" + std::to_string(params.port);
  out += "&uploaded=" + std::to_string(params.uploaded);
  out += "&downloaded=" + std::to_string(params.downloaded);
  out += "&left=" + std::to_string(params.left);
  if (params.compact) {
    out += "&compact=1";
  }
  if (params.noPeerId) {
    out += "&no_peer_id=1";
  }
  if (params.event != AnnounceEvent::None) {
    out += "&event=";
    out += announceEventName(params.event);
  }
  if (params.numWant >= 0) {
    out += "&numwant=" + std::to_string(params.numWant);
  }
  char key[9];
  std::snprintf(key, sizeof key, "%08x", static_cast<unsigned>(params.key));
  out += "&key=";
  out += key;
  if (!params.trackerId.empty()) {
    out += "&trackerid=" + codec::percentEncode(params.trackerId);
  }
  return out;
}

std::optional<std::string> scrapeUrlFor(std::string_view announceUrl) {
  codec::UrlParseError error;
  std::optional<codec::Url> url = codec::parseUrl(announceUrl, error);
  if (!url) {
    return std::nullopt;
  }
  constexpr std::string_view kAnnounce = "announce";
  const std::size_t slash = url->path.rfind('/');
  const std::size_t segment = slash == std::string::npos ? 0 : slash + 1;
  if (url->path.compare(segment, kAnnounce.size(), kAnnounce) != 0) {
    return std::nullopt;
  }
  url->path.replace(segment, kAnnounce.size(), "scrape");
  return url->toString();
}

Result<std::string> buildScrapeUrl(std::string_view scrapeUrl,
                                   std::span<const InfoHashV1> infoHashes) {
  if (infoHashes.empty()) {
    return Error{ErrorCode::InvalidArgument, "a scrape needs at least one info-hash"};
  }
  Result<std::string> base = withQueryOpen(scrapeUrl, "scrape");
  if (!base) {
    return base;
  }
  std::string out = std::move(base.value());
  bool first = true;
  for (const InfoHashV1& hash : infoHashes) {
    out += first ? "" : "&";
    out += "info_hash=" + codec::percentEncode(bytesView(hash));
    first = false;
  }
  return out;
}

}  // namespace tributary::bt
