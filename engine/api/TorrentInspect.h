// Public: what a .torrent holds, read without adding it, for the GUI's add
// dialog (name, size, the files to choose from). The same parser and limits as
// Engine::add(), so a file this accepts is one add() accepts too. It reads the
// whole file (at most 100 MiB, the engine's cap) and parses it on the calling
// thread, which for a torrent of many files is not instant (30,000 files, a
// 1.7 MiB .torrent: about 40 ms optimised, 0.7 s in a debug build): a UI calls
// it from a worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"

namespace tributary {

struct TorrentFileInfo {
  // Sanitised elements of the file's path inside the task's folder, as the
  // engine will write it: for a multi-file torrent the first is the torrent's
  // name ({"name", "dir", "file.txt"}), for a single-file torrent the only one
  // is the name.
  std::vector<std::string> path;
  std::uint64_t size = 0;
  // BEP 47 padding: never written to disk and never shown to a user, but it
  // keeps its place so indexes match Engine::setFilePriorities.
  bool padding = false;

  friend bool operator==(const TorrentFileInfo&, const TorrentFileInfo&) = default;
};

struct TorrentInfo {
  std::string name;         // sanitised; the top folder of a multi-file torrent
  std::string infoHashHex;  // 40 lower-case hex digits (v1)
  // Bytes that land on disk: every file, padding files left out.
  std::uint64_t totalBytes = 0;
  std::uint64_t pieceSize = 0;
  bool multiFile = false;
  // In the torrent's order, padding files included: entry i is the file that
  // AddParams::filePriorities[i] and Engine::setFilePriorities address.
  std::vector<TorrentFileInfo> files;
};

// FileMissing when the file cannot be opened, InvalidArgument when it is over
// the size cap, InvalidTorrent or NotSupported (v2-only) for its content; the
// detail names the path.
Result<TorrentInfo> inspectTorrentFile(const std::string& path);

// The same for bytes already in memory (a .torrent fetched or dropped as data).
Result<TorrentInfo> inspectTorrent(std::string_view bytes);

}  // namespace tributary
