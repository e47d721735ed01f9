#include "engine/net/TlsSession.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "engine/codec/IpLiteral.h"

namespace tributary::net {

namespace {

constexpr std::size_t kMaxHostLength = 253;  // a DNS name's limit; longer is not a host

Error tlsError(std::string detail) {
  return Error{ErrorCode::TlsFailure, std::move(detail)};
}

bool isUnexpectedEof(int sslError, bool transportEof) {
  if (sslError == SSL_ERROR_SSL) {
    const unsigned long code = ERR_peek_error();
    return ERR_GET_LIB(code) == ERR_LIB_SSL &&
           ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
  }
  return sslError == SSL_ERROR_SYSCALL && transportEof;
}

bool wouldBlock(int sslError) {
  return sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE;
}

}  // namespace

Result<std::unique_ptr<TlsSession>> TlsSession::create(std::shared_ptr<TlsContext> context,
                                                       std::string_view host, std::uint16_t port) {
  if (context == nullptr) {
    return Error{ErrorCode::InvalidArgument, "TLS session without a context"};
  }
  std::string_view name = host;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  const bool isIp = codec::isIpv4Literal(name) || codec::isIpv6Literal(name);
  if (!isIp && !name.empty() && name.back() == '.') {
    name.remove_suffix(1);  // "example.com." is example.com; SNI forbids the dot
  }
  if (name.empty() || name.size() > kMaxHostLength) {
    return Error{ErrorCode::InvalidArgument,
                 "bad TLS host name \"" + printableDetail(host, 100) + "\""};
  }
  std::unique_ptr<TlsSession> session(new TlsSession(std::move(context), std::string(name), port));
  if (auto configured = session->configure(isIp); !configured) {
    return configured.error();
  }
  if (auto started = session->driveHandshake(); !started) {
    return started.error();
  }
  return Result<std::unique_ptr<TlsSession>>(std::move(session));
}

TlsSession::TlsSession(std::shared_ptr<TlsContext> context, std::string host, std::uint16_t port)
    : context_(std::move(context)), host_(std::move(host)) {
  const bool ipv6 = host_.find(':') != std::string::npos;
  resumptionKey_ = (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port);
}

TlsSession::~TlsSession() {
  SSL_free(ssl_);  // frees the BIO too, before transport_ goes
}

Result<void> TlsSession::configure(bool isIpLiteral) {
  ERR_clear_error();
  ssl_ = SSL_new(context_->native());
  if (ssl_ == nullptr) {
    return tlsError("cannot create TLS session: " + takeOpenSslReason());
  }
  SSL_set_app_data(ssl_, this);
  BIO* bio = newTransportBio(transport_);
  if (bio == nullptr) {
    return tlsError("cannot create TLS transport: " + takeOpenSslReason());
  }
  SSL_set_bio(ssl_, bio, bio);  // one BIO both ways: SSL_free releases it once
  SSL_set_connect_state(ssl_);
  // Let OpenSSL take a whole batch of records from the transport per call.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_verify(ssl_, SSL_VERIFY_PEER, &TlsSession::onVerify);
  if (isIpLiteral) {
    // No SNI for addresses (RFC 6066 §3); the certificate must name the IP.
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host_.c_str()) != 1) {
      return Error{ErrorCode::InvalidArgument, "bad IP address " + printableDetail(host_)};
    }
  } else {
    if (SSL_set_tlsext_host_name(ssl_, host_.c_str()) != 1 ||
        SSL_set1_host(ssl_, host_.c_str()) != 1) {
      return Error{ErrorCode::InvalidArgument,
                   "bad TLS host name \"" + printableDetail(host_) + "\": " + takeOpenSslReason()};
    }
    SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  }
  if (SSL_SESSION* cached = context_->findSession(resumptionKey_)) {
    SSL_set_session(ssl_, cached);  // takes its own reference
    SSL_SESSION_free(cached);
  }
  return {};
}

