// Tracker answers on any bytes: the HTTP announce and scrape parsers and every
// UDP reply parser (the first byte picks which). No crash, and what comes out
// keeps its promises: peers with a port, capped and printable text.
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/bt/TrackerHttpResponse.h"
#include "engine/bt/TrackerText.h"
#include "engine/bt/TrackerUdpPacket.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

void checkText(const std::string& text, std::size_t cap) {
  if (text.size() > cap) {
    __builtin_trap();
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      __builtin_trap();  // control bytes are always escaped
    }
  }
}

void checkAnnounce(const Result<AnnounceResponse>& r) {
  if (!r.ok()) {
    checkText(r.error().detail, kMaxTrackerTextBytes + 64);
    return;
  }
  for (const TrackerPeer& peer : r.value().peers) {
    if (peer.address.port() == 0 || !peer.address.isValid() || peer.address.isUnspecified()) {
      __builtin_trap();
    }
  }
  if (r.value().trackerId.size() > kMaxTrackerIdBytes) {
    __builtin_trap();
  }
  checkText(r.value().warning, kMaxTrackerTextBytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t mode = data[0] % 8;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  TrackerResponseLimits limits;
  limits.maxBodyBytes = 64 * 1024;  // the real cap is 1 MiB; smaller keeps runs fast
  switch (mode) {
    case 0:
      checkAnnounce(parseHttpAnnounceResponse(text, limits));
      break;
    case 1: {
      const auto r = parseHttpScrapeResponse(text, limits);
      if (r.ok() && r.value().size() > limits.maxScrapeEntries) {
        __builtin_trap();
      }
      break;
    }
    case 2:
      checkAnnounce(parseUdpAnnounceReply(bytes, loop::SocketAddress::Family::V4));
      break;
    case 3:
      checkAnnounce(parseUdpAnnounceReply(bytes, loop::SocketAddress::Family::V6));
      break;
    case 4:
      (void)parseUdpConnectReply(bytes);
      (void)readUdpReplyHeader(bytes);
      break;
    case 5: {
      const std::size_t want = size % 80;
      const auto r = parseUdpScrapeReply(bytes, want);
      if (r.ok() && r.value().size() != std::min<std::size_t>(want, kMaxUdpScrapeHashes)) {
        __builtin_trap();
      }
      break;
    }
    case 6:
      checkText(udpErrorReplyToError(bytes).detail, kMaxTrackerTextBytes + 16);
      break;
    default:
      checkText(escapeTrackerText(text, size % 600), size % 600);
      break;
  }
  return 0;
}
