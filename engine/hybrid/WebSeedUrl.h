// Internal: where a web seed keeps the torrent's bytes. Pure functions of the
// seed's URL and the metainfo, unit-tested apart from the client.
//
// BEP 19 (GetRight style, url-list): for a single-file torrent a URL ending
// in '/' is a folder holding the file (its name is appended), any other URL
// is the file itself. For a multi-file torrent the URL is the folder that
// holds the torrent's top folder: URL + '/' (when missing) + name + '/' +
// path, each element percent-encoded. A query in the seed's URL (a CDN
// token) stays on every file's URL.
//
// BEP 17 (Hoffman style, httpseeds): "URL?info_hash=<20 bytes
// percent-encoded>&piece=<index>", '&' instead of '?' when the URL has a
// query already.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/bt/Metainfo.h"
#include "engine/codec/Url.h"

namespace tributary::hybrid {

// BEP 19: the URL of one file of the torrent.
codec::Url webSeedFileUrl(const codec::Url& seed, const bt::Metainfo& meta,
                          std::uint32_t fileIndex);

// BEP 17: the URL of one piece.
codec::Url httpSeedPieceUrl(const codec::Url& seed, const util::Sha1::Digest& infoHash,
                            std::uint32_t piece);

// One request of a BEP 19 fetch: a byte range of one file, or a padding file
// (BEP 47) whose zeros no server holds and which is made up locally.
struct WebSeedPart {
  std::uint32_t fileIndex = 0;
  std::uint64_t offset = 0;  // in the file
  std::uint64_t length = 0;
  bool padding = false;
};

// The torrent's bytes [offset, offset + length) as ranges of files, in
// torrent order: a range crossing file boundaries becomes one part per file
// (zero-length files left out). Empty when the range is empty or leaves the
// torrent.
std::vector<WebSeedPart> webSeedParts(const bt::Metainfo& meta, std::uint64_t offset,
                                      std::uint64_t length);

// BEP 17: a 503 answer's body is the number of seconds to wait before asking
// again (ASCII digits, maybe surrounded by whitespace). nullopt otherwise.
std::optional<std::chrono::seconds> parseRetryAfterSeconds(std::string_view text);

}  // namespace tributary::hybrid
