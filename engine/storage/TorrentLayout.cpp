#include "engine/storage/TorrentLayout.h"

#include <algorithm>

namespace tributary::storage {
namespace {

// The last line of defence: the metainfo parser sanitises names, and nothing
// that could climb out of the task's folder gets past here either.
bool safeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos) {
    return false;
  }
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const std::size_t end = std::min(path.find('/', begin), path.size());
    const std::string_view part(path.data() + begin, end - begin);
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
    if (part.size() >= 2 && part[1] == ':') {
      return false;  // a drive letter
    }
    begin = end + 1;
  }
  return true;
}

}  // namespace

Result<TorrentLayout> TorrentLayout::create(std::vector<LayoutFile> files,
                                            std::uint64_t pieceLength) {
  if (pieceLength == 0) {
    return Error{ErrorCode::InvalidArgument, "a piece length of 0"};
  }
  TorrentLayout layout;
  layout.pieceLength_ = pieceLength;
  layout.offsets_.reserve(files.size());
  std::uint64_t total = 0;
  for (const LayoutFile& file : files) {
    if (!safeRelativePath(file.path)) {
      return Error{ErrorCode::InvalidArgument, "an unsafe file path in the torrent"};
    }
    if (file.length > (std::uint64_t{1} << 62) - total) {
      return Error{ErrorCode::InvalidArgument, "the torrent's files are too large"};
    }
    layout.offsets_.push_back(total);
    total += file.length;
  }
  if (total == 0) {
    return Error{ErrorCode::InvalidArgument, "the torrent holds no data"};
  }
  const std::uint64_t pieces = (total + pieceLength - 1) / pieceLength;
  if (pieces > UINT32_MAX) {
    return Error{ErrorCode::InvalidArgument, "too many pieces"};
  }
  layout.files_ = std::move(files);
  layout.total_ = total;
  layout.pieceCount_ = static_cast<std::uint32_t>(pieces);
  return layout;
}

std::uint64_t TorrentLayout::pieceSize(std::uint32_t piece) const {
  const std::uint64_t begin = pieceOffset(piece);
  return std::min(pieceLength_, total_ - begin);
}

void TorrentLayout::spans(std::uint64_t offset, std::uint64_t length,
                          std::vector<FileSpan>& out) const {
  // The last file starting at or before `offset` (offsets_ is sorted; equal
  // offsets belong to zero-length files, skipped below).
  auto it = std::upper_bound(offsets_.begin(), offsets_.end(), offset);
  std::size_t file = static_cast<std::size_t>(it - offsets_.begin()) - 1;
  const std::uint64_t end = offset + length;
  while (offset < end && file < files_.size()) {
    const std::uint64_t fileEnd = offsets_[file] + files_[file].length;
    if (offset < fileEnd) {
      const std::uint64_t take = std::min(end, fileEnd) - offset;
      out.push_back({file, offset - offsets_[file], take, offset});
      offset += take;
    }
    ++file;
  }
}

std::pair<std::uint32_t, std::uint32_t> TorrentLayout::piecesOfFile(std::size_t file) const {
  const std::uint64_t length = files_[file].length;
  if (length == 0) {
    return {1, 0};
  }
  const std::uint64_t begin = offsets_[file];
  return {static_cast<std::uint32_t>(begin / pieceLength_),
          static_cast<std::uint32_t>((begin + length - 1) / pieceLength_)};
}

}  // namespace tributary::storage
