// Internal: turning a server-chosen name into a safe local file name.
#pragma once

#include <string>
#include <string_view>

namespace tributary::http {

inline constexpr std::size_t kMaxFileNameBytes = 255;

// Makes a name from Content-Disposition or a URL safe to create in the download
// directory on Linux, Windows and macOS: only the last path component is kept;
// control characters, invisible bidi controls and <>:"/\|?* are replaced or dropped;
// leading dots and spaces and trailing dots and spaces are trimmed; Windows device
// names (CON, NUL, COM1...) get a '_' prefix; the result is valid UTF-8 and at most
// 255 bytes, cut before the extension. An empty result becomes the (sanitised)
// fallback, or "download" if that is empty too.
std::string sanitizeFileName(std::string name, std::string_view fallback);

}  // namespace tributary::http
