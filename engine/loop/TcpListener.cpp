#include "engine/loop/TcpListener.h"

#include <utility>

#include "engine/loop/HandleBox.h"
#include "engine/loop/UvError.h"
#include "engine/util/Log.h"

namespace tributary::loop {

struct TcpListenerBox final : HandleBox {
  uv_handle_t* handle() override { return reinterpret_cast<uv_handle_t*>(&tcp); }
  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp); }
  void onClosed() override { owner->onHandleClosed(); }

  uv_tcp_t tcp{};
  TcpListener* owner = nullptr;  // valid while ownerAlive
};

struct TcpListener::UvCallbacks {
  static void onConnection(uv_stream_t* server, int status) {
    auto* box = static_cast<TcpListenerBox*>(static_cast<HandleBox*>(server->data));
    if (box->ownerAlive) {
      box->owner->onIncoming(status);
    }
  }
};

TcpListener::TcpListener(EventLoop& loop)
    : loop_(loop), box_(new TcpListenerBox), life_(std::make_shared<char>(0)) {
  loop_.assertInLoopThread();
  box_->tcp.data = static_cast<HandleBox*>(box_);
  box_->owner = this;
  box_->closed = true;  // no libuv handle until listen()
}

TcpListener::~TcpListener() {
  if (!box_->closed) {
    loop_.assertInLoopThread();
  }
  if (state_ != State::Closed) {
    AcceptCallback dropped = closeNow();
  }
  releaseHandleBox(box_);
}

Result<void> TcpListener::listen(const SocketAddress& address, AcceptCallback onAccept,
                                 ListenOptions options) {
  loop_.assertInLoopThread();
  if (state_ != State::Idle) {
    return Error{ErrorCode::InvalidArgument, "listen() on a listener that already ran"};
  }
  sockaddr_storage storage{};
  if (address.toSockaddr(&storage) == 0) {
    state_ = State::Closed;
    return Error{ErrorCode::InvalidArgument, "listen on an unspecified address"};
  }
  const std::string where = "listen on " + address.toString();
  uv_loop_t* uvLoop = loop_.uvLoop();
  if (uvLoop == nullptr || loop_.isClosed()) {
    state_ = State::Closed;
    return Error{ErrorCode::ShuttingDown, where};
  }
  int rc = uv_tcp_init(uvLoop, &box_->tcp);
  if (rc != 0) {
    state_ = State::Closed;
    return uvError(rc, where);
  }
  box_->closed = false;
  const unsigned flags = address.isV6() && options.ipv6Only ? UV_TCP_IPV6ONLY : 0;
  rc = uv_tcp_bind(&box_->tcp, reinterpret_cast<const sockaddr*>(&storage), flags);
  if (rc == 0) {
    // libuv reports some bind errors (EADDRINUSE) only here.
    rc = uv_listen(box_->stream(), options.backlog, UvCallbacks::onConnection);
  }
  if (rc != 0) {
    AcceptCallback dropped = closeNow();
    return uvError(rc, where);
  }
  sockaddr_storage bound{};
  int length = sizeof bound;
  if (uv_tcp_getsockname(&box_->tcp, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
    local_ =
        SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&bound)).value_or(address);
  } else {
    local_ = address;
  }
  state_ = State::Listening;
  onAccept_ = std::move(onAccept);
  return {};
}

void TcpListener::onIncoming(int status) {
  if (state_ != State::Listening) {
    return;
  }
  if (status < 0) {
    // EMFILE and friends: libuv keeps listening; the peer will retry or give up.
    TLOG(Warning, "loop") << "accept on " << local_.toString() << ": " << uvErrorText(status);
    return;
  }
  auto socket = std::make_unique<TcpSocket>(loop_);
  if (!socket->acceptFrom(box_->stream())) {
    return;
  }
  ++accepted_;
  if (!onAccept_) {
    return;  // nobody wants it: the connection closes with `socket`
  }
  AcceptCallback cb = std::move(onAccept_);
  const std::weak_ptr<char> alive = life_;
  cb(std::move(socket));
  if (!alive.expired() && state_ == State::Listening && !onAccept_) {
    onAccept_ = std::move(cb);
  }
}

TcpListener::AcceptCallback TcpListener::closeNow() {
  state_ = State::Closed;
  if (!handleBoxDead(box_)) {
    uv_close(box_->handle(), onHandleBoxClosed);
  }
  return std::move(onAccept_);  // the caller destroys it last: it may own this listener
}

void TcpListener::close() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  AcceptCallback dropped = closeNow();
}

void TcpListener::onHandleClosed() {
  if (state_ == State::Closed) {
    return;
  }
  AcceptCallback dropped = closeNow();  // the loop closed the handle at shutdown
}

}  // namespace tributary::loop
