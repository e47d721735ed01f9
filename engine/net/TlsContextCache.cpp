#include "engine/net/TlsContextCache.h"

#include <algorithm>
#include <utility>

namespace tributary::net {

TlsContextCache::TlsContextCache(TlsContextOptions base) : base_(std::move(base)) {}

std::string TlsContextCache::keyFor(const std::vector<std::string>& extraCaFiles) {
  // Order does not change what is trusted; a path never holds '\n' in practice,
  // and if one did, the worst case is a second identical context.
  std::vector<std::string> sorted = extraCaFiles;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string key;
  for (const std::string& path : sorted) {
    key += path;
    key += '\n';
  }
  return key;
}

std::shared_ptr<TlsContext> TlsContextCache::peek(
    const std::vector<std::string>& extraCaFiles) const {
  const std::string key = keyFor(extraCaFiles);
  util::LockGuard lock(mutex_);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.context;
}

Result<std::shared_ptr<TlsContext>> TlsContextCache::get(
    const std::vector<std::string>& extraCaFiles) {
  const std::string key = keyFor(extraCaFiles);
  {
    util::UniqueLock lock(mutex_);
    for (;;) {
      auto it = entries_.find(key);
      if (it == entries_.end()) {
        entries_.emplace(key, Entry{});  // ours to build; others wait for it
        break;
      }
      if (it->second.context) {
        return it->second.context;
      }
      built_.wait(lock);
    }
  }
  TlsContextOptions options = base_;
  options.extraCaFiles = extraCaFiles;
  Result<std::shared_ptr<TlsContext>> made = TlsContext::create(options);
  {
    util::LockGuard lock(mutex_);
    if (made) {
      entries_[key].context = made.value();
    } else {
      entries_.erase(key);  // the next caller tries again (and sees the error itself)
    }
  }
  built_.notifyAll();
  return made;
}

std::size_t TlsContextCache::size() const {
  util::LockGuard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      entries_.begin(), entries_.end(), [](const auto& entry) { return entry.second.context; }));
}

}  // namespace tributary::net
