// Internal: a listening TCP socket on one EventLoop. Accepted connections
// arrive as TcpSocket objects on the same loop, already Connected and reading.
// Construct, use and destroy it on the loop's thread. Its callback may close
// or destroy the listener. If the loop shuts down first, the loop closes the
// handle and drops the callback; destroying the object is then harmless on
// any thread.
//
// Handing a connection to another loop: the accept callback owns a
// std::unique_ptr<TcpSocket> on the listening loop, so the hand-off is a
// method on TcpSocket rather than a change here (TcpSocketHandOff.cpp):
//   1. `TcpSocket::detach()` on the listening loop (pauseReading() first, so
//      no more bytes land in this loop's buffer) returns a move-only
//      `DetachedSocket` holding a dup()'d OS socket and the addresses, then
//      closes the original handle.
//   2. The DetachedSocket is posted to the target loop (it closes its socket
//      in its destructor if the post is dropped at shutdown), with the bytes
//      already read, which stay with the caller.
//   3. `TcpSocket::adopt(EventLoop&, DetachedSocket)` on the target loop:
//      uv_tcp_init + uv_tcp_open, then the same setup as an accepted socket,
//      reading paused until resumeReading().
// Duplicating the fd keeps it within one process and needs no uv_pipe; the
// uv_pipe + uv_write2 route is only needed to pass sockets between processes.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/TcpSocket.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::loop {

struct TcpListenerBox;

struct ListenOptions {
  int backlog = 128;
  bool ipv6Only = false;  // for "::": refuse IPv4-mapped peers
};

class TcpListener {
 public:
  // Owns the new socket; dropping it closes the connection.
  using AcceptCallback = util::UniqueFunction<void(std::unique_ptr<TcpSocket>)>;

  explicit TcpListener(EventLoop& loop);
  ~TcpListener();  // close()
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Binds (port 0 = any free port; see localAddress()) and listens. Once
  // only: after a failure the listener is closed.
  Result<void> listen(const SocketAddress& address, AcceptCallback onAccept,
                      ListenOptions options = {});
  // Stops accepting; idempotent; the callback never runs after it returns.
  void close();

  bool isListening() const { return state_ == State::Listening; }
  // The bound address, with the port the system picked.
  const SocketAddress& localAddress() const { return local_; }
  std::uint16_t port() const { return local_.port(); }
  std::uint64_t acceptedCount() const { return accepted_; }

  EventLoop& loop() const { return loop_; }

 private:
  friend struct TcpListenerBox;
  struct UvCallbacks;

  enum class State : std::uint8_t { Idle, Listening, Closed };

  void onIncoming(int status);
  AcceptCallback closeNow();
  void onHandleClosed();

  EventLoop& loop_;
  TcpListenerBox* box_;
  std::shared_ptr<char> life_;  // expires with this object: the accept path checks it
  State state_ = State::Idle;
  AcceptCallback onAccept_;
  SocketAddress local_;
  std::uint64_t accepted_ = 0;
};

}  // namespace tributary::loop