// Called for each certificate of the chain; the first objection is kept so the
// error can name it after OpenSSL has thrown the chain away. Returning 0 stops
// the handshake: there is no override.
int TlsSession::onVerify(int preverifyOk, X509_STORE_CTX* store) {
  if (preverifyOk == 1) {
    return 1;
  }
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<TlsSession*>(SSL_get_app_data(ssl)) : nullptr;
  if (self != nullptr && self->verifyFailure_.code == 0) {
    self->verifyFailure_ = describeVerifyFailure(store);
  }
  return 0;
}

Result<void> TlsSession::driveHandshake() {
  ERR_clear_error();
  const int ret = SSL_do_handshake(ssl_);
  if (ret == 1) {
    // Belt and braces: SSL_VERIFY_PEER already fails the handshake on any objection.
    if (const long verdict = SSL_get_verify_result(ssl_); verdict != X509_V_OK) {
      TlsVerifyFailure failure = verifyFailure_;
      failure.code = verdict;
      return fail(verifyFailureError(failure, host_));
    }
    handshakeDone_ = true;
    return flushPendingPlaintext();
  }
  const int err = SSL_get_error(ssl_, ret);
  if (wouldBlock(err)) {
    ERR_clear_error();
    return {};
  }
  context_->forgetSession(resumptionKey_);  // a stale ticket must not fail the next try too
  return fail(handshakeError(err));
}

Error TlsSession::handshakeError(int sslError) {
  if (verifyFailure_.code == 0 && SSL_get_verify_result(ssl_) != X509_V_OK) {
    verifyFailure_.code = SSL_get_verify_result(ssl_);
  }
  if (verifyFailure_.code != 0) {
    ERR_clear_error();
    return verifyFailureError(verifyFailure_, host_);
  }
  if (isUnexpectedEof(sslError, transport_.eof) ||
      (sslError == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
    ERR_clear_error();
    return tlsError("handshake failed: the server closed the connection");
  }
  // A common mistake deserves its own words: an https:// URL for a plain-HTTP port.
  if (std::string_view(transport_.head.data(), transport_.headSize) == "HTTP/") {
    ERR_clear_error();
    return tlsError("handshake failed: the server answered in plain HTTP, not TLS");
  }
  return tlsError("handshake failed: " + takeOpenSslReason());
}

Error TlsSession::fail(Error error) {
  failure_ = error;
  return error;
}

void TlsSession::feedCiphertext(std::span<const std::byte> bytes) {
  transport_.in.append(bytes);
}

std::span<std::byte> TlsSession::ciphertextSpace(std::size_t atLeast) {
  transport_.in.ensureWritable(atLeast);
  return {reinterpret_cast<std::byte*>(transport_.in.beginWrite()), transport_.in.writableBytes()};
}

void TlsSession::commitCiphertext(std::size_t n) {
  transport_.in.hasWritten(n);
}

void TlsSession::feedEof() {
  transport_.eof = true;
}

Result<TlsRead> TlsSession::readPlaintext(std::span<std::byte> out) {
  if (failed()) {
    return failure_;
  }
  if (!handshakeDone_) {
    if (auto progressed = driveHandshake(); !progressed) {
      return progressed.error();
    }
    if (!handshakeDone_) {
      return TlsRead{};
    }
  } else if (pendingPlaintext_.readableBytes() > 0) {
    if (auto flushed = flushPendingPlaintext(); !flushed) {
      return flushed.error();
    }
  }
  std::size_t total = 0;
  while (end_ == TlsEnd::Open && total < out.size()) {
    ERR_clear_error();
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, out.data() + total, out.size() - total, &n);
    if (ret == 1) {
      total += n;
      continue;
    }
    const int err = SSL_get_error(ssl_, ret);
    if (wouldBlock(err)) {
      ERR_clear_error();
      break;
    }
    if (err == SSL_ERROR_ZERO_RETURN) {
      end_ = TlsEnd::CloseNotify;
      break;
    }
    if (isUnexpectedEof(err, transport_.eof)) {
      ERR_clear_error();
      end_ = TlsEnd::Truncated;
      break;
    }
    Error error = fail(tlsError("TLS error: " + takeOpenSslReason()));
    if (total == 0) {
      return error;
    }
    break;  // hand over what was decrypted (and authenticated); the error comes next call
  }
  return TlsRead{total, end_};
}

