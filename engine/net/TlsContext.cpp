#include "engine/net/TlsContext.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/net/TlsErrors.h"
#include "engine/net/TlsSession.h"

namespace tributary::net {

namespace {

// ALPN wire format: length-prefixed protocol names.
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};

Error caFileError(const std::string& path, const std::string& why) {
  return Error{ErrorCode::TlsFailure, "CA file " + printableDetail(path, 300) + ": " + why};
}

// Reads every certificate of a PEM file into the store. Checked by hand rather
// than with SSL_CTX_load_verify_locations so the error says which file and why.
Result<void> addCaFile(X509_STORE* store, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return caFileError(path, "is a directory, not a PEM file");
  }
  ERR_clear_error();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (bio == nullptr) {
    const int err = errno;
    ERR_clear_error();
    return caFileError(path, std::error_code(err, std::generic_category()).message());
  }
  int added = 0;
  for (;;) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert == nullptr) {
      break;
    }
    if (X509_STORE_add_cert(store, cert.get()) != 1) {
      return caFileError(path, "cannot add certificate: " + takeOpenSslReason());
    }
    ++added;
  }
  // PEM_read_bio_X509 ends every file with "no start line"; anything else is damage.
  const unsigned long last = ERR_peek_last_error();
  const bool cleanEnd = last == 0 || (ERR_GET_LIB(last) == ERR_LIB_PEM &&
                                      ERR_GET_REASON(last) == PEM_R_NO_START_LINE);
  if (!cleanEnd) {
    return caFileError(path, "bad PEM data: " + takeOpenSslReason());
  }
  ERR_clear_error();
  if (added == 0) {
    return caFileError(path, "no PEM certificate found");
  }
  return {};
}

// OpenSSL hands every new resumable session here (for TLS 1.3, when the
// server's ticket arrives after the handshake). The cache keeps a copy: the
// original stays the live connection's, which OpenSSL may still change (it
// marks a session not resumable in place when a connection ends badly), and
// the copy is shared by other threads. Returning 0 leaves the original alone.
int onNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* context = static_cast<TlsContext*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  const auto* owner = static_cast<const TlsSession*>(SSL_get_app_data(ssl));
  if (context == nullptr || owner == nullptr || SSL_SESSION_is_resumable(session) != 1) {
    return 0;
  }
  if (SSL_SESSION* copy = SSL_SESSION_dup(session)) {
    context->storeSession(owner->resumptionKey(), copy);
  }
  return 0;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::create(const TlsContextOptions& options) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) {
    return Error{ErrorCode::TlsFailure, "cannot create TLS context: " + takeOpenSslReason()};
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Partial writes and a moving buffer let TlsSession resume a write from its
  // own queue; buffers are kept between records (RELEASE_BUFFERS would free and
  // reallocate them on every idle moment of a busy download).
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_clear_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);

  if (options.useSystemStore && SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    return Error{ErrorCode::TlsFailure,
                 "cannot load the system certificate store: " + takeOpenSslReason()};
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx.get());
  for (const std::string& path : options.extraCaFiles) {
    if (auto added = addCaFile(store, path); !added) {
      return added.error();
    }
  }
  // Like curl: an intermediate given as a CA is a trust anchor of its own.
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);

  if (SSL_CTX_set_alpn_protos(ctx.get(), kAlpnHttp11, sizeof kAlpnHttp11) != 0) {
    return Error{ErrorCode::TlsFailure, "cannot set ALPN: " + takeOpenSslReason()};
  }
  // Our own cache (keyed by host:port) instead of OpenSSL's internal one,
  // which a client cannot look up by server.
  SSL_CTX_set_session_cache_mode(ctx.get(),
                                 SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx.get(), onNewSession);

  std::shared_ptr<TlsContext> context(
      new TlsContext(ctx.release(), std::max<std::size_t>(options.sessionCacheSize, 1)));
  SSL_CTX_set_app_data(context->ctx_, context.get());
  return context;
}

TlsContext::TlsContext(SSL_CTX* ctx, std::size_t cacheSize) : ctx_(ctx), cacheSize_(cacheSize) {}

TlsContext::~TlsContext() {
  for (CachedSession& entry : sessions_) {
    SSL_SESSION_free(entry.session);
  }
  SSL_CTX_free(ctx_);
}

SSL_SESSION* TlsContext::findSession(const std::string& key) {
  util::LockGuard lock(mutex_);
  for (CachedSession& entry : sessions_) {
    if (entry.key == key) {
      entry.lastUse = ++useCounter_;
      // A private copy per connection, for the reason given at onNewSession.
      return SSL_SESSION_dup(entry.session);
    }
  }
  return nullptr;
}

void TlsContext::storeSession(const std::string& key, SSL_SESSION* session) {
  SSL_SESSION* dropped = nullptr;
  {
    util::LockGuard lock(mutex_);
    auto it = std::find_if(sessions_.begin(), sessions_.end(),
                           [&](const CachedSession& e) { return e.key == key; });
    if (it == sessions_.end() && sessions_.size() >= cacheSize_) {
      it = std::min_element(
          sessions_.begin(), sessions_.end(),
          [](const CachedSession& a, const CachedSession& b) { return a.lastUse < b.lastUse; });
      it->key = key;
    }
    if (it == sessions_.end()) {
      sessions_.push_back({key, session, ++useCounter_});
    } else {
      dropped = std::exchange(it->session, session);
      it->lastUse = ++useCounter_;
    }
  }
  SSL_SESSION_free(dropped);  // outside the lock: freeing may take a while
}

void TlsContext::forgetSession(const std::string& key) {
  SSL_SESSION* dropped = nullptr;
  {
    util::LockGuard lock(mutex_);
    auto it = std::find_if(sessions_.begin(), sessions_.end(),
                           [&](const CachedSession& e) { return e.key == key; });
    if (it != sessions_.end()) {
      dropped = it->session;
      sessions_.erase(it);
    }
  }
  SSL_SESSION_free(dropped);
}

std::size_t TlsContext::cachedSessionCount() const {
  util::LockGuard lock(mutex_);
  return sessions_.size();
}

}  // namespace tributary::net
