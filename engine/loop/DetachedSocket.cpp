#include "engine/loop/DetachedSocket.h"

#ifdef _WIN32
#include <winsock2.h>
#else
#include <unistd.h>
#endif

namespace tributary::loop {

DetachedSocket::~DetachedSocket() {
  reset();
}

DetachedSocket::DetachedSocket(DetachedSocket&& other) noexcept
    : fd_(other.release()),
      remote_(other.remote_),
      local_(other.local_),
      token_(std::move(other.token_)) {}

DetachedSocket& DetachedSocket::operator=(DetachedSocket&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
    remote_ = other.remote_;
    local_ = other.local_;
    token_ = std::move(other.token_);
  }
  return *this;
}

void DetachedSocket::reset() {
  const NativeSocket fd = release();
  if (fd != kNoSocket) {
#ifdef _WIN32
    ::closesocket(static_cast<SOCKET>(fd));
#else
    ::close(static_cast<int>(fd));
#endif
  }
  token_.reset();
}

}  // namespace tributary::loop
