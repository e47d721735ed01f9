// Internal: the URLs of HTTP(S) tracker requests (BEP 3, BEP 23, BEP 48's
// scrape convention). Pure functions: no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/bt/TrackerTypes.h"

namespace tributary::bt {

// The announce URL with the announce parameters appended to its query (after
// any it already has, such as a passkey): info_hash and peer_id as raw bytes,
// percent-encoded; port, uploaded, downloaded, left; compact=1 and
// no_peer_id=1 when asked; event unless None; numwant unless negative; key
// as 8 hex digits; trackerid when known. InvalidArgument when announceUrl is
// not an absolute http(s) URL.
Result<std::string> buildAnnounceUrl(std::string_view announceUrl, const AnnounceParams& params);

// The scrape URL by the convention every tracker follows: when the last path
// segment begins with "announce", that word becomes "scrape"
// (".../announce.php?x" -> ".../scrape.php?x"); nullopt when it does not
// (the tracker has no scrape), or for a URL that is not http(s).
std::optional<std::string> scrapeUrlFor(std::string_view announceUrl);

// The scrape URL with one info_hash parameter per hash. InvalidArgument for
// an unusable URL or no hashes.
Result<std::string> buildScrapeUrl(std::string_view scrapeUrl,
                                   std::span<const InfoHashV1> infoHashes);

}  // namespace tributary::bt
