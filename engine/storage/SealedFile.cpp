#include "engine/storage/SealedFile.h"

#include <charconv>
#include <cstdio>

#include "engine/storage/Crc32.h"

namespace tributary::storage {
namespace {

constexpr std::string_view kCrcPrefix = "\ncrc32 ";

Error damaged(std::string_view kind, std::string detail) {
  return Error{ErrorCode::InvalidArgument, std::string(kind) + " file: " + std::move(detail)};
}

}  // namespace

std::string seal(std::string_view kind, unsigned version, std::string_view body) {
  std::string out(kind);
  out += ' ';
  out += std::to_string(version);
  out += '\n';
  out += body;
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", crc32(out));
  out += kCrcPrefix;
  out += crc;
  out += '\n';
  return out;
}

Result<Unsealed> unseal(std::string_view bytes, std::string_view kind, unsigned maxVersion) {
  if (!bytes.starts_with(kind) || bytes.substr(kind.size(), 1) != " ") {
    return damaged(kind, "not this kind of file");
  }
  const std::size_t crcAt = bytes.rfind(kCrcPrefix);
  if (crcAt == std::string_view::npos) {
    return damaged(kind, "no checksum (truncated?)");
  }
  std::string_view crcText = bytes.substr(crcAt + kCrcPrefix.size());
  if (crcText.ends_with('\n')) {
    crcText.remove_suffix(1);
  }
  // Eight lower-case hex digits, as written: "1C29..." is not the same file.
  if (crcText.size() != 8 ||
      crcText.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return damaged(kind, "bad checksum line");
  }
  std::uint32_t expected = 0;
  std::from_chars(crcText.data(), crcText.data() + crcText.size(), expected, 16);
  const std::string_view sealed = bytes.substr(0, crcAt);
  if (crc32(sealed) != expected) {
    return damaged(kind, "checksum mismatch");
  }
  const std::size_t lineEnd = sealed.find('\n');
  if (lineEnd == std::string_view::npos) {
    return damaged(kind, "no header line");
  }
  const std::string_view versionText = sealed.substr(kind.size() + 1, lineEnd - kind.size() - 1);
  unsigned version = 0;
  const auto parsed =
      std::from_chars(versionText.data(), versionText.data() + versionText.size(), version);
  if (parsed.ec != std::errc() || parsed.ptr != versionText.data() + versionText.size()) {
    return damaged(kind, "bad version");
  }
  if (version == 0 || version > maxVersion) {
    return damaged(kind, "version " + std::to_string(version) + " is newer than this build reads");
  }
  return Unsealed{version, sealed.substr(lineEnd + 1)};
}

}  // namespace tributary::storage
