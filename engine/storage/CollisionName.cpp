#include "engine/storage/CollisionName.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace tributary::storage {
namespace {

// Longer "extensions" are more likely part of the name ("Version 2.0 final").
constexpr std::size_t kMaxExtension = 8;

bool looksLikeExtension(std::string_view ext) {
  return !ext.empty() && ext.size() <= kMaxExtension &&
         std::all_of(ext.begin(), ext.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Where the extension starts (at its dot), or npos.
std::size_t extensionStart(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || !looksLikeExtension(name.substr(dot + 1))) {
    return std::string_view::npos;
  }
  // Compressed tarballs keep both parts together: "a (1).tar.gz", not "a.tar (1).gz".
  static constexpr std::array<std::string_view, 8> kCompressions = {"gz", "bz2",  "xz",  "zst",
                                                                    "lz", "lzma", "lz4", "z"};
  const std::string_view last = name.substr(dot + 1);
  const bool compressed =
      std::any_of(kCompressions.begin(), kCompressions.end(),
                  [&](std::string_view c) { return equalsIgnoringCase(c, last); });
  constexpr std::string_view kTar = ".tar";
  if (compressed && dot > kTar.size() &&
      equalsIgnoringCase(name.substr(dot - kTar.size(), kTar.size()), kTar)) {
    return dot - kTar.size();
  }
  return dot;
}

}  // namespace

std::string collisionName(std::string_view fileName, unsigned n) {
  if (n == 0) {
    return std::string(fileName);
  }
  const std::size_t split = std::min(extensionStart(fileName), fileName.size());
  std::string out(fileName.substr(0, split));
  out += " (";
  out += std::to_string(n);
  out += ')';
  out += fileName.substr(split);
  return out;
}

}  // namespace tributary::storage
