#include "engine/hybrid/WebSeedUrl.h"

#include <algorithm>

#include "engine/codec/PercentEncoding.h"

namespace tributary::hybrid {

codec::Url webSeedFileUrl(const codec::Url& seed, const bt::Metainfo& meta,
                          std::uint32_t fileIndex) {
  codec::Url url = seed;
  if (fileIndex >= meta.files.size()) {
    return url;
  }
  const bool folder = !url.path.empty() && url.path.back() == '/';
  if (!meta.multiFile && !folder) {
    return url;  // the URL is the file
  }
  if (!folder) {
    url.path += '/';
  }
  // The metainfo's path is "name" (single file) or "name/dir/file": the
  // elements BEP 19 appends, already sanitised, encoded one by one.
  const std::string_view path = meta.files[fileIndex].path;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    url.path += codec::percentEncode(path.substr(start, slash - start));
    if (slash < path.size()) {
      url.path += '/';
    }
    start = slash + 1;
  }
  return url;
}

codec::Url httpSeedPieceUrl(const codec::Url& seed, const util::Sha1::Digest& infoHash,
                            std::uint32_t piece) {
  codec::Url url = seed;
  const std::string_view hash(reinterpret_cast<const char*>(infoHash.data()), infoHash.size());
  std::string query = url.query && !url.query->empty() ? *url.query + "&" : std::string();
  query += "info_hash=" + codec::percentEncode(hash) + "&piece=" + std::to_string(piece);
  url.query = std::move(query);
  return url;
}

std::vector<WebSeedPart> webSeedParts(const bt::Metainfo& meta, std::uint64_t offset,
                                      std::uint64_t length) {
  std::vector<WebSeedPart> parts;
  const auto total = static_cast<std::uint64_t>(meta.totalLength);
  if (length == 0 || offset >= total || length > total - offset) {
    return parts;
  }
  const auto begin = static_cast<std::int64_t>(offset);
  const auto end = static_cast<std::int64_t>(offset + length);
  for (const bt::FileSlice& slice : meta.mapRange(begin, end - begin)) {
    WebSeedPart part;
    part.fileIndex = slice.fileIndex;
    part.offset = static_cast<std::uint64_t>(slice.offsetInFile);
    part.length = static_cast<std::uint64_t>(slice.length);
    part.padding = meta.files[slice.fileIndex].padding;
    parts.push_back(part);
  }
  return parts;
}

std::optional<std::chrono::seconds> parseRetryAfterSeconds(std::string_view text) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && isSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && isSpace(text.back())) {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 9) {
    return std::nullopt;  // nine digits: over 31 years, enough for any real answer
  }
  std::int64_t seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

}  // namespace tributary::hybrid
