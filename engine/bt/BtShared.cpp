#include "engine/bt/BtShared.h"

#include "engine/bt/Handshake.h"

namespace tributary::bt {

bool TorrentRegistry::add(const util::Sha1::Digest& infoHash, Entry entry) {
  util::LockGuard lock(mutex_);
  return entries_.emplace(infoHash, std::move(entry)).second;
}

void TorrentRegistry::remove(const util::Sha1::Digest& infoHash) {
  util::LockGuard lock(mutex_);
  entries_.erase(infoHash);
}

std::optional<TorrentRegistry::Entry> TorrentRegistry::find(
    const util::Sha1::Digest& infoHash) const {
  util::LockGuard lock(mutex_);
  auto it = entries_.find(infoHash);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool TorrentRegistry::contains(const util::Sha1::Digest& infoHash) const {
  util::LockGuard lock(mutex_);
  return entries_.count(infoHash) > 0;
}

}  // namespace tributary::bt
