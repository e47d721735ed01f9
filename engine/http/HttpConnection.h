// Internal: one HTTP/1.1 client connection to one origin (scheme, host, port):
// resolve, connect (each address in turn), TLS when https, one request at a
// time, the response parsed as it arrives, keep-alive between requests.
// Lives on one loop; handlers run there and may close or destroy the
// connection from inside.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "engine/api/Error.h"
#include "engine/http/ResponseParser.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/TcpSocket.h"
#include "engine/loop/Timer.h"
#include "engine/net/TlsContext.h"
#include "engine/net/TlsSession.h"
#include "engine/util/Buffer.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::http {

struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name or an IP literal, without brackets
  std::uint16_t port = 0;

  bool tls() const { return scheme == "https"; }
  std::string key() const { return scheme + "://" + host + ":" + std::to_string(port); }
  bool operator==(const Origin&) const = default;
};

struct ConnectionOptions {
  std::chrono::milliseconds connectTimeout{15000};
  std::chrono::milliseconds readTimeout{30000};  // no byte for this long ends a response
  // From sending a request to its complete head: a server that trickles its
  // head (slow-loris) resets the read timeout with every byte, not this one.
  std::chrono::milliseconds headTimeout{30000};
  std::shared_ptr<net::TlsContext> tls;  // required for https
  int receiveBufferBytes = 0;            // SO_RCVBUF, 0 = the system's
};

class HttpConnection {
 public:
  struct Handler {
    // The final head arrived. Return false to abandon the response (the
    // connection is closed, onEnd is not called).
    util::UniqueFunction<bool(const ResponseHead&)> onHead;
    // Decoded body bytes in order, valid only during the call. Return false to
    // abandon the response as above.
    util::UniqueFunction<bool(std::span<const char>)> onBody;
    // The response is complete (ok: the connection may carry another request)
    // or failed (DNS, connect, TLS, timeout, reset, malformed response).
    util::UniqueFunction<void(Result<void>)> onEnd;
  };

  HttpConnection(loop::EventLoop& loop, loop::Resolver& resolver, Origin origin,
                 ConnectionOptions options);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends a complete request head (see RequestWriter) and reports through
  // `handler`. Connects first when needed. Only when idle() or not yet used.
  void send(std::string requestHead, bool headRequest, Handler handler);

  // Back-pressure from the consumer: stop reading (and parsing what is
  // buffered) until resumed. Paused time does not count against readTimeout.
  void pauseReading();
  void resumeReading();

  // Connected (or never connected) and no request in flight.
  bool idle() const { return !inFlight_ && !closed_; }
  bool closed() const { return closed_; }
  // Drops everything; no handler runs after this returns.
  void close();

  const Origin& origin() const { return origin_; }
  std::uint64_t bytesReceived() const { return socket_ ? socket_->bytesRead() : 0; }
  // For logs: "TLSv1.3 TLS_AES_256_GCM_SHA384", empty for plain http.
  std::string tlsDescription() const;

 private:
  void startConnect();
  void connectTo(std::size_t index);
  void onConnected();
  void onSocketData(util::Buffer& wire);
  void onSocketClosed(Result<void> reason);
  void writeRequest();
  void flushTls();
  // Parses what is buffered; returns false if `this` was destroyed meanwhile.
  bool processInput();
  void finishResponse(Result<void> result);
  void fail(Error error);
  util::Buffer& input() { return tls_ ? plain_ : socket_->readBuffer(); }

  loop::EventLoop& loop_;
  loop::Resolver& resolver_;
  Origin origin_;
  ConnectionOptions options_;

  loop::Resolver::Request lookup_;
  loop::Resolver::Addresses addresses_;
  std::unique_ptr<loop::TcpSocket> socket_;
  std::unique_ptr<net::TlsSession> tls_;
  util::Buffer plain_{64 * 1024};  // decrypted bytes waiting for the parser (https)
  ResponseParser parser_;
  loop::Timer headTimer_;

  std::string pendingRequest_;
  Handler handler_;
  bool headRequest_ = false;
  bool inFlight_ = false;
  bool connected_ = false;
  bool reused_ = false;           // this request rides on an earlier response's connection
  bool responseStarted_ = false;  // a byte of the response arrived
  bool paused_ = false;
  bool closed_ = false;
  bool processScheduled_ = false;
  std::shared_ptr<char> life_ = std::make_shared<char>();  // expires with this object
};

}  // namespace tributary::http
