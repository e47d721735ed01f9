// Internal: textual IP address syntax (RFC 3986 §3.2.2) as it appears in URL hosts.
#pragma once

#include <string_view>

namespace tributary::codec {

// Dotted-quad IPv4: four decimal parts of 1-3 digits, each at most 255.
bool isIpv4Literal(std::string_view text);

// RFC 3986 IPv6address (the text between the brackets): eight 16-bit groups, one
// "::" standing for one or more zero groups, the last 32 bits optionally dotted
// IPv4. Zone ids ("%25eth0") and IPvFuture are refused.
bool isIpv6Literal(std::string_view text);

}  // namespace tributary::codec
