// Internal: a parsed .torrent (BEP 3 metainfo, v1 part), validated and with every
// path made safe, as a plain value the task, storage, trackers and web seeds
// share. Parsing is a pure function of the bytes, with limits (STYLE.md).
//
// What is accepted and what is refused:
//   - refused (ErrorCode::InvalidTorrent, with a detail naming the field): bencode
//     errors; an info dictionary with duplicate or unsorted keys at any depth; a
//     piece length that is not a power of two from 16 KiB to 64 MiB; "pieces" not
//     a non-empty multiple of 20 bytes, or a piece count other than
//     ceil(total / piece length); a negative or missing length; a total of 0 or
//     of 2^50 bytes and more; more than MetainfoLimits::maxFiles files; both or
//     neither of "length" and "files"; a sanitised path over 4096 bytes;
//   - refused with ErrorCode::NotSupported: a v2-only torrent (BEP 52 without
//     the v1 "pieces"); a hybrid torrent is read through its v1 part;
//   - sanitised (see TorrentPath.h): every path element; duplicate paths; a
//     missing name, or one left empty, becomes the info-hash in hex;
//   - neutralised: a BEP 47 symlink whose target could leave the torrent (any
//     "..", separators inside an element, an empty target, or any symlink in a
//     single-file torrent) becomes an ordinary file (symlink = false, target
//     cleared) that is downloaded like any other, so the byte offsets of the
//     following files do not move.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

struct TorrentFile {
  // Relative to the task's folder, '/'-separated, sanitised: for a multi-file
  // torrent it starts with the torrent's name ("name/dir/file.txt"), for a
  // single-file torrent it is the name. Never absolute, never with "." or "..".
  std::string path;
  std::int64_t offset = 0;  // of the file's first byte in the torrent's byte stream
  std::int64_t length = 0;
  // BEP 47 attributes. Padding files are never written to disk; their bytes are zeros.
  bool padding = false;
  bool executable = false;
  bool hidden = false;
  bool symlink = false;
  std::string symlinkTarget;  // when symlink: relative to the task's folder, like path

  friend bool operator==(const TorrentFile&, const TorrentFile&) = default;
};

// Part of a file a byte range of the torrent covers.
struct FileSlice {
  std::uint32_t fileIndex = 0;
  std::int64_t offsetInFile = 0;
  std::int64_t length = 0;

  friend bool operator==(const FileSlice&, const FileSlice&) = default;
};

struct Metainfo {
  util::Sha1::Digest infoHash{};  // SHA-1 of the info dictionary's exact bytes
  std::string name;               // sanitised; the top folder of a multi-file torrent
  bool multiFile = false;
  std::int64_t pieceLength = 0;
  std::string pieceHashes;  // 20 bytes a piece, in order
  std::vector<TorrentFile> files;
  std::int64_t totalLength = 0;  // every file, padding included
  bool isPrivate = false;        // BEP 27: no DHT, PEX or LSD
  bool hybrid = false;           // also carries BEP 52 (v2) data, which we ignore
  // BEP 12 tiers in order, each URL once across all tiers; "announce" alone
  // makes one tier. Empty for a trackerless torrent.
  std::vector<std::vector<std::string>> trackerTiers;
  std::vector<std::string> webSeeds;         // BEP 19 url-list (GetRight style)
  std::vector<std::string> httpSeeds;        // BEP 17 httpseeds (Hoffman style)
  std::string comment;                       // valid UTF-8 (invalid bytes replaced)
  std::string createdBy;                     // valid UTF-8
  std::optional<std::int64_t> creationDate;  // seconds since the Unix epoch
  std::string infoBytes;                     // the raw info dictionary, served to peers by BEP 9

  std::uint32_t pieceCount() const noexcept {
    return static_cast<std::uint32_t>(pieceHashes.size() / 20);
  }
  // The last piece is usually shorter; 0 for an index out of range.
  std::int64_t pieceSize(std::uint32_t piece) const noexcept;
  std::int64_t pieceOffset(std::uint32_t piece) const noexcept {
    return static_cast<std::int64_t>(piece) * pieceLength;
  }
  // 20 bytes; empty for an index out of range.
  std::string_view pieceHash(std::uint32_t piece) const noexcept;
  std::string infoHashHex() const;

  // The files a byte range of the torrent overlaps, in order, zero-length files
  // left out (padding files included: the caller skips them). Empty when the
  // range is empty or leaves the torrent. O(log files + slices).
  std::vector<FileSlice> mapRange(std::int64_t offset, std::int64_t length) const;
  std::vector<FileSlice> mapPiece(std::uint32_t piece) const {
    return mapRange(pieceOffset(piece), pieceSize(piece));
  }
  // The file holding a byte of the torrent (never a zero-length one), or nullopt.
  std::optional<std::uint32_t> fileAt(std::int64_t offset) const noexcept;
  // The pieces a file overlaps, [first, last]; nullopt for a zero-length file.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> filePieces(
      std::uint32_t fileIndex) const noexcept;
};

struct MetainfoLimits {
  std::size_t maxInputBytes = 100 * 1024 * 1024;
  // The bencode limits (issue 4). A file entry costs about 7 tokens, so the
  // token limit, not maxFiles, is what stops a torrent at ~285,000 files; a
  // caller that must open bigger ones raises both.
  std::size_t maxDepth = 100;
  std::size_t maxTokens = 2'000'000;
  std::size_t maxFiles = 1'000'000;
  std::uint32_t maxPieces = 1u << 22;                   // 80 MiB of hashes
  std::int64_t maxTotalLength = std::int64_t{1} << 50;  // exclusive
};

inline constexpr std::int64_t kMinPieceLength = 16 * 1024;
inline constexpr std::int64_t kMaxPieceLength = 64 * 1024 * 1024;

// Parses and validates a whole .torrent file.
Result<Metainfo> parseMetainfo(std::string_view torrent, const MetainfoLimits& limits = {});

// Parses a bare info dictionary, as BEP 9 delivers it for a magnet link; the
// caller compares infoHash with the one it asked for. Trackers and web seeds stay
// empty (they come from the magnet).
Result<Metainfo> parseInfoDictionary(std::string_view info, const MetainfoLimits& limits = {});

}  // namespace tributary::bt
