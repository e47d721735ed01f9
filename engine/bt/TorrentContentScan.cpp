// Which files a new torrent holds, and in what order. mktorrent is the model
// (nftw over the folder, symlinks followed, hidden files kept, the list sorted
// with strcmp on the path), so the same folder gives the same info-hash with
// either tool; we differ only where mktorrent would make a torrent no client
// could use well (empty content) or leak files from outside PATH (symlinks).
#include <algorithm>
#include <system_error>
#include <utility>

#include "engine/bt/TorrentCreator.h"

namespace tributary::bt {
namespace {

namespace fs = std::filesystem;

Error fileSystemError(const std::error_code& ec, const std::string& what) {
  ErrorCode code = ErrorCode::IoError;
  if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted) {
    code = ErrorCode::PermissionDenied;
  } else if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
    code = ErrorCode::FileMissing;
  }
  return Error{code, what + ": " + ec.message()};
}

Error refused(const std::string& detail) {
  return Error{ErrorCode::InvalidArgument, detail};
}

// On the raw bytes (POSIX paths need not be UTF-8; the torrent keeps them as they are).
std::string bytesOf(const fs::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}

// Both canonical, so comparing elements is enough.
bool isWithin(const fs::path& path, const fs::path& root) {
  const auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

// What the user will recognise: the name they passed plus the parts below it.
std::string shown(const fs::path& userPath, const std::vector<std::string>& parts) {
  fs::path out = userPath;
  for (const auto& part : parts) {
    out /= part;
  }
  return out.string();
}

class ContentScanner {
 public:
  ContentScanner(fs::path userPath, fs::path root, const ContentScanLimits& limits)
      : userPath_(std::move(userPath)), root_(std::move(root)), limits_(limits) {}

  Result<void> walk(const fs::path& realDir) {
    if (parts_.size() > limits_.maxDepth) {
      return refused(shown(userPath_, parts_) + ": folders nested more than " +
                     std::to_string(limits_.maxDepth) + " deep");
    }
    std::error_code ec;
    fs::directory_iterator it(realDir, ec);
    if (ec) {
      return fileSystemError(ec, "cannot read the folder " + shown(userPath_, parts_));
    }
    stack_.push_back(realDir);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      parts_.push_back(bytesOf(it->path().filename()));
      auto added = visit(it->path());
      parts_.pop_back();
      if (!added) {
        return added;
      }
    }
    stack_.pop_back();
    if (ec) {
      return fileSystemError(ec, "cannot read the folder " + shown(userPath_, parts_));
    }
    return {};
  }

  std::vector<CreatorFile> takeFiles() { return std::move(files_); }

 private:
  Result<void> visit(const fs::path& entry) {
    // Symlinked folders can make a tree far larger than the disk (two links to
    // the next level, 30 levels deep): every entry counts, not only files.
    if (++visited_ > limits_.maxFiles * 4) {
      return refused(userPath_.string() + ": more than " + std::to_string(limits_.maxFiles * 4) +
                     " files and folders");
    }
    std::error_code ec;
    fs::path real = entry;
    fs::file_status status = fs::symlink_status(entry, ec);
    if (!ec && fs::is_symlink(status)) {
      real = fs::canonical(entry, ec);
      if (ec) {
        return refused(shown(userPath_, parts_) + ": a symlink whose target cannot be read (" +
                       ec.message() + ")");
      }
      if (!isWithin(real, root_)) {
        return refused(shown(userPath_, parts_) + ": a symlink to " + real.string() + ", outside " +
                       userPath_.string());
      }
      status = fs::status(real, ec);
      if (!ec && fs::is_directory(status) &&
          std::find(stack_.begin(), stack_.end(), real) != stack_.end()) {
        return refused(shown(userPath_, parts_) + ": a symlink loop (to " + real.string() + ")");
      }
    }
    if (ec) {
      return fileSystemError(ec, "cannot read " + shown(userPath_, parts_));
    }
    if (fs::is_directory(status)) {
      return walk(real);
    }
    if (!fs::is_regular_file(status)) {
      return refused(shown(userPath_, parts_) + ": not a regular file or folder");
    }
    if (files_.size() >= limits_.maxFiles) {
      return refused(userPath_.string() + ": more than " + std::to_string(limits_.maxFiles) +
                     " files");
    }
    const std::uintmax_t size = fs::file_size(real, ec);
    if (ec) {
      return fileSystemError(ec, "cannot read " + shown(userPath_, parts_));
    }
    CreatorFile file;
    file.source = real;
    file.parts = parts_;
    for (const auto& part : parts_) {
      file.sortKey += (file.sortKey.empty() ? "" : "/") + part;
    }
    file.size = size;
    files_.push_back(std::move(file));
    return {};
  }

  fs::path userPath_;
  fs::path root_;
  ContentScanLimits limits_;
  std::vector<std::string> parts_;  // of the entry being visited, below PATH
  std::vector<fs::path> stack_;     // real folders being walked: a symlink back to one loops
  std::vector<CreatorFile> files_;
  std::size_t visited_ = 0;
};

// mktorrent names the torrent after the last element of PATH as typed
// (basename), so a symlink keeps its own name; "dir/" is "dir".
std::string torrentName(const fs::path& userPath, const fs::path& root) {
  const fs::path lexical = userPath.lexically_normal();
  fs::path name = lexical.has_filename() ? lexical.filename() : lexical.parent_path().filename();
  if (name.empty() || name == "." || name == "..") {
    name = root.filename();
  }
  return bytesOf(name);
}

}  // namespace

Result<CreatorContent> scanContent(const std::string& path, const ContentScanLimits& limits) {
  if (path.empty()) {
    return refused("no path given");
  }
  const fs::path userPath(path);
  std::error_code ec;
  const fs::path root = fs::canonical(userPath, ec);
  if (ec) {
    return fileSystemError(ec, "cannot open " + path);
  }
  const fs::file_status status = fs::status(root, ec);
  if (ec) {
    return fileSystemError(ec, "cannot open " + path);
  }
  CreatorContent content;
  content.name = torrentName(userPath, root);
  if (content.name.empty()) {
    return refused(path + ": a torrent cannot be made of the root folder");
  }
  if (fs::is_regular_file(status)) {
    const std::uintmax_t size = fs::file_size(root, ec);
    if (ec) {
      return fileSystemError(ec, "cannot read " + path);
    }
    content.files.push_back(CreatorFile{root, {}, {}, size});
  } else if (fs::is_directory(status)) {
    content.multiFile = true;
    ContentScanner scanner(userPath, root, limits);
    if (auto walked = scanner.walk(root); !walked) {
      return walked.error();
    }
    content.files = scanner.takeFiles();
    if (content.files.empty()) {
      return refused(path + ": the folder has no files");
    }
    std::sort(content.files.begin(), content.files.end(),
              [](const CreatorFile& a, const CreatorFile& b) { return a.sortKey < b.sortKey; });
  } else {
    return refused(path + ": not a regular file or folder");
  }
  for (const auto& file : content.files) {
    content.totalBytes += file.size;
  }
  if (content.totalBytes == 0) {
    return refused(path + (content.multiFile ? ": every file is empty" : ": the file is empty"));
  }
  return content;
}

}  // namespace tributary::bt
