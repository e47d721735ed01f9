// The info dictionary: pieces, files and their paths. Every number is checked
// before it is used in arithmetic, and every path goes through TorrentPath.
#include <algorithm>
#include <bit>

#include "engine/bt/MetainfoParse.h"
#include "engine/bt/TorrentPath.h"
#include "engine/codec/Utf8.h"

namespace tributary::bt::detail {

namespace {

using codec::BencodeValue;

constexpr std::size_t kHashBytes = 20;

struct FileAttributes {
  bool padding = false;
  bool executable = false;
  bool hidden = false;
  bool symlink = false;
};

FileAttributes parseAttributes(const BencodeValue& dict) {
  FileAttributes attributes;
  // BEP 47: characters in any order, unknown ones ignored.
  for (const char c : dict.findString("attr").value_or(std::string_view())) {
    attributes.padding |= c == 'p';
    attributes.executable |= c == 'x';
    attributes.hidden |= c == 'h';
    attributes.symlink |= c == 'l';
  }
  return attributes;
}

// A list of strings as views, or nullopt when it is not one.
std::optional<std::vector<std::string_view>> stringList(const BencodeValue& list) {
  if (!list.isList()) {
    return std::nullopt;
  }
  std::vector<std::string_view> out;
  out.reserve(list.size());
  for (const BencodeValue item : list.items()) {
    const std::optional<std::string_view> text = item.asString();
    if (!text) {
      return std::nullopt;
    }
    out.push_back(*text);
  }
  return out;
}

std::optional<std::vector<std::string_view>> preferredPath(const BencodeValue& file) {
  if (auto utf8 = stringList(file.find("path.utf-8"))) {
    const bool valid = std::all_of(utf8->begin(), utf8->end(), codec::isValidUtf8);
    if (valid && !utf8->empty()) {
      return utf8;
    }
  }
  return stringList(file.find("path"));
}

std::string fileLabel(std::size_t index) {
  return "file " + std::to_string(index) + ": ";
}

// One file as read from the torrent, before duplicates are resolved.
struct PendingFile {
  std::vector<std::string> path;  // sanitised elements, the torrent's name first when multi-file
  std::int64_t length = 0;
  FileAttributes attributes;
  std::optional<std::vector<std::string>> symlinkTarget;
};

Result<void> checkPieceLength(std::optional<std::int64_t> pieceLength) {
  if (!pieceLength) {
    return torrentError("missing or non-integer piece length");
  }
  const std::int64_t value = *pieceLength;
  if (value < kMinPieceLength || value > kMaxPieceLength ||
      !std::has_single_bit(static_cast<std::uint64_t>(value))) {
    return torrentError("piece length " + std::to_string(value) +
                        " is not a power of two from 16 KiB to 64 MiB");
  }
  return {};
}

class InfoReader {
 public:
  InfoReader(const BencodeValue& info, const MetainfoLimits& limits, Metainfo& out)
      : info_(info), limits_(limits), out_(out) {}

  // Lengths before hashes: a negative or zero size is the clearer complaint
  // than the hash count it then fails to match.
  Result<void> read() {
    if (Result<void> ok = checkPieceLength(info_.findInteger("piece length")); !ok) {
      return ok;
    }
    out_.pieceLength = *info_.findInteger("piece length");
    readName();
    const bool hasLength = static_cast<bool>(info_.find("length"));
    const bool hasFiles = static_cast<bool>(info_.find("files"));
    if (hasLength == hasFiles) {
      return torrentError(hasLength ? "both length and files are present"
                                    : "neither length nor files is present");
    }
    if (Result<void> ok = hasFiles ? readFiles() : readSingleFile(); !ok) {
      return ok;
    }
    if (total_ == 0) {
      return torrentError("the torrent holds no data (total length 0)");
    }
    if (Result<void> ok = readPieces(); !ok) {
      return ok;
    }
    const std::int64_t expected = (total_ + out_.pieceLength - 1) / out_.pieceLength;
    if (expected != static_cast<std::int64_t>(out_.pieceCount())) {
      return torrentError(std::to_string(out_.pieceCount()) + " piece hashes for " +
                          std::to_string(expected) + " pieces");
    }
    return finishFiles();
  }

 private:
  Result<void> readPieces() {
    const std::optional<std::string_view> pieces = info_.findString("pieces");
    if (!pieces) {
      return torrentError("missing or non-string pieces");
    }
    if (pieces->empty() || pieces->size() % kHashBytes != 0) {
      return torrentError("pieces is " + std::to_string(pieces->size()) +
                          " bytes, not a positive multiple of 20");
    }
    if (pieces->size() / kHashBytes > limits_.maxPieces) {
      return torrentError("too many pieces (" + std::to_string(pieces->size() / kHashBytes) + ")");
    }
    out_.pieceHashes.assign(*pieces);
    return {};
  }

  void readName() {
    const std::string_view raw = preferUtf8(info_, "name").value_or(std::string_view());
    out_.name = sanitizePathElement(raw);
    if (out_.name.empty()) {
      out_.name = out_.infoHashHex();
    }
  }

