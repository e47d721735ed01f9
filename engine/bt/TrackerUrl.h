// Internal: what kind of tracker a URL from a torrent or magnet names, and
// the parts of a udp:// one (BEP 15 has no default port, BEP 41 sends the
// path and query along).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::bt {

enum class TrackerScheme : std::uint8_t { Http, Https, Udp, Unsupported };

// By the scheme alone, case-insensitively; "wss://" and the like are Unsupported.
TrackerScheme trackerSchemeOf(std::string_view url) noexcept;

struct UdpTrackerUrl {
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  std::uint16_t port = 0;
  std::string urlData;  // path and query as given ("/announce?x=y"); no fragment
};

// "udp://host:port[/path][?query][#fragment]". nullopt without a port (or
// port 0), with userinfo, an empty or malformed host, or control characters.
std::optional<UdpTrackerUrl> parseUdpTrackerUrl(std::string_view url);

}  // namespace tributary::bt
