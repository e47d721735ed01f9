// Public: making a .torrent (BEP 3 v1 metainfo) of a file or folder, for
// `tributary-cli create` and the GUI's "create torrent" dialog. It blocks while
// it reads and hashes every byte, so call it off any UI thread.
//
// What goes in, as mktorrent does it (so the info-hash matches mktorrent's for
// the same content and piece size):
//   - a folder's regular files, hidden ones included, at any depth, in byte order
//     of their '/'-joined paths; zero-length files are kept; empty folders leave
//     no trace;
//   - a symlink is followed (its target's bytes under the link's name) when the
//     target stays inside PATH; one that leaves PATH, dangles or loops is refused;
//   - refused as well: a missing PATH, an empty folder or only empty files, other
//     file kinds (FIFOs, sockets, devices), and unreadable files.
// The info dictionary holds only name, piece length, pieces, length or files,
// and private when set; announce, announce-list (one tier per tracker, only for
// more than one), url-list, comment, "created by" and "creation date" sit
// beside it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/Error.h"

namespace tributary {

struct CreateTorrentParams {
  std::string path;                   // a file or a folder
  std::vector<std::string> trackers;  // announce URLs, one tier each, in order
  std::vector<std::string> webSeeds;  // BEP 19 url-list
  // A power of two from 16 KiB to 64 MiB; 0 = chosen from the content size
  // (libtorrent's rule: the smallest that gives at most 2048 pieces, 16 KiB to 16 MiB).
  std::uint64_t pieceSize = 0;
  std::string comment;
  bool isPrivate = false;  // BEP 27
  std::string createdBy = "Tributary";
  // Seconds since the Unix epoch; nullopt = now. Nothing else varies between
  // two runs over the same content, so a fixed date gives identical files.
  std::optional<std::int64_t> creationDate;
  unsigned hashThreads = 0;  // 0 = one per core, at most 8
};

struct CreatedTorrent {
  std::string bytes;        // the bencoded .torrent
  std::string infoHashHex;  // 40 lower-case hex digits (v1)
  std::string name;
  std::uint64_t totalBytes = 0;
  std::uint64_t pieceSize = 0;
  std::uint32_t pieceCount = 0;
  std::uint32_t fileCount = 0;  // zero-length files included
};

// Called on the calling thread after each chunk is hashed, with the bytes done
// so far and the total. Returning false stops the work: createTorrent() then
// fails with ErrorCode::ShuttingDown.
using CreateTorrentProgress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

// InvalidArgument for bad parameters or refused content (with the path in the
// detail), FileMissing, PermissionDenied or IoError for the file system.
Result<CreatedTorrent> createTorrent(const CreateTorrentParams& params,
                                     const CreateTorrentProgress& progress = {});

// The piece size chosen when CreateTorrentParams::pieceSize is 0.
std::uint64_t automaticPieceSize(std::uint64_t totalBytes);

}  // namespace tributary
