#include "engine/loop/TcpSocket.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "engine/loop/TcpSocketBox.h"
#include "engine/loop/UvError.h"
#include "engine/util/Log.h"

namespace tributary::loop {

void TcpSocket::UvCallbacks::onConnect(uv_connect_t* req, int status) {
  TcpSocketBox* box = boxOf(req->handle->data);
  // ECANCELED: the handle is closing (our close, or the loop's shutdown).
  if (status == UV_ECANCELED || !box->ownerAlive) {
    return;
  }
  box->owner->onConnected(status);
}

void TcpSocket::UvCallbacks::onAlloc(uv_handle_t* handle, std::size_t /*suggested*/,
                                     uv_buf_t* buf) {
  TcpSocketBox* box = boxOf(handle->data);
  if (!box->ownerAlive) {
    *buf = uv_buf_init(nullptr, 0);  // libuv reports UV_ENOBUFS, which we ignore
    return;
  }
  util::Buffer& buffer = *box->owner->readBuffer_;
  buffer.ensureWritable(kReadChunk);
  const std::size_t space = std::min<std::size_t>(buffer.writableBytes(), UINT_MAX);
  *buf = uv_buf_init(buffer.beginWrite(), static_cast<unsigned>(space));
}

void TcpSocket::UvCallbacks::onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* /*buf*/) {
  TcpSocketBox* box = boxOf(stream->data);
  if (box->ownerAlive) {
    box->owner->onReadDone(static_cast<long>(nread));
  }
}

TcpSocket::TcpSocket(EventLoop& loop)
    : loop_(loop), box_(new TcpSocketBox), timer_(loop), life_(std::make_shared<char>(0)) {
  loop_.assertInLoopThread();
  box_->tcp.data = static_cast<HandleBox*>(box_);
  box_->owner = this;
  // The handle exists from the start (without an OS socket until connect or
  // accept), so a loop shutting down finds and closes even an idle socket.
  uv_loop_t* uvLoop = loop_.uvLoop();
  if (uvLoop == nullptr || loop_.isClosed() || uv_tcp_init(uvLoop, &box_->tcp) != 0) {
    box_->closed = true;  // a dead socket: connect() never reports, like a dead Timer
  }
}

TcpSocket::~TcpSocket() {
  if (!box_->closed) {
    loop_.assertInLoopThread();
  }
  if (state_ != State::Closed) {
    Dropped dropped = closeNow(false);
  }
  releaseHandleBox(box_);
}

void TcpSocket::applyBufferSizes() {
  // Best effort: a refused size leaves the kernel's default, which still works.
  if (wantReceiveBuffer_ > 0) {
    int value = wantReceiveBuffer_;
    uv_recv_buffer_size(box_->handle(), &value);
  }
  if (wantSendBuffer_ > 0) {
    int value = wantSendBuffer_;
    uv_send_buffer_size(box_->handle(), &value);
  }
}

void TcpSocket::connect(const SocketAddress& to, std::chrono::milliseconds timeout,
                        ConnectCallback cb) {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  if (state_ != State::Idle) {
    TLOG(Error, "loop") << "connect() on a socket that is already connecting or connected";
    return;
  }
  state_ = State::Connecting;
  connectCb_ = std::move(cb);
  remote_ = to;
  sockaddr_storage storage{};
  if (to.toSockaddr(&storage) == 0) {
    deferConnectError(Error{ErrorCode::InvalidArgument, "connect to an unspecified address"});
    return;
  }
  if (handleBoxDead(box_)) {
    deferConnectError(Error{ErrorCode::ShuttingDown, "connect to " + peerText()});
    return;
  }
  const int rc =
      uv_tcp_connect(&box_->connectReq, &box_->tcp, reinterpret_cast<const sockaddr*>(&storage),
                     UvCallbacks::onConnect);
  if (rc != 0) {
    deferConnectError(uvError(rc, "connect to " + peerText()));
    return;
  }
  // The OS socket exists from here. The SYN has just left, but Linux sizes
  // the window scale for the largest buffer allowed, so the sizes still count.
  applyBufferSizes();
  if (timeout.count() > 0) {
    timer_.start(timeout, std::chrono::milliseconds{0}, [this, timeout] {
      failConnect(Error{ErrorCode::Timeout, "connect to " + peerText() + ": no answer in " +
                                                std::to_string(timeout.count()) + " ms"});
    });
  }
}

