#include "engine/http/HttpConnection.h"

#include <utility>

#include "engine/util/Log.h"

namespace tributary::http {
namespace {

// Decrypted bytes are produced in slices of this size, so a fast TLS stream
// never piles up more plaintext than the parser is about to consume.
constexpr std::size_t kPlainSlice = 64 * 1024;

}  // namespace

HttpConnection::HttpConnection(loop::EventLoop& loop, loop::Resolver& resolver, Origin origin,
                               ConnectionOptions options)
    : loop_(loop),
      resolver_(resolver),
      origin_(std::move(origin)),
      options_(std::move(options)),
      headTimer_(loop) {}

HttpConnection::~HttpConnection() {
  close();
}

std::string HttpConnection::tlsDescription() const {
  if (!tls_ || !tls_->handshakeDone()) {
    return {};
  }
  return std::string(tls_->protocolVersion()) + " " + std::string(tls_->cipherName());
}

void HttpConnection::send(std::string requestHead, bool headRequest, Handler handler) {
  loop_.assertInLoopThread();
  if (closed_ || inFlight_) {
    // A caller bug, reported as a failed response rather than a crash.
    Handler h = std::move(handler);
    if (h.onEnd) {
      h.onEnd(Error{ErrorCode::Internal, "request on a busy or closed connection"});
    }
    return;
  }
  pendingRequest_ = std::move(requestHead);
  handler_ = std::move(handler);
  headRequest_ = headRequest;
  inFlight_ = true;
  responseStarted_ = false;
  parser_.reset(headRequest);
  if (options_.headTimeout.count() > 0) {
    headTimer_.start(options_.headTimeout, std::chrono::milliseconds(0), [this] {
      fail(Error{ErrorCode::Timeout, "no complete response head from " + origin_.host + " within " +
                                         std::to_string(options_.headTimeout.count()) + " ms"});
    });
  }
  if (!connected_) {
    reused_ = false;
    startConnect();
    return;
  }
  reused_ = true;
  socket_->setReadTimeout(options_.readTimeout);
  writeRequest();
}

void HttpConnection::writeRequest() {
  if (!tls_) {
    socket_->write(pendingRequest_);
    return;
  }
  // Before the handshake is done the request waits in the session.
  if (auto written = tls_->writePlaintext(std::string_view(pendingRequest_)); !written) {
    fail(written.error());
    return;
  }
  flushTls();
}

void HttpConnection::startConnect() {
  if (origin_.tls() && !options_.tls) {
    fail(Error{ErrorCode::Internal, "https without a TLS context"});
    return;
  }
  if (!addresses_.empty()) {
    connectTo(0);  // a reconnect reuses the addresses that worked
    return;
  }
  std::weak_ptr<char> alive = life_;
  lookup_ = resolver_.resolve(origin_.host, origin_.port,
                              [this, alive](Result<loop::Resolver::Addresses> found) {
                                if (alive.expired()) {
                                  return;
                                }
                                if (!found) {
                                  fail(found.error());
                                  return;
                                }
                                addresses_ = std::move(found.value());
                                connectTo(0);
                              });
}

void HttpConnection::connectTo(std::size_t index) {
  socket_ = std::make_unique<loop::TcpSocket>(loop_);
  if (options_.receiveBufferBytes > 0) {
    (void)socket_->setReceiveBufferSize(options_.receiveBufferBytes);
  }
  tls_.reset();
  if (origin_.tls()) {
    auto session = net::TlsSession::create(options_.tls, origin_.host, origin_.port);
    if (!session) {
      fail(session.error());
      return;
    }
    tls_ = std::move(session.value());
    socket_->setReadBuffer(&tls_->receiveBuffer());
  }
  std::weak_ptr<char> alive = life_;
  socket_->setOnData([this](util::Buffer& wire) { onSocketData(wire); });
  socket_->setOnClosed([this](Result<void> reason) { onSocketClosed(std::move(reason)); });
  socket_->connect(addresses_[index], options_.connectTimeout,
                   [this, alive, index](Result<void> result) {
                     if (alive.expired()) {
                       return;
                     }
                     if (!result) {
                       // Try the next address (another family, another host).
                       if (index + 1 < addresses_.size()) {
                         connectTo(index + 1);
                       } else {
                         fail(result.error());
                       }
                       return;
                     }
                     onConnected();
                   });
}

void HttpConnection::onConnected() {
  connected_ = true;
  socket_->setReadTimeout(options_.readTimeout);
  if (paused_) {
    socket_->pauseReading();
  }
  writeRequest();  // with TLS, after the ClientHello that is ready to go
}

void HttpConnection::flushTls() {
  if (tls_ && socket_ && tls_->wantsToSend()) {
    socket_->write(tls_->takeCiphertextBytes());
  }
}

void HttpConnection::onSocketData(util::Buffer& wire) {
  if (!inFlight_) {
    // Bytes on an idle keep-alive connection are not an answer to anything:
    // the connection is out of step, so it is not used again.
    if (!tls_ && wire.readableBytes() > 0) {
      socket_.reset();
      connected_ = false;
    }
    return;
  }
  processInput();
}

bool HttpConnection::processInput() {
  std::weak_ptr<char> alive = life_;
  while (inFlight_ && !paused_) {
    if (tls_) {
      plain_.ensureWritable(kPlainSlice);
      auto read = tls_->readPlaintext(
          std::span<std::byte>(reinterpret_cast<std::byte*>(plain_.beginWrite()), kPlainSlice));
      flushTls();  // handshake records, or the request once the handshake is done
      if (!read) {
        fail(read.error());
        return !alive.expired();
      }
      plain_.hasWritten(read.value().bytes);
    }
    util::Buffer& in = input();
    const std::size_t available = in.readableBytes();
    responseStarted_ = responseStarted_ || available > 0;
    // Fed even when empty: a body that ended exactly at the end of the last
    // read is reported Done only by the next call.
    const auto fed = parser_.feed(std::span<const char>(in.peek(), available));
    switch (fed.event) {
      case ResponseParser::Event::NeedMore:
        in.retrieve(fed.consumed);
        if (!tls_ || available == 0) {
          return true;  // wait for the socket
        }
        continue;  // more ciphertext may be waiting to be decrypted
      case ResponseParser::Event::HeadReady: {
        in.retrieve(fed.consumed);
        headTimer_.stop();
        const bool keep = !handler_.onHead || handler_.onHead(parser_.head());
        if (alive.expired()) {
          return false;
        }
        if (!keep) {
          close();
          return true;
        }
        continue;
      }
      case ResponseParser::Event::Body: {
        // The span points into `in`: give it out before retrieving.
        const bool keep = !handler_.onBody || handler_.onBody(fed.body);
        if (alive.expired()) {
          return false;
        }
        if (!keep) {
          close();
          return true;
        }
        if (socket_) {
          input().retrieve(fed.consumed);
        }
        continue;
      }
      case ResponseParser::Event::Done:
        in.retrieve(fed.consumed);
        finishResponse({});
        return !alive.expired();
      case ResponseParser::Event::Error:
        fail(Error{ErrorCode::ProtocolError, std::string(parseErrorName(parser_.error())) +
                                                 " at byte " +
                                                 std::to_string(parser_.errorOffset()) +
                                                 " of the response from " + origin_.host});
        return !alive.expired();
    }
  }
  return true;
}

void HttpConnection::onSocketClosed(Result<void> reason) {
  std::weak_ptr<char> alive = life_;
  if (tls_) {
    tls_->feedEof();
  }
  if (!inFlight_) {
    socket_.reset();
    connected_ = false;
    return;
  }
  // Drain what was already received (and, for TLS, decrypt the rest).
  if (!processInput() || !inFlight_) {
    return;
  }
  if (!responseStarted_ && reused_) {
    // The server closed the keep-alive connection as we sent: try once more on
    // a fresh one, as browsers do. Nothing of the response was seen.
    TLOG(Debug, "http") << origin_.key() << ": stale keep-alive connection, reconnecting";
    socket_.reset();
    tls_.reset();
    connected_ = false;
    reused_ = false;
    startConnect();
    return;
  }
  if (!reason) {
    fail(reason.error());
    return;
  }
  const auto end = parser_.finish();
  if (end.event == ResponseParser::Event::Done) {
    finishResponse({});
    return;
  }
  fail(Error{ErrorCode::ConnectionReset,
             "the connection to " + origin_.host + " closed before the response ended"});
  (void)alive;
}

void HttpConnection::finishResponse(Result<void> result) {
  inFlight_ = false;
  headTimer_.stop();
  pendingRequest_.clear();
  const bool reusable = result.ok() && parser_.head().keepAlive && socket_ && !closed_;
  if (!reusable) {
    socket_.reset();
    tls_.reset();
    connected_ = false;
  } else {
    socket_->setReadTimeout(std::chrono::milliseconds(0));  // idle: the server decides
  }
  Handler handler = std::move(handler_);
  handler_ = {};
  if (handler.onEnd) {
    handler.onEnd(std::move(result));
  }
}

void HttpConnection::fail(Error error) {
  TLOG(Debug, "http") << origin_.key() << ": " << error.toString();
  lookup_.cancel();
  finishResponse(std::move(error));
}

void HttpConnection::pauseReading() {
  paused_ = true;
  if (socket_) {
    socket_->pauseReading();
  }
}

void HttpConnection::resumeReading() {
  if (!paused_) {
    return;
  }
  paused_ = false;
  if (socket_) {
    socket_->resumeReading();
  }
  // Bytes buffered while paused are parsed from a fresh post, not from inside
  // the caller's stack (it may be a handler of this connection).
  if (inFlight_ && !processScheduled_) {
    processScheduled_ = true;
    std::weak_ptr<char> alive = life_;
    loop_.post([this, alive] {
      if (alive.expired()) {
        return;
      }
      processScheduled_ = false;
      if (socket_ && !paused_) {
        processInput();
      }
    });
  }
}

void HttpConnection::close() {
  closed_ = true;
  headTimer_.stop();
  inFlight_ = false;
  handler_ = {};
  lookup_.cancel();
  socket_.reset();
  tls_.reset();
  connected_ = false;
}

}  // namespace tributary::http