  Result<void> addLength(std::optional<std::int64_t> length, const std::string& label) {
    if (!length) {
      return torrentError(label + "missing or non-integer length");
    }
    if (*length < 0) {
      return torrentError(label + "negative length " + std::to_string(*length));
    }
    if (*length >= limits_.maxTotalLength - total_) {
      return torrentError("total length too large (2^50 bytes or more)");
    }
    total_ += *length;
    return {};
  }

  Result<void> readSingleFile() {
    PendingFile file;
    if (Result<void> ok = addLength(info_.findInteger("length"), {}); !ok) {
      return ok;
    }
    file.length = total_;
    file.path = {out_.name};
    file.attributes = parseAttributes(info_);
    // The torrent's root is the task folder itself here, so any link leaves the torrent.
    file.attributes.symlink = false;
    pending_.push_back(std::move(file));
    return {};
  }

  Result<void> readFiles() {
    const BencodeValue files = info_.findList("files");
    if (!files) {
      return torrentError("files is not a list");
    }
    if (files.size() == 0) {
      return torrentError("files is empty");
    }
    if (files.size() > limits_.maxFiles) {
      return torrentError("too many files (" + std::to_string(files.size()) + ")");
    }
    out_.multiFile = true;
    pending_.reserve(files.size());
    std::size_t index = 0;
    for (const BencodeValue entry : files.items()) {
      if (Result<void> ok = readFile(entry, fileLabel(index++)); !ok) {
        return ok;
      }
    }
    return {};
  }

  Result<void> readFile(const BencodeValue& entry, const std::string& label) {
    if (!entry.isDict()) {
      return torrentError(label + "not a dictionary");
    }
    PendingFile file;
    const std::int64_t before = total_;
    if (Result<void> ok = addLength(entry.findInteger("length"), label); !ok) {
      return ok;
    }
    file.length = total_ - before;
    const std::optional<std::vector<std::string_view>> path = preferredPath(entry);
    if (!path) {
      return torrentError(label + "path is not a list of strings");
    }
    file.path.reserve(path->size() + 1);
    file.path.push_back(out_.name);
    for (std::string& element : sanitizePath(*path)) {
      file.path.push_back(std::move(element));
    }
    if (file.path.size() == 1) {
      file.path.emplace_back("_");  // nothing survived: still a file inside the folder
    }
    file.attributes = parseAttributes(entry);
    if (file.attributes.symlink) {
      if (auto target = stringList(entry.find("symlink path"))) {
        file.symlinkTarget = sanitizeSymlinkTarget(*target);
      }
      // BEP 47 links carry no data; one with bytes is kept as the file it claims to be.
      file.attributes.symlink = file.symlinkTarget.has_value() && file.length == 0;
    }
    pending_.push_back(std::move(file));
    return {};
  }

  Result<void> finishFiles() {
    std::vector<std::vector<std::string>> paths;
    std::vector<bool> ignored;
    paths.reserve(pending_.size());
    ignored.reserve(pending_.size());
    for (PendingFile& file : pending_) {
      paths.push_back(std::move(file.path));
      ignored.push_back(file.attributes.padding);
    }
    makePathsDistinct(paths, ignored);

    out_.files.reserve(pending_.size());
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const PendingFile& file = pending_[i];
      TorrentFile done;
      done.path = joinPath(paths[i]);
      if (done.path.size() > kMaxPathBytes) {
        return torrentError(fileLabel(i) + "path longer than 4096 bytes");
      }
      done.offset = offset;
      done.length = file.length;
      done.padding = file.attributes.padding;
      done.executable = file.attributes.executable;
      done.hidden = file.attributes.hidden;
      done.symlink = file.attributes.symlink;
      if (done.symlink) {
        done.symlinkTarget = out_.name + '/' + joinPath(*file.symlinkTarget);
      }
      offset += file.length;
      out_.files.push_back(std::move(done));
    }
    out_.totalLength = total_;
    return {};
  }

  const BencodeValue& info_;
  const MetainfoLimits& limits_;
  Metainfo& out_;
  std::vector<PendingFile> pending_;
  std::int64_t total_ = 0;
};

}  // namespace

std::optional<std::string_view> preferUtf8(const BencodeValue& dict, std::string_view key) {
  const std::optional<std::string_view> utf8 = dict.findString(std::string(key) + ".utf-8");
  if (utf8 && codec::isValidUtf8(*utf8)) {
    return utf8;
  }
  return dict.findString(key);
}

Result<void> parseInfo(const BencodeValue& info, const MetainfoLimits& limits, Metainfo& out) {
  if (!info.isDict()) {
    return torrentError("missing info dictionary");
  }
  if (const BencodeValue unsorted = info.firstUnsortedDict()) {
    return torrentError("info dictionary keys are not sorted (dictionary at offset " +
                        std::to_string(unsorted.offset()) + ")");
  }
  const bool v2 = info.findInteger("meta version").value_or(1) >= 2;
  if (!info.find("pieces") && (v2 || info.find("file tree"))) {
    return Error{ErrorCode::NotSupported, "BitTorrent v2-only torrents are not supported"};
  }
  out.hybrid = v2;
  out.infoBytes.assign(info.raw());
  out.infoHash = util::sha1(info.raw());
  out.isPrivate = info.findInteger("private").value_or(0) == 1;
  return InfoReader(info, limits, out).read();
}

}  // namespace tributary::bt::detail
