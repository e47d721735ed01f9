// Internal: the client-side TLS configuration shared by many connections: one
// per engine, or one per distinct set of extra CAs (--ca-cert). Immutable after
// create() except for its session cache, which is locked, so TlsSessions on
// several loop threads may share one context.
//
// It trusts the system store plus the extra CA files, speaks TLS 1.2 and 1.3
// only, offers ALPN "http/1.1", and keeps the last resumable session per
// host:port so the next connection to the same server (a download's 8 segments)
// skips the full handshake.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/ThreadAnnotations.h"

struct ssl_ctx_st;
struct ssl_session_st;

namespace tributary::net {

struct TlsContextOptions {
  // PEM files trusted in addition to the system store; each may hold several
  // certificates. A file that is missing, unreadable or holds no certificate
  // makes create() fail with an Error naming it.
  std::vector<std::string> extraCaFiles;
  // Tests turn the system store off so they know exactly what is trusted.
  bool useSystemStore = true;
  // How many host:port entries the resumption cache keeps (least recently used go first).
  std::size_t sessionCacheSize = 64;
};

class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> create(const TlsContextOptions& options = {});
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // For TlsSession (the OpenSSL SSL_CTX); others have no use for it.
  ssl_ctx_st* native() const { return ctx_; }

  // Resumption cache, keyed by "host:port". find() returns a private copy (the
  // caller frees it) or nullptr; store() takes the caller's reference. Cached
  // sessions are never handed to a connection themselves, so no thread ever
  // changes one that another is reading.
  ssl_session_st* findSession(const std::string& key) EXCLUDES(mutex_);
  void storeSession(const std::string& key, ssl_session_st* session) EXCLUDES(mutex_);
  void forgetSession(const std::string& key) EXCLUDES(mutex_);
  std::size_t cachedSessionCount() const EXCLUDES(mutex_);

 private:
  struct CachedSession {
    std::string key;
    ssl_session_st* session = nullptr;
    std::uint64_t lastUse = 0;
  };

  TlsContext(ssl_ctx_st* ctx, std::size_t cacheSize);

  ssl_ctx_st* const ctx_;
  const std::size_t cacheSize_;
  mutable util::Mutex mutex_;
  // A handful of entries: a linear scan beats hashing, and eviction is trivial.
  std::vector<CachedSession> sessions_ GUARDED_BY(mutex_);
  std::uint64_t useCounter_ GUARDED_BY(mutex_) = 0;
};

}  // namespace tributary::net
