// Internal: the engine's TLS contexts, one per distinct set of extra CA files
// (none for most tasks, one more per --ca-cert file), shared by every task on
// every loop.
//
// Building a context reads the system trust store and the CA files: disk I/O
// and parsing that must not run on a loop thread. So get() blocks and belongs
// on the worker pool; a loop asks peek() first, which never blocks, and only
// goes through the pool the first time a set of CA files is used.
//
// Failures are not cached: a CA file the user fixes works on the next try.
// A CA file changed on disk after its context was built is not re-read until
// the engine restarts.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/net/TlsContext.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::net {

class TlsContextCache {
 public:
  // `base` gives everything but the extra CA files (the system store, the
  // session cache size); each context adds its own files to it.
  explicit TlsContextCache(TlsContextOptions base = {});
  TlsContextCache(const TlsContextCache&) = delete;
  TlsContextCache& operator=(const TlsContextCache&) = delete;

  // Any thread, never blocks: the context for these CA files if built, else null.
  std::shared_ptr<TlsContext> peek(const std::vector<std::string>& extraCaFiles) const
      EXCLUDES(mutex_);
  // Blocks while the context is built (by this call or a concurrent one for
  // the same files): worker threads only.
  Result<std::shared_ptr<TlsContext>> get(const std::vector<std::string>& extraCaFiles)
      EXCLUDES(mutex_);

  // Contexts built so far (for tests).
  std::size_t size() const EXCLUDES(mutex_);

 private:
  struct Entry {
    std::shared_ptr<TlsContext> context;  // null while building
  };
  static std::string keyFor(const std::vector<std::string>& extraCaFiles);

  const TlsContextOptions base_;
  mutable util::Mutex mutex_;
  util::CondVar built_;
  std::map<std::string, Entry> entries_ GUARDED_BY(mutex_);
};

}  // namespace tributary::net
