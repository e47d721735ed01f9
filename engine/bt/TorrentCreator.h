// Internal: the parts of engine/api/TorrentCreator.h's createTorrent(), each
// tested alone: finding the content (TorrentContentScan.cpp), hashing it
// (TorrentPieceHasher.cpp) and writing the metainfo (TorrentCreator.cpp).
// Blocking file-system work on the caller's thread (and the hash threads it
// starts and joins): never call it on a loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/api/TorrentCreator.h"

namespace tributary::bt {

struct CreatorFile {
  std::filesystem::path source;    // what is read (a symlink's target already resolved)
  std::vector<std::string> parts;  // below the torrent's name; empty for a single file
  std::string sortKey;             // parts joined with '/': mktorrent's order is theirs
  std::uint64_t size = 0;
};

struct CreatorContent {
  std::string name;
  bool multiFile = false;
  std::vector<CreatorFile> files;  // in torrent order
  std::uint64_t totalBytes = 0;
};

struct ContentScanLimits {
  // Below what our own parser opens (its token limit stops ~285,000 files).
  std::size_t maxFiles = 200'000;
  std::size_t maxDepth = 64;  // folders below PATH, symlinked ones included
};

// The files of a file or folder, refused as engine/api/TorrentCreator.h says.
Result<CreatorContent> scanContent(const std::string& path, const ContentScanLimits& limits = {});

// 20 bytes of SHA-1 a piece, in order, over the files' bytes end to end.
// `threads` 0 = one per core (at most 8). Fails if a file shrank or grew since
// the scan, or when `progress` returns false (ShuttingDown).
Result<std::string> hashContent(const CreatorContent& content, std::uint64_t pieceSize,
                                unsigned threads, const CreateTorrentProgress& progress);

inline constexpr std::uint64_t kMinCreatePieceSize = 16 * 1024;
inline constexpr std::uint64_t kMaxCreatePieceSize = 64 * 1024 * 1024;
inline constexpr std::uint64_t kMaxAutomaticPieceSize = 16 * 1024 * 1024;
// libtorrent's target: about 40 KiB of piece hashes.
inline constexpr std::uint64_t kAutomaticPieceTarget = 2048;

std::uint64_t automaticPieceLength(std::uint64_t totalBytes);

Result<CreatedTorrent> makeTorrent(const CreateTorrentParams& params,
                                   const CreateTorrentProgress& progress);

}  // namespace tributary::bt