Result<void> TlsSession::writePlaintext(std::span<const std::byte> bytes) {
  if (failed()) {
    return failure_;
  }
  if (shutdownSent_) {
    return Error{ErrorCode::Internal, "TLS write after shutdown"};
  }
  if (handshakeDone_ && pendingPlaintext_.readableBytes() == 0) {
    while (!bytes.empty()) {
      ERR_clear_error();
      std::size_t n = 0;
      const int ret = SSL_write_ex(ssl_, bytes.data(), bytes.size(), &n);
      if (ret == 1) {
        bytes = bytes.subspan(n);
        continue;
      }
      const int err = SSL_get_error(ssl_, ret);
      if (!wouldBlock(err)) {
        return fail(tlsError("TLS error: " + takeOpenSslReason()));
      }
      ERR_clear_error();
      break;  // the rest waits in pendingPlaintext_ for the next readPlaintext
    }
  }
  pendingPlaintext_.append(bytes);
  return {};
}

Result<void> TlsSession::flushPendingPlaintext() {
  while (pendingPlaintext_.readableBytes() > 0) {
    ERR_clear_error();
    std::size_t n = 0;
    const int ret =
        SSL_write_ex(ssl_, pendingPlaintext_.peek(), pendingPlaintext_.readableBytes(), &n);
    if (ret == 1) {
      pendingPlaintext_.retrieve(n);
      continue;
    }
    const int err = SSL_get_error(ssl_, ret);
    if (wouldBlock(err)) {
      ERR_clear_error();
      return {};
    }
    return fail(tlsError("TLS error: " + takeOpenSslReason()));
  }
  return {};
}

Result<void> TlsSession::shutdown() {
  if (failed()) {
    return failure_;
  }
  if (shutdownSent_) {
    return {};
  }
  shutdownSent_ = true;
  if (!handshakeDone_) {
    return {};  // nothing was said yet: closing the socket is enough
  }
  if (auto flushed = flushPendingPlaintext(); !flushed) {
    return flushed;
  }
  ERR_clear_error();
  const int ret = SSL_shutdown(ssl_);
  if (ret < 0 && !wouldBlock(SSL_get_error(ssl_, ret))) {
    return fail(tlsError("TLS shutdown failed: " + takeOpenSslReason()));
  }
  ERR_clear_error();
  return {};
}

std::span<const std::byte> TlsSession::pendingCiphertext() const {
  return std::span(transport_.out).subspan(transport_.outTaken);
}

void TlsSession::consumeCiphertext(std::size_t n) {
  transport_.outTaken += std::min(n, transport_.outPending());
  if (transport_.outTaken == transport_.out.size()) {
    transport_.out.clear();  // keeps the capacity for the next records
    transport_.outTaken = 0;
  }
}

std::size_t TlsSession::takeCiphertext(std::span<std::byte> out) {
  const std::size_t n = std::min(out.size(), transport_.outPending());
  if (n > 0) {
    std::memcpy(out.data(), transport_.out.data() + transport_.outTaken, n);
  }
  consumeCiphertext(n);
  return n;
}

std::vector<std::byte> TlsSession::takeCiphertextBytes() {
  if (transport_.outTaken > 0) {  // only after a partial consumeCiphertext
    transport_.out.erase(transport_.out.begin(),
                         transport_.out.begin() + static_cast<std::ptrdiff_t>(transport_.outTaken));
    transport_.outTaken = 0;
  }
  return std::exchange(transport_.out, {});
}

bool TlsSession::sessionReused() const {
  return handshakeDone_ && SSL_session_reused(ssl_) == 1;
}

std::string_view TlsSession::protocolVersion() const {
  return handshakeDone_ ? SSL_get_version(ssl_) : "";
}

std::string_view TlsSession::cipherName() const {
  return handshakeDone_ ? SSL_get_cipher_name(ssl_) : "";
}

std::string_view TlsSession::alpnProtocol() const {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_, &data, &len);
  return data == nullptr ? std::string_view()
                         : std::string_view(reinterpret_cast<const char*>(data), len);
}

}  // namespace tributary::net
