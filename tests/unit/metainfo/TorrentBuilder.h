// Builds .torrent files for the metainfo tests with the bencode encoder, so a
// test can state the one field it breaks and keep everything else valid.
#pragma once

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/bt/Metainfo.h"
#include "engine/codec/Bencode.h"

namespace testing {

using tributary::codec::BencodeNode;

struct FileSpec {
  FileSpec() = default;
  FileSpec(std::vector<std::string> p, std::int64_t len, std::string a = {},
           std::vector<std::string> target = {})
      : path(std::move(p)), length(len), attr(std::move(a)), symlink(std::move(target)) {}

  std::vector<std::string> path;
  std::int64_t length = 0;
  std::string attr;
  std::vector<std::string> symlink;  // "symlink path", when not empty
};

// Enough 20-byte hashes for `total` bytes in pieces of `pieceLength`; the hashes
// are distinct so a test can tell them apart.
inline std::string fakePieces(std::int64_t total, std::int64_t pieceLength) {
  const std::int64_t count = pieceLength > 0 ? (total + pieceLength - 1) / pieceLength : 0;
  std::string out;
  for (std::int64_t i = 0; i < count; ++i) {
    std::string hash(20, static_cast<char>('A' + i % 26));
    hash[0] = static_cast<char>(i & 0xFF);
    hash[1] = static_cast<char>((i >> 8) & 0xFF);
    out += hash;
  }
  return out;
}

inline BencodeNode pathNode(const std::vector<std::string>& elements) {
  BencodeNode list = BencodeNode::makeList();
  for (const std::string& e : elements) {
    list.push(e);
  }
  return list;
}

inline BencodeNode multiFileInfo(const std::string& name, const std::vector<FileSpec>& files,
                                 std::int64_t pieceLength = 16384) {
  BencodeNode info;
  BencodeNode list = BencodeNode::makeList();
  std::int64_t total = 0;
  for (const FileSpec& f : files) {
    BencodeNode entry;
    entry.set("length", f.length);
    entry.set("path", pathNode(f.path));
    if (!f.attr.empty()) {
      entry.set("attr", f.attr);
    }
    if (!f.symlink.empty()) {
      entry.set("symlink path", pathNode(f.symlink));
    }
    list.push(std::move(entry));
    total += f.length;
  }
  info.set("files", std::move(list));
  info.set("name", name);
  info.set("piece length", pieceLength);
  info.set("pieces", fakePieces(total, pieceLength));
  return info;
}

inline BencodeNode singleFileInfo(const std::string& name, std::int64_t length,
                                  std::int64_t pieceLength = 16384) {
  BencodeNode info;
  info.set("length", length);
  info.set("name", name);
  info.set("piece length", pieceLength);
  info.set("pieces", fakePieces(length, pieceLength));
  return info;
}

inline std::string torrentWith(BencodeNode info,
                               const std::string& announce = "http://127.0.0.1:6969/announce") {
  BencodeNode torrent;
  if (!announce.empty()) {
    torrent.set("announce", announce);
  }
  torrent.set("info", std::move(info));
  return torrent.encode();
}

// Whether a metainfo path, joined to `root`, stays inside it: relative, no "."
// or ".." or empty element, no backslash or colon, every element at most 255
// bytes, and QDir::cleanPath agrees it is below root.
inline bool staysInside(const QString& root, const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos ||
      path.find(':') != std::string::npos || path.find('\0') != std::string::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string element = path.substr(start, slash - start);
    if (element.empty() || element == "." || element == ".." || element.size() > 255) {
      return false;
    }
    start = slash + 1;
  }
  const QString joined = QDir::cleanPath(root + '/' + QString::fromStdString(path));
  return joined.startsWith(QDir::cleanPath(root) + '/');
}

// Creates every non-padding file of `meta` under `taskDir` (symlinks as plain
// files: we check placement, not link semantics) and returns how many regular
// files exist under `sandbox` afterwards, so a test sees anything that escaped.
inline int materialize(const tributary::bt::Metainfo& meta, const QString& sandbox,
                       const QString& taskDir) {
  for (const auto& file : meta.files) {
    if (file.padding) {
      continue;
    }
    const QString full = taskDir + '/' + QString::fromStdString(file.path);
    QDir().mkpath(QFileInfo(full).path());
    QFile out(full);
    if (!out.open(QIODevice::WriteOnly)) {
      return -1;
    }
  }
  int count = 0;
  QDirIterator it(sandbox, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString found = it.next();
    if (!found.startsWith(taskDir + '/')) {
      return -1;
    }
    ++count;
  }
  return count;
}

}  // namespace testing
