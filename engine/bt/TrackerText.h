// Internal: tracker text (failure reason, warning message, UDP error
// message) is untrusted: any bytes, any length. Before it reaches a log, an
// Error detail or the GUI it is made short and printable here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tributary::bt {

inline constexpr std::size_t kMaxTrackerTextBytes = 512;

// Valid UTF-8 text stays as it is, except: control characters (C0, DEL, C1),
// bidirectional overrides and isolates (which could make a message read
// backwards), and invalid bytes become visible escapes ("\n" -> "\x0a",
// U+202E -> "\u202e"), and a backslash becomes "\\", so an escape in the
// output always means the tracker sent that byte. The result is at most
// maxBytes bytes; when text was cut, it ends with "...".
std::string escapeTrackerText(std::string_view raw, std::size_t maxBytes = kMaxTrackerTextBytes);

}  // namespace tributary::bt
