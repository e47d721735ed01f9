// What the kernel knows about a connection that libuv does not expose: its
// smoothed round-trip time, read with one getsockopt (no blocking, cheap
// enough for once a second per peer).
#include <chrono>
#include <optional>

#include "engine/loop/TcpSocket.h"
#include "engine/loop/TcpSocketBox.h"

#if defined(__linux__) || defined(__APPLE__)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace tributary::loop {

std::optional<std::chrono::microseconds> TcpSocket::smoothedRtt() const {
  if (state_ != State::Connected || handleBoxDead(box_)) {
    return std::nullopt;
  }
#if defined(__linux__) || defined(__APPLE__)
  uv_os_fd_t fd{};
  if (uv_fileno(box_->handle(), &fd) != 0) {
    return std::nullopt;
  }
#if defined(__linux__)
  tcp_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) {
    return std::nullopt;
  }
  return std::chrono::microseconds(info.tcpi_rtt);
#else
  tcp_connection_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_CONNECTION_INFO, &info, &length) != 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(info.tcpi_srtt);
#endif
#else
  // Windows has SIO_TCP_INFO only from Windows 10 1703 on; the caller falls
  // back to what it measures itself.
  return std::nullopt;
#endif
}

}  // namespace tributary::loop
