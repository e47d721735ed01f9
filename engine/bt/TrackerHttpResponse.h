// Internal: HTTP(S) tracker answers (BEP 3, BEP 23 compact, BEP 7 IPv6, BEP 48
// scrape), parsed from an untrusted bencoded body. Pure functions with limits:
// the body is refused past maxBodyBytes before it is decoded, every length is
// checked, and text is escaped and capped (TrackerText.h).
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/TrackerTypes.h"

namespace tributary::bt {

struct TrackerResponseLimits {
  std::size_t maxBodyBytes = kMaxTrackerBodyBytes;
  // Peers kept from one answer; the rest are dropped (a swarm needs far fewer).
  std::size_t maxPeers = 2000;
  std::size_t maxScrapeEntries = 1000;
};

// Success, or:
// - TrackerError: the tracker sent "failure reason" (its text, escaped, in the detail);
// - ProtocolError: a body over the cap, bencode that does not decode, a root
//   that is not a dictionary, "peers" that is neither a string nor a list,
//   "peers6" that is not a string, a compact list whose length is not a
//   multiple of 6 (IPv4) or 18 (IPv6), an interval or min interval that is
//   not a non-negative integer.
// Dictionary peers without a usable "ip" literal or "port" are skipped, and
// a "peer id" that is not 20 bytes is dropped; host names are not resolved.
// Counts (complete, incomplete, downloaded) that are not non-negative
// integers are left out, as is a tracker id over kMaxTrackerIdBytes.
Result<AnnounceResponse> parseHttpAnnounceResponse(std::string_view body,
                                                   const TrackerResponseLimits& limits = {});

// The "files" dictionary of a scrape answer: one entry per 20-byte key, in
// the body's order; entries whose key is not 20 bytes or whose value is not
// a dictionary are skipped. Errors as above (no "files" dictionary is a
// ProtocolError).
Result<std::vector<std::pair<InfoHashV1, ScrapeInfo>>> parseHttpScrapeResponse(
    std::string_view body, const TrackerResponseLimits& limits = {});

}  // namespace tributary::bt
