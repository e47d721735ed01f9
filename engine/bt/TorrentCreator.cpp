// makeTorrent(), behind the public createTorrent(): scan, hash, write the metainfo, and read it
// back with our own parser, so a torrent we make is always one we (and the checks every client
// shares: piece count, sizes, path rules) accept.
#include "engine/bt/TorrentCreator.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "engine/bt/Metainfo.h"
#include "engine/codec/Bencode.h"

namespace tributary::bt {
namespace {

using codec::BencodeNode;

Error refused(std::string detail) {
  return Error{ErrorCode::InvalidArgument, std::move(detail)};
}

bool isPowerOfTwo(std::uint64_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

Result<std::uint64_t> choosePieceSize(const CreateTorrentParams& params, std::uint64_t total) {
  if (params.pieceSize == 0) {
    return automaticPieceLength(total);
  }
  if (!isPowerOfTwo(params.pieceSize) || params.pieceSize < kMinCreatePieceSize ||
      params.pieceSize > kMaxCreatePieceSize) {
    return refused("the piece size must be a power of two from 16 KiB to 64 MiB, not " +
                   std::to_string(params.pieceSize));
  }
  return params.pieceSize;
}

Result<void> checkUrls(const std::vector<std::string>& urls, const char* what) {
  for (const auto& url : urls) {
    if (url.empty()) {
      return refused(std::string("an empty ") + what + " URL");
    }
    for (const char c : url) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
        return refused(std::string("a ") + what + " URL with a space or control character");
      }
    }
  }
  return {};
}

// Our parser drops a tracker listed twice anyway; keeping it out keeps the
// tiers what the user meant.
std::vector<std::string> distinct(const std::vector<std::string>& urls) {
  std::vector<std::string> out;
  for (const auto& url : urls) {
    if (std::find(out.begin(), out.end(), url) == out.end()) {
      out.push_back(url);
    }
  }
  return out;
}

BencodeNode infoDictionary(const CreatorContent& content, std::uint64_t pieceSize,
                           std::string hashes, bool isPrivate) {
  BencodeNode info;
  info.set("name", content.name);
  info.set("piece length", pieceSize);
  info.set("pieces", std::move(hashes));
  if (isPrivate) {
    info.set("private", 1);
  }
  if (!content.multiFile) {
    info.set("length", content.totalBytes);
    return info;
  }
  BencodeNode files = BencodeNode::makeList();
  for (const auto& file : content.files) {
    BencodeNode entry;
    entry.set("length", file.size);
    BencodeNode path = BencodeNode::makeList();
    for (const auto& part : file.parts) {
      path.push(part);
    }
    entry.set("path", std::move(path));
    files.push(std::move(entry));
  }
  info.set("files", std::move(files));
  return info;
}

// Beside the info dictionary, as mktorrent writes it: "announce-list" only
// for several trackers, "url-list" a string for one web seed.
BencodeNode metainfo(const CreateTorrentParams& params, BencodeNode info) {
  BencodeNode root;
  const auto trackers = distinct(params.trackers);
  if (!trackers.empty()) {
    root.set("announce", trackers.front());
  }
  if (trackers.size() > 1) {
    BencodeNode tiers = BencodeNode::makeList();
    for (const auto& url : trackers) {
      tiers.push(BencodeNode::makeList()).push(url);
    }
    root.set("announce-list", std::move(tiers));
  }
  const auto webSeeds = distinct(params.webSeeds);
  if (webSeeds.size() == 1) {
    root.set("url-list", webSeeds.front());
  } else if (!webSeeds.empty()) {
    BencodeNode list = BencodeNode::makeList();
    for (const auto& url : webSeeds) {
      list.push(url);
    }
    root.set("url-list", std::move(list));
  }
  if (!params.comment.empty()) {
    root.set("comment", params.comment);
  }
  if (!params.createdBy.empty()) {
    root.set("created by", params.createdBy);
  }
  root.set("creation date",
           params.creationDate.value_or(static_cast<std::int64_t>(std::time(nullptr))));
  root.set("info", std::move(info));
  return root;
}

}  // namespace

std::uint64_t automaticPieceLength(std::uint64_t totalBytes) {
  std::uint64_t size = kMinCreatePieceSize;
  while (size < kMaxAutomaticPieceSize && totalBytes / size >= kAutomaticPieceTarget) {
    size *= 2;
  }
  return size;
}

Result<CreatedTorrent> makeTorrent(const CreateTorrentParams& params,
                                   const CreateTorrentProgress& progress) {
  if (auto ok = checkUrls(params.trackers, "tracker"); !ok) {
    return ok.error();
  }
  if (auto ok = checkUrls(params.webSeeds, "web seed"); !ok) {
    return ok.error();
  }
  auto content = scanContent(params.path);
  if (!content) {
    return content.error();
  }
  const CreatorContent& found = content.value();
  auto pieceSize = choosePieceSize(params, found.totalBytes);
  if (!pieceSize) {
    return pieceSize.error();
  }
  const MetainfoLimits limits;
  if (found.totalBytes >= static_cast<std::uint64_t>(limits.maxTotalLength)) {
    return refused(params.path + ": too large for a torrent (1 PiB and more)");
  }
  const std::uint64_t pieces = (found.totalBytes + pieceSize.value() - 1) / pieceSize.value();
  if (pieces > limits.maxPieces) {
    return refused(params.path + ": " + std::to_string(pieces) +
                   " pieces is too many; choose a larger piece size");
  }
  auto hashes = hashContent(found, pieceSize.value(), params.hashThreads, progress);
  if (!hashes) {
    return hashes.error();
  }
  std::string bytes = metainfo(params, infoDictionary(found, pieceSize.value(),
                                                      std::move(hashes).value(), params.isPrivate))
                          .encode();
  auto parsed = parseMetainfo(bytes, limits);
  if (!parsed) {
    return refused(params.path + ": the torrent would not open: " + parsed.error().detail);
  }
  CreatedTorrent out;
  out.infoHashHex = parsed.value().infoHashHex();
  out.name = found.name;
  out.totalBytes = found.totalBytes;
  out.pieceSize = pieceSize.value();
  out.pieceCount = parsed.value().pieceCount();
  out.fileCount = static_cast<std::uint32_t>(found.files.size());
  out.bytes = std::move(bytes);
  return out;
}

}  // namespace tributary::bt