void TcpSocket::deferConnectError(Error error) {
  // The caller may not be ready for its callback inside connect(): report on the next tick.
  pendingError_ = std::move(error);
  timer_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0},
               [this] { failConnect(std::move(pendingError_)); });
}

void TcpSocket::onConnected(int status) {
  if (state_ != State::Connecting) {
    return;
  }
  timer_.stop();
  if (status < 0) {
    failConnect(uvError(status, "connect to " + peerText()));
    return;
  }
  becomeConnected();
  ConnectCallback cb = std::move(connectCb_);
  const std::weak_ptr<char> alive = life_;
  if (cb) {
    cb(Result<void>());
  }
  if (alive.expired() || state_ != State::Connected) {
    return;
  }
  flush();  // what was written while connecting
}

void TcpSocket::failConnect(Error error) {
  ConnectCallback cb = std::move(connectCb_);
  Dropped dropped = closeNow(false);
  if (cb) {
    cb(Result<void>(std::move(error)));  // may destroy this socket
  }
}

bool TcpSocket::acceptFrom(uv_stream_s* server) {
  loop_.assertInLoopThread();
  if (state_ != State::Idle || handleBoxDead(box_)) {
    return false;
  }
  const int rc = uv_accept(server, box_->stream());
  if (rc != 0) {
    TLOG(Warning, "loop") << "accept: " << uvErrorText(rc);
    Dropped dropped = closeNow(false);
    return false;
  }
  sockaddr_storage peer{};
  int length = sizeof peer;
  if (uv_tcp_getpeername(&box_->tcp, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
    remote_ = SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&peer))
                  .value_or(SocketAddress{});
  }
  applyBufferSizes();
  becomeConnected();
  return true;
}

void TcpSocket::becomeConnected() {
  state_ = State::Connected;
  // Request/response and peer-wire messages are small and latency-bound.
  uv_tcp_nodelay(&box_->tcp, 1);
  sockaddr_storage local{};
  int length = sizeof local;
  if (uv_tcp_getsockname(&box_->tcp, reinterpret_cast<sockaddr*>(&local), &length) == 0) {
    local_ = SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&local))
                 .value_or(SocketAddress{});
  }
  startReadingIfWanted();
}

void TcpSocket::setOnData(DataCallback cb) {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  DataCallback old = std::exchange(onData_, std::move(cb));  // dies last: it may own us
}

void TcpSocket::setOnClosed(ClosedCallback cb) {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  ClosedCallback old = std::exchange(onClosed_, std::move(cb));
}

void TcpSocket::setReadBuffer(util::Buffer* buffer) {
  readBuffer_ = buffer != nullptr ? buffer : &ownBuffer_;
}

void TcpSocket::startReadingIfWanted() {
  if (state_ != State::Connected || readPaused_ || reading_) {
    return;
  }
  const int rc = uv_read_start(box_->stream(), UvCallbacks::onAlloc, UvCallbacks::onRead);
  if (rc != 0) {
    TLOG(Warning, "loop") << "read from " << peerText() << ": " << uvErrorText(rc);
    return;
  }
  reading_ = true;
  lastReadMs_ = loop_.nowMs();
  armReadTimer();
}

void TcpSocket::pauseReading() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  readPaused_ = true;
  if (reading_) {
    uv_read_stop(box_->stream());
    reading_ = false;
    timer_.stop();
  }
}

void TcpSocket::resumeReading() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  readPaused_ = false;
  startReadingIfWanted();
}

void TcpSocket::setReadTimeout(std::chrono::milliseconds timeout) {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  readTimeout_ = timeout;
  armReadTimer();
}

void TcpSocket::armReadTimer() {
  if (state_ != State::Connected) {
    return;  // while connecting the timer belongs to the connect timeout
  }
  if (!reading_ || readTimeout_.count() <= 0) {
    timer_.stop();
    return;
  }
  timer_.start(readTimeout_, std::chrono::milliseconds{0}, [this] { onReadTimer(); });
}

void TcpSocket::onReadTimer() {
  // Reads only record the time; the timer is re-armed here, not on every read.
  const std::uint64_t idleMs = loop_.nowMs() - lastReadMs_;
  const auto limit = static_cast<std::uint64_t>(readTimeout_.count());
  if (idleMs < limit) {
    timer_.start(std::chrono::milliseconds(limit - idleMs), std::chrono::milliseconds{0},
                 [this] { onReadTimer(); });
    return;
  }
  fail(Error{ErrorCode::Timeout,
             "no data from " + peerText() + " for " + std::to_string(limit) + " ms"});
}

