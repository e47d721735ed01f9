// Where pieces and files meet: the byte stream of a torrent is its files laid
// end to end, so a byte range maps to files by a binary search on their offsets.
#include <algorithm>

#include "engine/bt/Metainfo.h"

namespace tributary::bt {

std::int64_t Metainfo::pieceSize(std::uint32_t piece) const noexcept {
  if (piece >= pieceCount()) {
    return 0;
  }
  return std::min(pieceLength, totalLength - pieceOffset(piece));
}

std::string_view Metainfo::pieceHash(std::uint32_t piece) const noexcept {
  if (piece >= pieceCount()) {
    return {};
  }
  return std::string_view(pieceHashes).substr(std::size_t{piece} * 20, 20);
}

std::string Metainfo::infoHashHex() const {
  return util::toHex(infoHash);
}

std::optional<std::uint32_t> Metainfo::fileAt(std::int64_t offset) const noexcept {
  if (offset < 0 || offset >= totalLength) {
    return std::nullopt;
  }
  // The last file starting at or before `offset` holds it: a zero-length file
  // shares its offset with the file after it, which upper_bound steps past.
  const auto after = std::upper_bound(
      files.begin(), files.end(), offset,
      [](std::int64_t value, const TorrentFile& file) { return value < file.offset; });
  if (after == files.begin()) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(after - files.begin() - 1);
}

std::vector<FileSlice> Metainfo::mapRange(std::int64_t offset, std::int64_t length) const {
  std::vector<FileSlice> slices;
  if (length <= 0 || offset < 0 || offset > totalLength - length) {
    return slices;
  }
  const std::optional<std::uint32_t> first = fileAt(offset);
  if (!first) {
    return slices;
  }
  for (std::size_t i = *first; i < files.size() && length > 0; ++i) {
    const TorrentFile& file = files[i];
    if (file.length == 0) {
      continue;
    }
    const std::int64_t inFile = offset - file.offset;
    const std::int64_t take = std::min(length, file.length - inFile);
    slices.push_back({static_cast<std::uint32_t>(i), inFile, take});
    offset += take;
    length -= take;
  }
  return slices;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> Metainfo::filePieces(
    std::uint32_t fileIndex) const noexcept {
  if (fileIndex >= files.size() || files[fileIndex].length == 0 || pieceLength <= 0) {
    return std::nullopt;
  }
  const TorrentFile& file = files[fileIndex];
  return std::pair{static_cast<std::uint32_t>(file.offset / pieceLength),
                   static_cast<std::uint32_t>((file.offset + file.length - 1) / pieceLength)};
}

}  // namespace tributary::bt
