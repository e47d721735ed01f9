#include "engine/bt/TorrentPath.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "engine/codec/Utf8.h"
#include "engine/storage/CollisionName.h"

namespace tributary::bt {

namespace {

constexpr char kReplacement = '_';
// Longer tails after the last dot are more likely part of the name than a type.
constexpr std::size_t kMaxExtensionBytes = 16;

bool isForbiddenAscii(std::int32_t c) {
  if (c < 0x20 || c == 0x7F) {
    return true;
  }
  constexpr std::string_view kWindowsForbidden = "<>:\"/\\|?*";
  return c < 0x80 && kWindowsForbidden.find(static_cast<char>(c)) != std::string_view::npos;
}

// Invisible controls that can disguise a name ("txt.exe" shown as "exe.txt").
bool isBidiControl(std::int32_t c) {
  return c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char asciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string asciiFold(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), asciiLower);
  return out;
}

void trimTrailingDotsAndSpaces(std::string& name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) {
    name.pop_back();
  }
}

bool isWindowsDeviceName(std::string_view name) {
  std::string base = asciiFold(name.substr(0, name.find('.')));
  // Windows ignores trailing spaces before the extension too: "con .txt" is CON.
  while (!base.empty() && base.back() == ' ') {
    base.pop_back();
  }
  static constexpr std::array<std::string_view, 6> kNames = {"con", "prn",    "aux",
                                                             "nul", "conin$", "conout$"};
  if (std::find(kNames.begin(), kNames.end(), base) != kNames.end()) {
    return true;
  }
  return base.size() == 4 && (base.starts_with("com") || base.starts_with("lpt")) &&
         base[3] >= '1' && base[3] <= '9';
}

// The byte where the extension's dot is, or npos when the name has none worth keeping.
std::size_t extensionDot(std::string_view name, std::size_t maxBytes) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || name.size() - dot < 2 ||
      name.size() - dot > kMaxExtensionBytes || name.size() - dot > maxBytes / 2 ||
      name.back() == ' ') {
    return std::string_view::npos;
  }
  return dot;
}

// Largest cut <= limit that does not split a UTF-8 sequence.
std::size_t utf8Boundary(std::string_view text, std::size_t limit) {
  std::size_t cut = std::min(limit, text.size());
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

std::string childKey(std::uint32_t parent, std::string_view element) {
  std::string key(reinterpret_cast<const char*>(&parent), sizeof parent);
  key += asciiFold(element);
  return key;
}

std::string numberedName(const std::string& name, unsigned n) {
  std::string numbered = storage::collisionName(name, n);
  if (numbered.size() > kMaxNameBytes) {
    const std::size_t suffix = numbered.size() - name.size();
    numbered = storage::collisionName(shortenName(name, kMaxNameBytes - suffix), n);
  }
  return numbered;
}

}  // namespace

std::string sanitizePathElement(std::string_view element) {
  if (element.empty() || element == "." || element == "..") {
    return {};
  }
  std::string out;
  out.reserve(element.size());
  std::size_t pos = 0;
  while (pos < element.size()) {
    const std::size_t start = pos;
    const std::int32_t c = codec::decodeUtf8(element, pos);
    if (c < 0 || isForbiddenAscii(c) || isBidiControl(c)) {
      out += kReplacement;
    } else {
      out.append(element.substr(start, pos - start));
    }
  }
  trimTrailingDotsAndSpaces(out);
  if (out.empty()) {
    out = kReplacement;
  }
  if (isWindowsDeviceName(out)) {
    out.insert(out.begin(), kReplacement);
  }
  if (out.size() > kMaxNameBytes) {
    out = shortenName(out);
  }
  return out;
}

std::string shortenName(std::string_view name, std::size_t maxBytes) {
  if (name.size() <= maxBytes) {
    return std::string(name);
  }
  const std::size_t dot = extensionDot(name, maxBytes);
  const std::string_view extension =
      dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  const std::string_view stem = name.substr(0, name.size() - extension.size());
  std::string out(stem.substr(0, utf8Boundary(stem, maxBytes - extension.size())));
  trimTrailingDotsAndSpaces(out);
  if (out.empty()) {
    out = kReplacement;
  }
  out += extension;
  return out;
}

std::vector<std::string> sanitizePath(const std::vector<std::string_view>& elements) {
  std::vector<std::string> out;
  out.reserve(elements.size());
  for (const std::string_view element : elements) {
    std::string safe = sanitizePathElement(element);
    if (!safe.empty()) {
      out.push_back(std::move(safe));
    }
  }
  return out;
}

std::optional<std::vector<std::string>> sanitizeSymlinkTarget(
    const std::vector<std::string_view>& elements) {
  std::vector<std::string> out;
  for (const std::string_view element : elements) {
    if (element.empty() || element == ".") {
      continue;
    }
    if (element == ".." || element.find_first_of("/\\") != std::string_view::npos) {
      return std::nullopt;
    }
    out.push_back(sanitizePathElement(element));
  }
  if (out.empty()) {
    return std::nullopt;
  }
  return out;
}

std::string joinPath(const std::vector<std::string>& elements) {
  std::string out;
  for (const std::string& element : elements) {
    if (!out.empty()) {
      out += '/';
    }
    out += element;
  }
  return out;
}

void makePathsDistinct(std::vector<std::vector<std::string>>& paths,
                       const std::vector<bool>& ignored) {
  // Folders form a tree keyed by (parent id, folded name), so each path costs its
  // own length, not its length times its depth as full-prefix strings would.
  std::unordered_map<std::string, std::uint32_t> folders;
  std::uint32_t nextFolder = 1;  // 0 is the task folder
  auto isIgnored = [&](std::size_t i) { return i < ignored.size() && ignored[i]; };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (isIgnored(i)) {
      continue;
    }
    std::uint32_t parent = 0;
    for (std::size_t j = 0; j + 1 < paths[i].size(); ++j) {
      const auto [it, inserted] = folders.emplace(childKey(parent, paths[i][j]), nextFolder);
      nextFolder += inserted ? 1 : 0;
      parent = it->second;
    }
  }

  std::unordered_set<std::string> files;
  // The next number to try per colliding name, so a thousand copies of one name
  // cost a thousand probes, not half a million.
  std::unordered_map<std::string, unsigned> nextNumber;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::vector<std::string>& path = paths[i];
    if (isIgnored(i) || path.empty()) {
      continue;
    }
    std::uint32_t parent = 0;
    for (std::size_t j = 0; j + 1 < path.size(); ++j) {
      parent = folders.at(childKey(parent, path[j]));
    }
    std::string key = childKey(parent, path.back());
    auto taken = [&](const std::string& k) { return folders.count(k) != 0 || files.count(k) != 0; };
    if (taken(key)) {
      unsigned& n = nextNumber.try_emplace(key, 1).first->second;
      std::string candidate;
      do {
        candidate = numberedName(path.back(), n++);
        key = childKey(parent, candidate);
      } while (taken(key));
      path.back() = std::move(candidate);
    }
    files.insert(std::move(key));
  }
}

}  // namespace tributary::bt