void TcpSocket::onReadDone(long nread) {
  if (state_ != State::Connected) {
    return;
  }
  if (nread > 0) {
    const auto n = static_cast<std::size_t>(nread);
    readBuffer_->hasWritten(n);
    bytesRead_ += n;
    lastReadMs_ = loop_.nowMs();
    if (!onData_) {
      return;
    }
    // Run a moved-out copy: the callback may replace, drop or destroy its own storage.
    DataCallback cb = std::move(onData_);
    const std::weak_ptr<char> alive = life_;
    cb(*readBuffer_);
    if (!alive.expired() && state_ == State::Connected && !onData_) {
      onData_ = std::move(cb);
    }
    return;
  }
  if (nread == 0 || nread == UV_ENOBUFS) {
    return;  // EAGAIN, or no buffer (only for a dying owner)
  }
  if (nread == UV_EOF) {
    // No half-open connections: HTTP/1.1 and the peer wire are done when the peer is.
    fail(Result<void>());
    return;
  }
  fail(uvError(static_cast<int>(nread), "read from " + peerText()));
}

void TcpSocket::fail(Result<void> reason) {
  ClosedCallback cb = std::move(onClosed_);
  Dropped dropped = closeNow(false);
  if (cb) {
    cb(std::move(reason));  // may destroy this socket
  }
}

TcpSocket::Dropped TcpSocket::closeNow(bool reset) {
  Dropped dropped;
  const bool wasConnected = state_ == State::Connected;
  state_ = State::Closed;
  dropped.connect = std::move(connectCb_);
  dropped.data = std::move(onData_);
  dropped.closed = std::move(onClosed_);
  dropped.token = std::move(token_);
  reading_ = false;
  timer_.stop();
  TcpSocketBox* box = box_;
  box->muted = true;
  if (!handleBoxDead(box)) {
    // uv_close stops reads and writes at once; a write in flight is
    // cancelled (its callback runs later with UV_ECANCELED).
    if (!reset || !wasConnected || uv_tcp_close_reset(&box->tcp, onHandleBoxClosed) != 0) {
      uv_close(box->handle(), onHandleBoxClosed);
    }
  }
  // Bytes of a write in flight stay in the box until its callback: on some
  // platforms libuv reads them until then. A running consume() finishes first.
  if (!box->writeInFlight && !box->consuming) {
    dropped.queue = std::move(box->sendQueue);
    box->sendQueue.clear();
  }
  return dropped;
}

void TcpSocket::onHandleClosed() {
  if (state_ == State::Closed) {
    return;
  }
  Dropped dropped = closeNow(false);  // may destroy this socket when it dies
}

void TcpSocket::close() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  Dropped dropped = closeNow(false);
}

void TcpSocket::abort() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  Dropped dropped = closeNow(true);
}

Result<void> TcpSocket::setReceiveBufferSize(int bytes) {
  if (state_ != State::Closed) {
    loop_.assertInLoopThread();
  }
  wantReceiveBuffer_ = bytes;
  if (state_ == State::Idle || state_ == State::Closed || handleBoxDead(box_)) {
    return {};
  }
  int value = bytes;
  const int rc = uv_recv_buffer_size(box_->handle(), &value);
  if (rc != 0) {
    return uvError(rc, "SO_RCVBUF");
  }
  return {};
}

Result<void> TcpSocket::setSendBufferSize(int bytes) {
  if (state_ != State::Closed) {
    loop_.assertInLoopThread();
  }
  wantSendBuffer_ = bytes;
  if (state_ == State::Idle || state_ == State::Closed || handleBoxDead(box_)) {
    return {};
  }
  int value = bytes;
  const int rc = uv_send_buffer_size(box_->handle(), &value);
  if (rc != 0) {
    return uvError(rc, "SO_SNDBUF");
  }
  return {};
}

int TcpSocket::receiveBufferSize() const {
  if (state_ == State::Idle || state_ == State::Closed || handleBoxDead(box_)) {
    return 0;
  }
  int value = 0;  // 0 asks libuv to read the current value
  return uv_recv_buffer_size(box_->handle(), &value) == 0 ? value : 0;
}

int TcpSocket::sendBufferSize() const {
  if (state_ == State::Idle || state_ == State::Closed || handleBoxDead(box_)) {
    return 0;
  }
  int value = 0;
  return uv_send_buffer_size(box_->handle(), &value) == 0 ? value : 0;
}

}  // namespace tributary::loop
