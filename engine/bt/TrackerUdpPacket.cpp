#include "engine/bt/TrackerUdpPacket.h"

#include <algorithm>
#include <string>

#include "engine/bt/TrackerCompactPeers.h"
#include "engine/bt/TrackerText.h"

namespace tributary::bt {

namespace {

constexpr std::size_t kHeaderBytes = 8;          // action, transaction id
constexpr std::size_t kConnectReplyBytes = 16;   // + connection id
constexpr std::size_t kAnnounceReplyBytes = 20;  // + interval, leechers, seeders
constexpr std::size_t kAnnounceRequestBytes = 98;
constexpr std::size_t kScrapeEntryBytes = 12;
constexpr std::uint8_t kOptionUrlData = 2;

void put(std::vector<std::byte>& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
  }
}

void putBytes(std::vector<std::byte>& out, std::span<const std::byte> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::uint64_t get(std::span<const std::byte> in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(in[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

std::uint32_t udpEvent(AnnounceEvent event) {
  switch (event) {
    case AnnounceEvent::Completed:
      return 1;
    case AnnounceEvent::Started:
      return 2;
    case AnnounceEvent::Stopped:
      return 3;
    case AnnounceEvent::None:
      break;
  }
  return 0;
}

Error malformed(const std::string& what) {
  return Error{ErrorCode::ProtocolError, "UDP tracker: " + what};
}

bool actionIs(std::span<const std::byte> reply, UdpTrackerAction action) {
  return get(reply, 0, 4) == static_cast<std::uint32_t>(action);
}

}  // namespace

std::vector<std::byte> encodeUdpConnect(std::uint32_t transactionId) {
  std::vector<std::byte> out;
  out.reserve(16);
  put(out, kUdpTrackerProtocolId, 8);
  put(out, static_cast<std::uint32_t>(UdpTrackerAction::Connect), 4);
  put(out, transactionId, 4);
  return out;
}

std::vector<std::byte> encodeUdpAnnounce(std::uint64_t connectionId, std::uint32_t transactionId,
                                         const AnnounceParams& params, std::string_view urlData) {
  std::vector<std::byte> out;
  urlData = urlData.substr(0, kMaxUdpUrlData);
  out.reserve(kAnnounceRequestBytes + urlData.size() + urlData.size() / 255 * 2 + 2);
  put(out, connectionId, 8);
  put(out, static_cast<std::uint32_t>(UdpTrackerAction::Announce), 4);
  put(out, transactionId, 4);
  putBytes(out, params.infoHash);
  putBytes(out, params.peerId);
  put(out, params.downloaded, 8);
  put(out, params.left, 8);
  put(out, params.uploaded, 8);
  put(out, udpEvent(params.event), 4);
  put(out, 0, 4);  // IP: the sender's address
  put(out, params.key, 4);
  put(out, params.numWant < 0 ? 0xffffffffu : static_cast<std::uint32_t>(params.numWant), 4);
  put(out, params.port, 2);
  while (!urlData.empty()) {
    const std::size_t n = std::min<std::size_t>(urlData.size(), 255);
    out.push_back(static_cast<std::byte>(kOptionUrlData));
    out.push_back(static_cast<std::byte>(n));
    putBytes(out, std::as_bytes(std::span(urlData.data(), n)));
    urlData.remove_prefix(n);
  }
  return out;
}

std::vector<std::byte> encodeUdpScrape(std::uint64_t connectionId, std::uint32_t transactionId,
                                       std::span<const InfoHashV1> infoHashes) {
  infoHashes = infoHashes.first(std::min(infoHashes.size(), kMaxUdpScrapeHashes));
  std::vector<std::byte> out;
  out.reserve(16 + infoHashes.size() * 20);
  put(out, connectionId, 8);
  put(out, static_cast<std::uint32_t>(UdpTrackerAction::Scrape), 4);
  put(out, transactionId, 4);
  for (const InfoHashV1& hash : infoHashes) {
    putBytes(out, hash);
  }
  return out;
}

std::optional<UdpReplyHeader> readUdpReplyHeader(std::span<const std::byte> reply) {
  if (reply.size() < kHeaderBytes) {
    return std::nullopt;
  }
  return UdpReplyHeader{static_cast<std::uint32_t>(get(reply, 0, 4)),
                        static_cast<std::uint32_t>(get(reply, 4, 4))};
}

Result<std::uint64_t> parseUdpConnectReply(std::span<const std::byte> reply) {
  if (reply.size() < kConnectReplyBytes || !actionIs(reply, UdpTrackerAction::Connect)) {
    return malformed("a connect reply of " + std::to_string(reply.size()) + " bytes");
  }
  return get(reply, 8, 8);
}

Result<AnnounceResponse> parseUdpAnnounceReply(std::span<const std::byte> reply,
                                               loop::SocketAddress::Family family) {
  if (reply.size() < kAnnounceReplyBytes || !actionIs(reply, UdpTrackerAction::Announce)) {
    return malformed("an announce reply of " + std::to_string(reply.size()) + " bytes");
  }
  AnnounceResponse response;
  response.interval = std::chrono::seconds(get(reply, 8, 4));
  response.leechers = static_cast<std::int64_t>(get(reply, 12, 4));
  response.seeders = static_cast<std::int64_t>(get(reply, 16, 4));
  const std::span<const std::byte> peers = reply.subspan(kAnnounceReplyBytes);
  if (!appendCompactPeers(peers, family, response.peers)) {
    return malformed("a peer list of " + std::to_string(peers.size()) +
                     " bytes is not a whole number of entries");
  }
  return response;
}

Result<std::vector<ScrapeInfo>> parseUdpScrapeReply(std::span<const std::byte> reply,
                                                    std::size_t hashCount) {
  hashCount = std::min(hashCount, kMaxUdpScrapeHashes);
  if (reply.size() < kHeaderBytes + hashCount * kScrapeEntryBytes ||
      !actionIs(reply, UdpTrackerAction::Scrape)) {
    return malformed("a scrape reply of " + std::to_string(reply.size()) + " bytes for " +
                     std::to_string(hashCount) + " hashes");
  }
  std::vector<ScrapeInfo> out(hashCount);
  for (std::size_t i = 0; i < hashCount; ++i) {
    const std::size_t at = kHeaderBytes + i * kScrapeEntryBytes;
    out[i].seeders = static_cast<std::int64_t>(get(reply, at, 4));
    out[i].completed = static_cast<std::int64_t>(get(reply, at + 4, 4));
    out[i].leechers = static_cast<std::int64_t>(get(reply, at + 8, 4));
  }
  return out;
}

Error udpErrorReplyToError(std::span<const std::byte> reply) {
  const std::span<const std::byte> text =
      reply.size() > kHeaderBytes ? reply.subspan(kHeaderBytes) : std::span<const std::byte>();
  const std::string_view message(reinterpret_cast<const char*>(text.data()), text.size());
  return Error{
      ErrorCode::TrackerError,
      "tracker: " + (message.empty() ? std::string("(no message)") : escapeTrackerText(message))};
}

}  // namespace tributary::bt
