// A TLS server written with OpenSSL directly, over two memory BIOs: the other
// end of a TlsSession in tests, with bytes pumped between them in memory (no
// sockets). Deliberately independent of engine/net so a bug there cannot hide
// behind the same bug here.
#pragma once

#include <QByteArray>
#include <QString>

#include <openssl/ssl.h>

#include <memory>

#include "engine/net/TlsSession.h"

namespace tributary::test {

struct ServerConfig {
  QString certFile;  // may hold the chain after the leaf
  QString keyFile;
  int maxVersion = 0;  // e.g. TLS1_2_VERSION; 0 = the highest OpenSSL has
};

// One SSL_CTX; several connections made from it share its session tickets.
class MemoryTlsServerContext {
 public:
  // Returns nullptr and fills *error on failure.
  static std::shared_ptr<MemoryTlsServerContext> create(const ServerConfig& config, QString* error);
  ~MemoryTlsServerContext();
  SSL_CTX* native() const { return ctx_; }

 private:
  explicit MemoryTlsServerContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

class MemoryTlsServer {
 public:
  explicit MemoryTlsServer(std::shared_ptr<MemoryTlsServerContext> context);
  ~MemoryTlsServer();
  MemoryTlsServer(const MemoryTlsServer&) = delete;
  MemoryTlsServer& operator=(const MemoryTlsServer&) = delete;

  void feed(const char* data, std::size_t size);  // ciphertext from the client
  QByteArray takeOutput();                        // ciphertext for the client
  // Advances the handshake and reads whatever plaintext has arrived into received().
  void step();
  void write(const QByteArray& plaintext);  // queued until the handshake is done
  void closeNotify();                       // SSL_shutdown: sends close_notify

  bool handshakeDone() const { return SSL_is_init_finished(ssl_) == 1; }
  bool failed() const { return failed_; }
  bool gotCloseNotify() const { return gotCloseNotify_; }
  QByteArray& received() { return received_; }
  QString serverName() const;  // SNI the client sent; empty if none

 private:
  void flushWrites();

  std::shared_ptr<MemoryTlsServerContext> context_;
  SSL* ssl_;
  BIO* in_;   // owned by ssl_
  BIO* out_;  // owned by ssl_
  QByteArray received_;
  QByteArray pendingWrite_;
  bool failed_ = false;
  bool gotCloseNotify_ = false;
};

// Moves ciphertext both ways until neither side has anything more to say (or
// `maxRounds` passes), handing the client at most `chunk` bytes at a time so
// records arrive split. The client's plaintext is appended to *clientReceived;
// its first error, if any, is returned.
struct PumpResult {
  bool ok = true;
  Error error;
  net::TlsEnd end = net::TlsEnd::Open;
};
PumpResult pump(net::TlsSession& client, MemoryTlsServer& server, QByteArray* clientReceived,
                std::size_t chunk = 64 * 1024, int maxRounds = 100000);

}  // namespace tributary::test
