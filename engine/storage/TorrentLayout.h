// Internal: where a torrent's bytes live. A torrent is one stream of bytes cut
// into pieces; its files are consecutive slices of that stream, so a piece may
// end in one file and go on in the next. This maps between the two views.
// Pure data, no I/O; immutable after construction, so any thread may read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/Error.h"

namespace tributary::storage {

struct LayoutFile {
  // Relative to the task's folder, '/'-separated, every component already
  // sanitised by the metainfo parser (checked again here).
  std::string path;
  std::uint64_t length = 0;
  // BEP 47 padding: counted in the stream, never created on disk, read as zeros.
  bool padding = false;
};

// One file's part of a byte range of the stream.
struct FileSpan {
  std::size_t file = 0;
  std::uint64_t fileOffset = 0;
  std::uint64_t length = 0;
  std::uint64_t streamOffset = 0;  // where the span starts in the stream
};

class TorrentLayout {
 public:
  // Fails on a path that could leave the task's folder (absolute, "..", "."
  // or empty components), a piece length of 0, or an empty torrent.
  static Result<TorrentLayout> create(std::vector<LayoutFile> files, std::uint64_t pieceLength);

  std::uint64_t totalLength() const { return total_; }
  std::uint64_t pieceLength() const { return pieceLength_; }
  std::uint32_t pieceCount() const { return pieceCount_; }
  std::uint64_t pieceOffset(std::uint32_t piece) const {
    return std::uint64_t{piece} * pieceLength_;
  }
  // The last piece is usually shorter.
  std::uint64_t pieceSize(std::uint32_t piece) const;

  const std::vector<LayoutFile>& files() const { return files_; }
  std::uint64_t fileOffset(std::size_t file) const { return offsets_[file]; }

  // Appends the spans of [offset, offset + length) to `out`, in stream order.
  // Zero-length files never appear. The range must lie inside the stream.
  void spans(std::uint64_t offset, std::uint64_t length, std::vector<FileSpan>& out) const;
  // The pieces holding at least one byte of `file`: [first, last], or
  // nullopt-like {1, 0} for a zero-length file.
  std::pair<std::uint32_t, std::uint32_t> piecesOfFile(std::size_t file) const;

 private:
  TorrentLayout() = default;

  std::vector<LayoutFile> files_;
  std::vector<std::uint64_t> offsets_;  // offsets_[i]: where file i starts in the stream
  std::uint64_t pieceLength_ = 0;
  std::uint64_t total_ = 0;
  std::uint32_t pieceCount_ = 0;
};

}  // namespace tributary::storage
