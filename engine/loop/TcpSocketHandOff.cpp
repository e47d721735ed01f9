// Moving a connected TcpSocket between loops (the design note at the top of
// TcpListener.h): the OS socket is duplicated, so the connection outlives the
// first loop's handle, and the copy is opened as a handle of the second loop.
#include <utility>

#include "engine/loop/TcpSocket.h"
#include "engine/loop/TcpSocketBox.h"
#include "engine/loop/UvError.h"

#ifndef _WIN32
#include <fcntl.h>

#include <cerrno>
#include <cstring>
#endif

namespace tributary::loop {

Result<DetachedSocket> TcpSocket::detach() {
  if (state_ != State::Connected || handleBoxDead(box_)) {
    return Error{ErrorCode::InvalidArgument, "detach() on a socket that is not connected"};
  }
  loop_.assertInLoopThread();
  // Queued bytes belong to this handle's write path; moving them too would
  // split one stream across two loops.
  if (box_->writeInFlight || !box_->sendQueue.empty()) {
    return Error{ErrorCode::InvalidArgument, "detach() with bytes still to send to " + peerText()};
  }
#ifdef _WIN32
  // A socket bound to one loop's completion port cannot join another's;
  // WSADuplicateSocket would be the route. Not built yet.
  return Error{ErrorCode::NotSupported, "moving a connection between loops"};
#else
  uv_os_fd_t fd = -1;
  const int rc = uv_fileno(box_->handle(), &fd);
  if (rc != 0) {
    return uvError(rc, "detach " + peerText());
  }
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    const int error = errno;
    return Error{ErrorCode::IoError, "detach " + peerText() + ": " + std::strerror(error)};
  }
  DetachedSocket out;
  out.fd_ = copy;
  out.remote_ = remote_;
  out.local_ = local_;
  out.token_ = std::move(token_);
  // uv_close() removes the original descriptor from this loop's poller and
  // closes it without a shutdown(): the copy keeps the connection open.
  Dropped dropped = closeNow(false);
  return out;
#endif
}

Result<std::unique_ptr<TcpSocket>> TcpSocket::adopt(EventLoop& loop, DetachedSocket detached) {
  loop.assertInLoopThread();
  if (!detached.valid()) {
    return Error{ErrorCode::InvalidArgument, "adopt() of an empty DetachedSocket"};
  }
  auto socket = std::make_unique<TcpSocket>(loop);
  if (handleBoxDead(socket->box_)) {
    return Error{ErrorCode::ShuttingDown, "adopt " + detached.remote_.toString()};
  }
  const int rc = uv_tcp_open(&socket->box_->tcp, static_cast<uv_os_sock_t>(detached.fd_));
  if (rc != 0) {
    return uvError(rc, "adopt " + detached.remote_.toString());  // `detached` closes the copy
  }
  detached.release();  // the handle owns it now
  socket->remote_ = detached.remote_;
  socket->token_ = std::move(detached.token_);
  socket->readPaused_ = true;  // the caller may first have bytes to put in the read buffer
  socket->applyBufferSizes();
  socket->becomeConnected();
  return socket;
}

void TcpSocket::attachUntilClosed(std::shared_ptr<const void> token) {
  if (state_ == State::Closed) {
    return;  // released at once, as if the socket had closed after attaching
  }
  loop_.assertInLoopThread();
  std::shared_ptr<const void> old = std::exchange(token_, std::move(token));
}

}  // namespace tributary::loop
