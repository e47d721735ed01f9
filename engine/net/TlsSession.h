// Internal: one client connection's TLS state, with no socket, loop or thread
// of its own. The owner moves bytes: what the socket received goes in
// (feedCiphertext; or in place, through receiveBuffer() or ciphertextSpace +
// commitCiphertext), what TLS produced goes out (takeCiphertextBytes, or
// pendingCiphertext/consumeCiphertext, or takeCiphertext into a buffer). The
// handshake advances inside readPlaintext and writePlaintext; after any call,
// check wantsToSend().
//
// With loop::TcpSocket, nothing is copied outside OpenSSL: setReadBuffer(
// &session.receiveBuffer()) makes the socket read into the session's input;
// onData calls readPlaintext(the download buffer); onClosed calls feedEof();
// and whenever wantsToSend(), socket.write(session.takeCiphertextBytes())
// hands the records over by move.
//
// Use one TlsSession from one thread at a time. Errors are sticky: after one,
// every call returns it again (plaintext decrypted before a bad record is still
// handed over first, by the call that met it). Certificate failures are never
// overridable here: a bad certificate is an Error, with words a user can act on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/net/TlsContext.h"
#include "engine/net/TlsErrors.h"
#include "engine/net/TlsTransport.h"
#include "engine/util/Buffer.h"

struct ssl_st;
struct x509_store_ctx_st;

namespace tributary::net {

// How the server's stream ended, as far as TLS can tell.
enum class TlsEnd : std::uint8_t {
  Open,         // more may come
  CloseNotify,  // the server said it was done: everything it sent has arrived
  Truncated,    // the transport ended without close_notify: data may be missing
                // (fine if a Content-Length says the body is complete; the caller decides)
};

struct TlsRead {
  std::size_t bytes = 0;  // plaintext written to the front of the caller's span
  TlsEnd end = TlsEnd::Open;
};

class TlsSession {
 public:
  // host: a DNS name (sent as SNI and checked against the certificate) or an
  // IP literal (IPv6 with or without brackets; checked against IP SANs, no SNI).
  // The ClientHello is ready to send when this returns.
  static Result<std::unique_ptr<TlsSession>> create(std::shared_ptr<TlsContext> context,
                                                    std::string_view host, std::uint16_t port);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // --- Bytes from the socket.
  void feedCiphertext(std::span<const std::byte> bytes);
  // The buffer OpenSSL reads from. A socket may read into it directly: bytes
  // appended there count as fed. Do not retrieve() from it yourself.
  util::Buffer& receiveBuffer() { return transport_.in; }
  // Receiving in place without a util::Buffer: a span of at least `atLeast`
  // bytes to read into, then commitCiphertext(n) with how many were read.
  std::span<std::byte> ciphertextSpace(std::size_t atLeast);
  void commitCiphertext(std::size_t n);
  // The socket reached EOF. Lets readPlaintext tell a clean close from a cut.
  void feedEof();

  // --- Plaintext. readPlaintext decrypts straight into `out`, filling as much
  // of it as the received ciphertext allows; 0 bytes with TlsEnd::Open means
  // "feed more". It also drives the handshake, so call it after every feed.
  Result<TlsRead> readPlaintext(std::span<std::byte> out);
  // Queued until the handshake is done, then encrypted; never partially refused.
  Result<void> writePlaintext(std::span<const std::byte> bytes);
  Result<void> writePlaintext(std::string_view text) {
    return writePlaintext(std::as_bytes(std::span(text.data(), text.size())));
  }
  // Queues close_notify. Nothing can be written afterwards.
  Result<void> shutdown();

  // --- Bytes for the socket.
  bool wantsToSend() const { return transport_.outPending() > 0; }
  // Everything pending, by move (for a send queue that owns what it sends).
  std::vector<std::byte> takeCiphertextBytes();
  // Or in place: send from the span, then consume what the kernel took.
  std::span<const std::byte> pendingCiphertext() const;
  void consumeCiphertext(std::size_t n);
  // Or copied into the caller's buffer; returns how many bytes were.
  std::size_t takeCiphertext(std::span<std::byte> out);

  // --- State, for the caller and for logs.
  bool handshakeDone() const { return handshakeDone_; }
  bool failed() const { return failure_.code != ErrorCode::Ok; }
  bool sessionReused() const;                // resumed from the context's cache
  std::string_view protocolVersion() const;  // "TLSv1.3"; empty before the handshake
  std::string_view cipherName() const;       // "TLS_AES_128_GCM_SHA256"
  std::string_view alpnProtocol() const;     // "http/1.1", or empty if none was agreed
  const std::string& host() const { return host_; }
  const std::string& resumptionKey() const { return resumptionKey_; }

 private:
  TlsSession(std::shared_ptr<TlsContext> context, std::string host, std::uint16_t port);
  Result<void> configure(bool isIpLiteral);
  Result<void> driveHandshake();
  Result<void> flushPendingPlaintext();
  Error handshakeError(int sslError);
  Error fail(Error error);
  static int onVerify(int preverifyOk, x509_store_ctx_st* store);

  std::shared_ptr<TlsContext> context_;
  std::string host_;
  std::string resumptionKey_;
  ssl_st* ssl_ = nullptr;
  TlsTransport transport_;
  util::Buffer pendingPlaintext_;  // written before the handshake finished
  TlsVerifyFailure verifyFailure_;
  Error failure_{ErrorCode::Ok, {}};
  TlsEnd end_ = TlsEnd::Open;
  bool handshakeDone_ = false;
  bool shutdownSent_ = false;
};

}  // namespace tributary::net
