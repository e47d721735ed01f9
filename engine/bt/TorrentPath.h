// Internal: turning the path elements of a .torrent (untrusted bytes) into paths
// that stay inside the task's folder and can be created on Linux, Windows and
// macOS. The rules, in order, for one element:
//   - "", "." and ".." are dropped (so no element ever climbs or restarts the path);
//   - '/' and '\' inside an element become '_' (an element never spans folders, so
//     "/etc/passwd" and "a/../../b" stay one harmless name); so do the other
//     characters Windows refuses (<>:"|?*), which also covers drive letters "C:";
//     control characters (NUL included), invisible bidi controls and invalid
//     UTF-8 bytes become '_' too;
//   - trailing dots and spaces are removed (Windows strips them itself, which
//     would merge names); an element left empty becomes "_";
//   - Windows device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, CONIN$, CONOUT$),
//     bare or with an extension ("nul.txt"), get a '_' prefix;
//   - more than 255 bytes is shortened inside the stem so the extension survives,
//     never cutting a UTF-8 sequence.
// Duplicates are made distinct afterwards, ignoring ASCII case (Windows and macOS
// folders are case-insensitive): the later file becomes "name (1).ext".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::bt {

inline constexpr std::size_t kMaxNameBytes = 255;
// A sanitised path longer than this (PATH_MAX on Linux) is refused by the metainfo.
inline constexpr std::size_t kMaxPathBytes = 4096;

// One element made safe as a file or folder name; "" when it must be dropped.
std::string sanitizePathElement(std::string_view element);

// `name` cut to at most maxBytes (>= 16) keeping its extension when it has a
// short one, never inside a UTF-8 sequence, without trailing dots or spaces.
std::string shortenName(std::string_view name, std::size_t maxBytes = kMaxNameBytes);

// Every element sanitised, the dropped ones left out (the result may be empty).
std::vector<std::string> sanitizePath(const std::vector<std::string_view>& elements);

// A BEP 47 symlink target, relative to the torrent's root folder, made safe; or
// nullopt when it could point outside the torrent: any ".." (even one that
// lexically stays inside: through another symlink it could climb out), a '/' or
// '\' inside an element, or nothing left to point at. A caller that gets nullopt
// must not create a link.
std::optional<std::vector<std::string>> sanitizeSymlinkTarget(
    const std::vector<std::string_view>& elements);

// Joins elements with '/'.
std::string joinPath(const std::vector<std::string>& elements);

// Renames the last element of paths that collide, ignoring ASCII case, with an
// earlier file or with a folder another file needs ("a" the file and "a/b").
// Paths whose `ignored` flag is set (padding files, never written) take no part.
// Costs O(total bytes): a hostile list of a million "a" files stays linear.
void makePathsDistinct(std::vector<std::vector<std::string>>& paths,
                       const std::vector<bool>& ignored);

}  // namespace tributary::bt
