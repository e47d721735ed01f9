#include "MemoryTlsServer.h"

#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace tributary::test {

namespace {

int selectHttp11(SSL*, const unsigned char** out, unsigned char* outLen, const unsigned char* in,
                 unsigned int inLen, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outLen, kHttp11, sizeof kHttp11, in, inLen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

QString openSslErrors() {
  QString text;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256] = {};
    ERR_error_string_n(code, buf, sizeof buf);
    text += QString::fromLatin1(buf) + ' ';
  }
  return text;
}

}  // namespace

std::shared_ptr<MemoryTlsServerContext> MemoryTlsServerContext::create(const ServerConfig& config,
                                                                       QString* error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = "SSL_CTX_new: " + openSslErrors();
    return nullptr;
  }
  std::shared_ptr<MemoryTlsServerContext> context(new MemoryTlsServerContext(ctx));
  if (SSL_CTX_use_certificate_chain_file(ctx, config.certFile.toLocal8Bit().constData()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, config.keyFile.toLocal8Bit().constData(),
                                  SSL_FILETYPE_PEM) != 1) {
    *error = "server certificate/key: " + openSslErrors();
    return nullptr;
  }
  if (config.maxVersion != 0) {
    SSL_CTX_set_max_proto_version(ctx, config.maxVersion);
  }
  SSL_CTX_set_alpn_select_cb(ctx, selectHttp11, nullptr);
  return context;
}

MemoryTlsServerContext::~MemoryTlsServerContext() {
  SSL_CTX_free(ctx_);
}

MemoryTlsServer::MemoryTlsServer(std::shared_ptr<MemoryTlsServerContext> context)
    : context_(std::move(context)),
      ssl_(SSL_new(context_->native())),
      in_(BIO_new(BIO_s_mem())),
      out_(BIO_new(BIO_s_mem())) {
  SSL_set_bio(ssl_, in_, out_);
  SSL_set_accept_state(ssl_);
}

MemoryTlsServer::~MemoryTlsServer() {
  SSL_free(ssl_);
}

void MemoryTlsServer::feed(const char* data, std::size_t size) {
  if (size > 0) {
    BIO_write(in_, data, static_cast<int>(size));
  }
}

QByteArray MemoryTlsServer::takeOutput() {
  QByteArray out;
  std::array<char, 64 * 1024> chunk{};
  int n = 0;
  while ((n = BIO_read(out_, chunk.data(), static_cast<int>(chunk.size()))) > 0) {
    out.append(chunk.data(), n);
  }
  return out;
}

void MemoryTlsServer::step() {
  if (failed_) {
    return;
  }
  if (!handshakeDone()) {
    const int ret = SSL_do_handshake(ssl_);
    if (ret != 1) {
      const int err = SSL_get_error(ssl_, ret);
      failed_ = err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE;
      ERR_clear_error();
      return;
    }
  }
  flushWrites();
  std::vector<char> buf(64 * 1024);
  for (;;) {
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, buf.data(), buf.size(), &n);
    if (ret == 1) {
      received_.append(buf.data(), static_cast<qsizetype>(n));
      continue;
    }
    const int err = SSL_get_error(ssl_, ret);
    gotCloseNotify_ = gotCloseNotify_ || err == SSL_ERROR_ZERO_RETURN;
    failed_ =
        err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_ZERO_RETURN;
    ERR_clear_error();
    break;
  }
  flushWrites();
}

void MemoryTlsServer::write(const QByteArray& plaintext) {
  pendingWrite_ += plaintext;
  if (handshakeDone()) {
    flushWrites();
  }
}

void MemoryTlsServer::flushWrites() {
  while (!pendingWrite_.isEmpty() && !failed_) {
    std::size_t n = 0;
    if (SSL_write_ex(ssl_, pendingWrite_.constData(),
                     static_cast<std::size_t>(pendingWrite_.size()), &n) != 1) {
      ERR_clear_error();
      return;
    }
    pendingWrite_.remove(0, static_cast<qsizetype>(n));
  }
}

void MemoryTlsServer::closeNotify() {
  SSL_shutdown(ssl_);
}

QString MemoryTlsServer::serverName() const {
  const char* name = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  return name != nullptr ? QString::fromLatin1(name) : QString();
}

PumpResult pump(net::TlsSession& client, MemoryTlsServer& server, QByteArray* clientReceived,
                std::size_t chunk, int maxRounds) {
  PumpResult result;
  QByteArray toClient;
  std::vector<std::byte> plain(100000);
  unsigned seed = 12345;
  for (int round = 0; round < maxRounds; ++round) {
    bool moved = false;
    // Client -> server, through each way there is to take ciphertext.
    if (client.wantsToSend()) {
      moved = true;
      auto feedServer = [&](std::span<const std::byte> bytes) {
        server.feed(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      };
      switch (round % 4) {
        case 0: {  // in place, consumed in two steps
          const auto pending = client.pendingCiphertext();
          const std::size_t half = pending.size() / 2;
          feedServer(pending.first(half));
          client.consumeCiphertext(half);
          feedServer(client.pendingCiphertext());
          client.consumeCiphertext(client.pendingCiphertext().size());
          break;
        }
        case 1:
          feedServer(client.takeCiphertextBytes());
          break;
        case 2: {
          std::vector<std::byte> out(7000);
          while (const std::size_t n = client.takeCiphertext(out)) {
            feedServer(std::span(out).first(n));
          }
          break;
        }
        default: {  // part in place, the rest by move
          const std::size_t part = client.pendingCiphertext().size() / 3;
          feedServer(client.pendingCiphertext().first(part));
          client.consumeCiphertext(part);
          feedServer(client.takeCiphertextBytes());
          break;
        }
      }
    }
    server.step();
    toClient += server.takeOutput();
    // Server -> client, a pseudo-random slice at a time so records arrive split.
    if (!toClient.isEmpty()) {
      moved = true;
      seed = seed * 1103515245 + 12345;
      const std::size_t n =
          std::min<std::size_t>(static_cast<std::size_t>(toClient.size()), 1 + (seed >> 8) % chunk);
      const char* bytes = toClient.constData();
      if (round % 3 == 0) {
        client.feedCiphertext(std::as_bytes(std::span(bytes, n)));
      } else if (round % 3 == 1) {
        const auto space = client.ciphertextSpace(n);
        std::memcpy(space.data(), bytes, n);
        client.commitCiphertext(n);
      } else {
        client.receiveBuffer().append(bytes, n);  // as loop::TcpSocket would
      }
      toClient.remove(0, static_cast<qsizetype>(n));
    }
    for (;;) {
      const std::size_t want = round % 2 == 0 ? plain.size() : 777;
      auto read = client.readPlaintext(std::span(plain.data(), want));
      if (!read) {
        result.ok = false;
        result.error = read.error();
        return result;
      }
      result.end = read.value().end;
      clientReceived->append(reinterpret_cast<const char*>(plain.data()),
                             static_cast<qsizetype>(read.value().bytes));
      moved = moved || read.value().bytes > 0;
      if (read.value().bytes < want) {
        break;
      }
    }
    if (!moved && !client.wantsToSend()) {
      break;
    }
  }
  return result;
}

}  // namespace tributary::test
