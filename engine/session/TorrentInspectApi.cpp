// engine/api/TorrentInspect.h, backed by engine/bt's metainfo parser. It lives in
// the session library because that is what app/ and ui/ link (engine/api is
// header-only), like TorrentCreatorApi.cpp.
#include <algorithm>
#include <fstream>

#include "engine/api/TorrentInspect.h"
#include "engine/bt/Metainfo.h"

namespace tributary {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    // Metainfo paths are sanitised (no empty element), but never trust that here.
    if (slash > start) {
      parts.push_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return parts;
}

TorrentInfo summarise(const bt::Metainfo& meta) {
  TorrentInfo info;
  info.name = meta.name;
  info.infoHashHex = meta.infoHashHex();
  info.pieceSize = static_cast<std::uint64_t>(meta.pieceLength);
  info.multiFile = meta.multiFile;
  info.files.reserve(meta.files.size());
  for (const bt::TorrentFile& file : meta.files) {
    TorrentFileInfo entry;
    entry.path = splitPath(file.path);
    entry.size = static_cast<std::uint64_t>(file.length);
    entry.padding = file.padding;
    if (!file.padding) {
      info.totalBytes += entry.size;
    }
    info.files.push_back(std::move(entry));
  }
  return info;
}

}  // namespace

Result<TorrentInfo> inspectTorrent(std::string_view bytes) {
  auto parsed = bt::parseMetainfo(bytes, bt::MetainfoLimits{});
  if (!parsed) {
    return parsed.error();
  }
  return summarise(parsed.value());
}

Result<TorrentInfo> inspectTorrentFile(const std::string& path) {
  // Read with the cap checked as we go, so a huge file named .torrent costs at
  // most the cap in memory (DefaultTaskFactory reads the same way).
  const std::size_t cap = bt::MetainfoLimits{}.maxInputBytes;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::FileMissing, "cannot open " + path};
  }
  std::string bytes;
  std::string chunk(64 * 1024, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > cap) {
      return Error{ErrorCode::InvalidArgument, path + " is too large for a .torrent file"};
    }
  }
  if (in.bad()) {
    return Error{ErrorCode::IoError, "cannot read " + path};
  }
  auto info = inspectTorrent(bytes);
  if (!info) {
    Error error = info.error();
    error.detail = path + ": " + error.detail;
    return error;
  }
  return info;
}

}  // namespace tributary
