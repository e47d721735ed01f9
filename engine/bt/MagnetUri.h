// Internal: magnet links (BEP 9, with BEP 53's "so" file selection): what a
// magnet tells us before we have the metadata, and the magnet we hand out for
// a torrent. The parser takes untrusted text (a paste, a drop, a command line)
// and never throws; what it keeps is bounded and every error names the
// parameter that caused it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

inline constexpr std::size_t kMaxMagnetUriBytes = 64 * 1024;
inline constexpr std::size_t kMaxMagnetNameBytes = 1024;
// Per list (trackers, web seeds, peers): further entries are dropped, not an error.
inline constexpr std::size_t kMaxMagnetListEntries = 100;

struct MagnetUri {
  util::Sha1::Digest infoHash{};
  // "dn": valid, printable UTF-8 of at most kMaxMagnetNameBytes; empty when absent.
  std::string displayName;
  // "tr": http(s) and udp URLs only, each once, in the magnet's order.
  std::vector<std::string> trackers;
  // "ws": http(s) URLs only, each once, in the magnet's order.
  std::vector<std::string> webSeeds;
  // "x.pe": "host:port" or "[v6]:port" as given (host may be a name), each once.
  std::vector<std::string> peers;
  // "so": inclusive ranges of file indices in the magnet's order ("0,2,4-6" is
  // {0,0},{2,2},{4,6}); empty means every file.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> selectOnly;

  friend bool operator==(const MagnetUri&, const MagnetUri&) = default;
};

// "magnet:?xt=urn:btih:<40 hex or 32 base32>&dn=...&tr=...". The scheme and
// parameter names are case-insensitive; numbered parameters ("xt.1", "tr.2")
// count as their base name; unknown parameters are ignored. Errors
// (ErrorCode::InvalidMagnet unless said otherwise): not a magnet, too long, no
// btih info-hash, a malformed or a second different btih, bad percent-encoding
// in a parameter we read, a malformed "so". A magnet with only a v2 info-hash
// (urn:btmh:) is ErrorCode::NotSupported; a hybrid one is used through its btih.
Result<MagnetUri> parseMagnetUri(std::string_view text);

// The magnet for a torrent: xt (lower-case hex), dn when the name is not
// empty, then tr, ws, x.pe and so. Values are percent-encoded (RFC 3986: all
// but the unreserved characters), so parseMagnetUri() gives back what went in.
std::string makeMagnetUri(const MagnetUri& magnet);
std::string makeMagnetUri(const util::Sha1::Digest& infoHash, std::string_view name,
                          std::span<const std::string> trackers = {},
                          std::span<const std::string> webSeeds = {});

}  // namespace tributary::bt
