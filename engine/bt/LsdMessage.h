// Internal: the Local Service Discovery announce (BEP 14), an HTTP-like
// request sent by UDP multicast to the local network:
//
//   BT-SEARCH * HTTP/1.1\r\n
//   Host: 239.192.152.143:6771\r\n
//   Port: <our BitTorrent port>\r\n
//   Infohash: <40 hex>\r\n          (one or several, consecutive)
//   cookie: <ours>\r\n               (lets us ignore our own announces)
//   \r\n\r\n
//
// The parser takes datagrams from anyone on the network: it is a pure
// function that bounds everything before use, allocates at most what the
// limits allow, and ignores headers it does not know (forward compatibility).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

inline constexpr std::string_view kLsdGroupV4 = "239.192.152.143";
inline constexpr std::string_view kLsdGroupV6 = "ff15::efc0:988f";
inline constexpr std::uint16_t kLsdPort = 6771;
inline constexpr std::string_view kLsdHostV4 = "239.192.152.143:6771";
inline constexpr std::string_view kLsdHostV6 = "[ff15::efc0:988f]:6771";

// BEP 14: "the packet length should not exceed 1400 bytes" (no fragments).
inline constexpr std::size_t kLsdMaxDatagram = 1400;
// What we put in one announce: with the longest host and cookie we accept it
// still fits kLsdMaxDatagram (each Infohash line is 52 bytes).
inline constexpr std::size_t kLsdMaxInfoHashesPerAnnounce = 20;
inline constexpr std::size_t kLsdMaxHost = 64;
inline constexpr std::size_t kLsdMaxCookie = 32;

struct LsdLimits {
  std::size_t maxDatagram = kLsdMaxDatagram;
  // Info-hashes taken from one announce; further ones are ignored.
  std::size_t maxInfoHashes = 32;
};

struct LsdAnnounce {
  std::string host;                            // as sent, "" when absent; informational only
  std::uint16_t port = 0;                      // 1-65535
  std::vector<util::Sha1::Digest> infoHashes;  // at least one, no duplicates
  std::string cookie;                          // "" when absent

  friend bool operator==(const LsdAnnounce&, const LsdAnnounce&) = default;
};

// The announce text. Host and cookie are cut to kLsdMaxHost / kLsdMaxCookie
// and may hold no control characters (they are dropped); only the first
// kLsdMaxInfoHashesPerAnnounce info-hashes are written. Port 0 or no
// info-hash makes an announce nobody accepts: callers do not send those.
std::string encodeLsdAnnounce(std::string_view host, std::uint16_t port,
                              std::span<const util::Sha1::Digest> infoHashes,
                              std::string_view cookie);

// ErrorCode::ProtocolError, with the reason, when the datagram is over
// limits.maxDatagram, its first line is not "BT-SEARCH * HTTP/1.1", a line is
// not "Name: value", Port is missing, repeated or not a number in 1-65535,
// the host or cookie is over its cap, or no Infohash header holds 40 hex
// characters. Infohash values that are not 40 hex characters are skipped,
// duplicates are kept once, and those past limits.maxInfoHashes are ignored.
// Lines end with CRLF or a bare LF; header names are case-insensitive.
Result<LsdAnnounce> parseLsdAnnounce(std::span<const std::byte> datagram, LsdLimits limits = {});

}  // namespace tributary::bt
