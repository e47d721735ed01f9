#include "engine/storage/MoveTorrentFiles.h"

#include <set>
#include <vector>

#include "engine/storage/PartFile.h"

namespace tributary::storage {
namespace {

constexpr std::size_t kCopyChunk = std::size_t{1} << 20;

std::string parentOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string() : path.substr(0, slash);
}

// Across file systems: copied under a temporary name, flushed, renamed into
// place, and only then the original removed, so a failure at any step leaves
// one whole copy.
bool cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

Result<void> copyThenRemove(FileIo& io, const std::string& source, const std::string& target,
                            const std::atomic<bool>* cancel) {
  auto in = io.open(source, FileIo::OpenMode::Read);
  if (!in) {
    return in.error();
  }
  const std::string temp = target + ".tributary-move";
  auto out = io.open(temp, FileIo::OpenMode::WriteTruncate);
  if (!out) {
    return out.error();
  }
  std::vector<std::byte> chunk(kCopyChunk);
  std::uint64_t offset = 0;
  for (;;) {
    if (cancelled(cancel)) {
      (void)io.remove(temp);
      return Error{ErrorCode::ShuttingDown, "set location: stopped while copying " + source};
    }
    auto n = in.value()->readAt(offset, chunk);
    if (!n) {
      (void)io.remove(temp);
      return n.error();
    }
    if (n.value() == 0) {
      break;
    }
    if (auto written = out.value()->writeAt(offset, std::span(chunk).first(n.value())); !written) {
      (void)io.remove(temp);
      return written;
    }
    offset += n.value();
  }
  if (auto synced = out.value()->sync(); !synced) {
    (void)io.remove(temp);
    return synced;
  }
  out.value().reset();
  if (auto renamed = io.rename(temp, target); !renamed) {
    (void)io.remove(temp);
    return renamed;
  }
  (void)io.syncDirectory(parentOf(target));
  return io.remove(source);
}

}  // namespace

Result<void> moveTorrentFiles(FileIo& io, const TorrentLayout& layout, const std::string& from,
                              const std::string& to, const std::atomic<bool>* cancel) {
  std::set<std::string> folders;
  for (const LayoutFile& file : layout.files()) {
    if (file.padding) {
      continue;
    }
    if (cancelled(cancel)) {
      return Error{ErrorCode::ShuttingDown, "set location: stopped"};
    }
    for (std::size_t slash = file.path.find('/'); slash != std::string::npos;
         slash = file.path.find('/', slash + 1)) {
      folders.insert(file.path.substr(0, slash));
    }
    const std::string source = joinPath(from, file.path);
    const std::string target = joinPath(to, file.path);
    if (source == target || !io.stat(source)) {
      continue;  // nothing here to move (gone, or never created)
    }
    if (io.stat(target)) {
      return Error{ErrorCode::InvalidArgument,
                   "set location: " + target + " already exists; not overwritten"};
    }
    if (const std::string parent = parentOf(target); !parent.empty()) {
      if (auto made = io.makeDirectories(parent); !made) {
        return made;
      }
    }
    if (io.rename(source, target)) {
      continue;
    }
    // Most often another file system (EXDEV): copy instead.
    if (auto copied = copyThenRemove(io, source, target, cancel); !copied) {
      return copied;
    }
  }
  // Deepest first; a folder still holding the user's own files stays.
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    (void)io.remove(joinPath(from, *it));
  }
  return {};
}

}  // namespace tributary::storage
