// Internal: the packets of the UDP tracker protocol (BEP 15, with BEP 41's
// URL data), encoded and decoded. Pure functions over bytes, no I/O: every
// reply is checked for length before a field is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/TrackerTypes.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::bt {

inline constexpr std::uint64_t kUdpTrackerProtocolId = 0x41727101980;
// A scrape packet holds at most this many info-hashes (BEP 15).
inline constexpr std::size_t kMaxUdpScrapeHashes = 74;
// URL data beyond this is not sent (BEP 41 trackers read a path, not a document).
inline constexpr std::size_t kMaxUdpUrlData = 1024;

enum class UdpTrackerAction : std::uint32_t { Connect = 0, Announce = 1, Scrape = 2, Error = 3 };

std::vector<std::byte> encodeUdpConnect(std::uint32_t transactionId);

// urlData: the tracker URL's path and query ("/announce?passkey=x"), sent as
// BEP 41 URLData options; nothing is appended when it is empty.
std::vector<std::byte> encodeUdpAnnounce(std::uint64_t connectionId, std::uint32_t transactionId,
                                         const AnnounceParams& params,
                                         std::string_view urlData = {});

// At most kMaxUdpScrapeHashes hashes; extra ones are left out.
std::vector<std::byte> encodeUdpScrape(std::uint64_t connectionId, std::uint32_t transactionId,
                                       std::span<const InfoHashV1> infoHashes);

struct UdpReplyHeader {
  std::uint32_t action = 0;
  std::uint32_t transactionId = 0;
};

// The first 8 bytes of any reply; nullopt when there are fewer.
std::optional<UdpReplyHeader> readUdpReplyHeader(std::span<const std::byte> reply);

// Each checks the action and the length (the caller has matched the
// transaction id); ProtocolError when they are wrong.
Result<std::uint64_t> parseUdpConnectReply(std::span<const std::byte> reply);
// Peers are 6-byte IPv4 entries when the tracker was reached over IPv4 and
// 18-byte IPv6 ones over IPv6 (BEP 15); a peer list whose length is not a
// multiple of that is refused.
Result<AnnounceResponse> parseUdpAnnounceReply(std::span<const std::byte> reply,
                                               loop::SocketAddress::Family family);
// One entry per hash asked for, in order; fewer is refused.
Result<std::vector<ScrapeInfo>> parseUdpScrapeReply(std::span<const std::byte> reply,
                                                    std::size_t hashCount);
// An error reply (action 3): TrackerError with the tracker's message, escaped.
Error udpErrorReplyToError(std::span<const std::byte> reply);

}  // namespace tributary::bt
