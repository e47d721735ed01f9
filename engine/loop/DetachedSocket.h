// Internal: a connected TCP socket between two loops. TcpSocket::detach()
// makes one on the loop that accepted the connection; it is posted to another
// loop, where TcpSocket::adopt() turns it back into a TcpSocket. Move-only
// and safe to destroy on any thread: one never adopted (a post dropped at
// shutdown) closes its OS socket, so nothing leaks.
//
// It holds no bytes: what the first loop already read stays in that socket's
// read buffer, and the caller passes it along separately.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "engine/loop/SocketAddress.h"

namespace tributary::loop {

class DetachedSocket {
 public:
  DetachedSocket() = default;
  ~DetachedSocket();  // closes the OS socket if it was never adopted
  DetachedSocket(DetachedSocket&& other) noexcept;
  DetachedSocket& operator=(DetachedSocket&& other) noexcept;
  DetachedSocket(const DetachedSocket&) = delete;
  DetachedSocket& operator=(const DetachedSocket&) = delete;

  bool valid() const { return fd_ != kNoSocket; }
  const SocketAddress& remoteAddress() const { return remote_; }
  const SocketAddress& localAddress() const { return local_; }

 private:
  friend class TcpSocket;

  // uv_os_sock_t without <uv.h>: an int on POSIX, a SOCKET (pointer-sized) on Windows.
  using NativeSocket = std::intptr_t;
  static constexpr NativeSocket kNoSocket = -1;

  void reset();
  NativeSocket release() { return std::exchange(fd_, kNoSocket); }

  NativeSocket fd_ = kNoSocket;
  SocketAddress remote_;
  SocketAddress local_;
  // TcpSocket::attachUntilClosed()'s token travels with the connection.
  std::shared_ptr<const void> token_;
};

}  // namespace tributary::loop
