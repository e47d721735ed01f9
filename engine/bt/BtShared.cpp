#include "engine/bt/BtShared.h"

#include "engine/bt/Handshake.h"
#include "engine/bt/MseCrypto.h"

namespace tributary::bt {

bool TorrentRegistry::add(const util::Sha1::Digest& infoHash, Entry entry) {
  const util::Sha1::Digest req2 = mseReq2Hash(infoHash);  // outside the lock
  util::LockGuard lock(mutex_);
  if (!entries_.emplace(infoHash, std::move(entry)).second) {
    return false;
  }
  byReq2_[req2] = infoHash;
  return true;
}

void TorrentRegistry::remove(const util::Sha1::Digest& infoHash) {
  const util::Sha1::Digest req2 = mseReq2Hash(infoHash);
  util::LockGuard lock(mutex_);
  if (entries_.erase(infoHash) > 0) {
    byReq2_.erase(req2);
  }
}

std::optional<util::Sha1::Digest> TorrentRegistry::findByReq2Hash(
    const util::Sha1::Digest& req2) const {
  util::LockGuard lock(mutex_);
  auto it = byReq2_.find(req2);
  if (it == byReq2_.end()) {
    return std::nullopt;
  }
  return it->second;
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
