#include "engine/storage/TorrentStorage.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "engine/storage/PartFile.h"

namespace tributary::storage {

TorrentStorage::TorrentStorage(std::shared_ptr<FileIo> io, std::string root,
                               std::shared_ptr<const TorrentLayout> layout,
                               std::size_t maxOpenFiles)
    : io_(std::move(io)),
      root_(std::move(root)),
      layout_(std::move(layout)),
      maxOpenFiles_(std::max<std::size_t>(maxOpenFiles, 1)),
      wanted_(layout_->files().size(), true),
      open_(layout_->files().size()) {}

std::string TorrentStorage::filePath(std::size_t file) const {
  return joinPath(root_, layout_->files()[file].path);
}

void TorrentStorage::setWanted(std::vector<bool> wanted) {
  util::LockGuard lock(mutex_);
  wanted.resize(layout_->files().size(), true);
  wanted_ = std::move(wanted);
}

bool TorrentStorage::wanted(std::size_t file) const {
  util::LockGuard lock(mutex_);
  return wanted_[file];
}

void TorrentStorage::evictLocked() {
  while (openCount_ >= maxOpenFiles_) {
    std::size_t oldest = open_.size();
    for (std::size_t i = 0; i < open_.size(); ++i) {
      if (open_[i].file && (oldest == open_.size() || open_[i].lastUse < open_[oldest].lastUse)) {
        oldest = i;
      }
    }
    if (oldest == open_.size()) {
      return;
    }
    // A worker still using the handle keeps it alive through its shared_ptr.
    // A handle with writes not yet synced waits for the next sync() (a resume
    // file may only claim pieces that are durable), then closes.
    if (open_[oldest].dirty) {
      unsynced_.push_back(std::move(open_[oldest].file));
    }
    open_[oldest] = {};
    --openCount_;
  }
}

Result<std::shared_ptr<File>> TorrentStorage::fileFor(std::size_t index, bool write) {
  {
    util::LockGuard lock(mutex_);
    Open& slot = open_[index];
    if (slot.file && (slot.writable || !write)) {
      slot.lastUse = ++useClock_;
      slot.dirty = slot.dirty || write;
      return slot.file;
    }
  }
  // Opening touches the disk: outside the lock, so other workers go on.
  const std::string path = filePath(index);
  if (write) {
    const std::size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
      if (auto made = io_->makeDirectories(path.substr(0, slash)); !made) {
        return made.error();
      }
    }
  }
  auto opened = io_->open(path, write ? FileIo::OpenMode::ReadWrite : FileIo::OpenMode::Read);
  if (!opened) {
    return opened.error();
  }
  std::shared_ptr<File> file(std::move(opened.value()));
  if (write && bypassCache_.load(std::memory_order_relaxed)) {
    file->bypassCacheForAlignedWrites();
  }
  util::LockGuard lock(mutex_);
  Open& slot = open_[index];
  if (slot.file && (slot.writable || !write)) {
    // Another worker opened it meanwhile: use one handle.
    slot.lastUse = ++useClock_;
    slot.dirty = slot.dirty || write;
    return slot.file;
  }
  if (!slot.file) {
    evictLocked();
    ++openCount_;
  }
  slot.file = file;
  slot.writable = write;
  slot.dirty = slot.dirty || write;
  slot.lastUse = ++useClock_;
  return file;
}

Result<void> TorrentStorage::write(std::uint64_t offset, std::span<const std::byte> data) {
  util::LockGuard serial(writeMutex_);
  std::vector<FileSpan> spans;
  layout_->spans(offset, data.size(), spans);
  for (const FileSpan& span : spans) {
    const LayoutFile& entry = layout_->files()[span.file];
    if (entry.padding || !wanted(span.file)) {
      continue;
    }
    auto file = fileFor(span.file, true);
    if (!file) {
      return file.error();
    }
    const auto bytes = data.subspan(static_cast<std::size_t>(span.streamOffset - offset),
                                    static_cast<std::size_t>(span.length));
    if (auto written = file.value()->writeAt(span.fileOffset, bytes); !written) {
      return written.error();
    }
  }
  return {};
}

