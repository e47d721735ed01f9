// parseMetainfo on any bytes: no crash, and whatever is accepted keeps the
// promises of Metainfo.h: relative sanitised paths, consistent offsets and
// piece geometry, piece mapping covering each piece exactly.
#include <cstdint>
#include <string_view>

#include "engine/bt/Metainfo.h"
#include "engine/codec/Utf8.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

bool safePath(const std::string& path) {
  if (path.empty() || path.size() > 4096 || !codec::isValidUtf8(path)) {
    return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view element = std::string_view(path).substr(start, slash - start);
    if (element.empty() || element == "." || element == ".." || element.size() > 255 ||
        element.find_first_of(std::string_view("\\:<>\"|?*\0", 9)) != std::string_view::npos ||
        element.back() == '.' || element.back() == ' ') {
      return false;
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto result = parseMetainfo(input);
  if (!result.ok()) {
    return 0;
  }
  const Metainfo& m = result.value();
  std::int64_t offset = 0;
  for (const TorrentFile& file : m.files) {
    if (!safePath(file.path) || file.offset != offset || file.length < 0 ||
        (file.symlink && !safePath(file.symlinkTarget))) {
      __builtin_trap();
    }
    offset += file.length;
  }
  const std::int64_t pieces = (m.totalLength + m.pieceLength - 1) / m.pieceLength;
  if (offset != m.totalLength || m.totalLength <= 0 || pieces != m.pieceCount() ||
      !safePath(m.name)) {
    __builtin_trap();
  }
  for (const std::uint32_t piece : {0u, m.pieceCount() / 2, m.pieceCount() - 1}) {
    std::int64_t covered = 0;
    for (const FileSlice& slice : m.mapPiece(piece)) {
      covered += slice.length;
    }
    if (covered != m.pieceSize(piece)) {
      __builtin_trap();
    }
  }
  return 0;
}
