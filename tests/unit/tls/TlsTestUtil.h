// Shared by the TLS suites: bytes <-> spans, and a client/server pair joined in memory.
#pragma once

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <memory>
#include <span>

#include "MemoryTlsServer.h"
#include "engine/net/TlsContext.h"
#include "engine/net/TlsSession.h"

namespace tributary::test {

inline std::span<const std::byte> bytesOf(const QByteArray& data) {
  return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

// Error::toString() lives in engine/session; the detail and the code number do here.
inline QString describe(const Error& error) {
  return QStringLiteral("[code %1] %2")
      .arg(static_cast<int>(error.code))
      .arg(QString::fromStdString(error.detail));
}

// For QVERIFY2 messages, which are evaluated even when the check passes.
template <class T>
QString failureOf(const Result<T>& result) {
  return result ? QString() : describe(result.error());
}

inline QByteArray randomBytes(qsizetype size, quint32 seed) {
  QByteArray data(size, Qt::Uninitialized);
  QRandomGenerator generator(seed);
  generator.fillRange(reinterpret_cast<quint32*>(data.data()), size / 4);
  for (qsizetype i = size / 4 * 4; i < size; ++i) {
    data[i] = static_cast<char>(generator.generate());
  }
  return data;
}

// Returns nullptr (and a reason in *error) if the context cannot be made.
inline std::shared_ptr<net::TlsContext> clientContext(const QStringList& caFiles, QString* error,
                                                      bool systemStore = false) {
  net::TlsContextOptions options;
  options.useSystemStore = systemStore;
  for (const QString& file : caFiles) {
    options.extraCaFiles.push_back(file.toStdString());
  }
  auto context = net::TlsContext::create(options);
  if (!context) {
    *error = describe(context.error());
    return nullptr;
  }
  return context.value();
}

struct Link {
  std::unique_ptr<net::TlsSession> client;
  std::unique_ptr<MemoryTlsServer> server;
  QByteArray clientReceived;
  PumpResult result;

  PumpResult run(std::size_t chunk = 64 * 1024) {
    result = pump(*client, *server, &clientReceived, chunk);
    return result;
  }
};

// A client for `host` (port 443 unless told) and a server on `serverContext`,
// with the handshake attempted. *error is set only if either side could not be made.
inline Link connectInMemory(std::shared_ptr<net::TlsContext> clientCtx,
                            std::shared_ptr<MemoryTlsServerContext> serverCtx, const QString& host,
                            QString* error, std::uint16_t port = 443) {
  Link link;
  auto client = net::TlsSession::create(std::move(clientCtx), host.toStdString(), port);
  if (!client) {
    *error = describe(client.error());
    return link;
  }
  link.client = std::move(client).value();
  link.server = std::make_unique<MemoryTlsServer>(std::move(serverCtx));
  link.run();
  return link;
}

}  // namespace tributary::test