Result<void> TorrentStorage::read(std::uint64_t offset, std::span<std::byte> out) {
  std::vector<FileSpan> spans;
  layout_->spans(offset, out.size(), spans);
  for (const FileSpan& span : spans) {
    auto bytes = out.subspan(static_cast<std::size_t>(span.streamOffset - offset),
                             static_cast<std::size_t>(span.length));
    if (layout_->files()[span.file].padding) {
      std::memset(bytes.data(), 0, bytes.size());
      continue;
    }
    auto file = fileFor(span.file, false);
    if (!file) {
      return file.error();
    }
    auto got = file.value()->readAt(span.fileOffset, bytes);
    if (!got) {
      return got.error();
    }
    if (got.value() != bytes.size()) {
      return Error{ErrorCode::FileMissing,
                   layout_->files()[span.file].path + " is shorter than the torrent says"};
    }
  }
  return {};
}

bool TorrentStorage::onlyHoles(std::uint64_t offset, std::uint64_t length) {
  std::vector<FileSpan> spans;
  layout_->spans(offset, length, spans);
  for (const FileSpan& span : spans) {
    if (layout_->files()[span.file].padding) {
      continue;
    }
    auto file = fileFor(span.file, false);
    if (!file) {
      return false;
    }
    const Result<std::uint64_t> size = file.value()->size();
    if (!size || size.value() < span.fileOffset + span.length ||
        file.value()->hasDataIn(span.fileOffset, span.length) != std::optional<bool>(false)) {
      return false;
    }
  }
  return true;
}

std::vector<std::optional<FileStat>> TorrentStorage::fileStats() {
  std::vector<std::optional<FileStat>> stats(layout_->files().size());
  for (std::size_t i = 0; i < stats.size(); ++i) {
    if (layout_->files()[i].padding) {
      continue;
    }
    if (auto st = io_->stat(filePath(i))) {
      stats[i] = st.value();
    }
  }
  return stats;
}

std::vector<std::int64_t> TorrentStorage::fileSizes() {
  const std::vector<std::optional<FileStat>> stats = fileStats();
  std::vector<std::int64_t> sizes(stats.size(), -1);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (layout_->files()[i].padding) {
      sizes[i] = static_cast<std::int64_t>(layout_->files()[i].length);
    } else if (stats[i]) {
      sizes[i] = static_cast<std::int64_t>(stats[i]->size);
    }
  }
  return sizes;
}

Result<void> TorrentStorage::createEmptyFiles() {
  for (std::size_t i = 0; i < layout_->files().size(); ++i) {
    const LayoutFile& entry = layout_->files()[i];
    if (entry.length == 0 && !entry.padding && wanted(i)) {
      auto file = fileFor(i, true);
      if (!file) {
        return file.error();
      }
    }
  }
  return {};
}

Result<void> TorrentStorage::sync() {
  std::vector<std::shared_ptr<File>> dirty;
  {
    // After any write under way: it marks its file dirty before writing, so
    // collecting in the middle would clear the mark, miss the bytes, and the
    // next sync would skip the file though resume data then claims them.
    util::LockGuard serial(writeMutex_);
    util::LockGuard lock(mutex_);
    dirty.swap(unsynced_);
    for (Open& slot : open_) {
      if (slot.file && slot.dirty) {
        dirty.push_back(slot.file);
        slot.dirty = false;
      }
    }
  }
  for (std::size_t i = 0; i < dirty.size(); ++i) {
    if (auto synced = dirty[i]->sync(); !synced) {
      // This one and the ones not reached stay owed: the next sync tries
      // them again (a file's fsync error is reported once, so never assume).
      util::LockGuard lock(mutex_);
      unsynced_.insert(unsynced_.end(), dirty.begin() + static_cast<std::ptrdiff_t>(i),
                       dirty.end());
      return synced.error();
    }
  }
  return {};
}

void TorrentStorage::closeAll() {
  util::LockGuard lock(mutex_);
  for (Open& slot : open_) {
    slot = {};
  }
  unsynced_.clear();
  openCount_ = 0;
}

Result<void> TorrentStorage::removeFiles() {
  closeAll();
  std::set<std::string> folders;
  Result<void> result;
  for (std::size_t i = 0; i < layout_->files().size(); ++i) {
    if (layout_->files()[i].padding) {
      continue;
    }
    const std::string& path = layout_->files()[i].path;
    if (auto removed = io_->remove(filePath(i));
        !removed && removed.error().code != ErrorCode::FileMissing && result) {
      result = removed.error();
    }
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      folders.insert(path.substr(0, slash));
    }
  }
  // Deepest first; a folder that still holds something (the user's own
  // files) fails to go, which is what we want.
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    (void)io_->remove(joinPath(root_, *it));
  }
  return result;
}

}  // namespace tributary::storage
