#include "engine/loop/UdpSocket.h"

#include <net/if.h>
#include <uv.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "engine/loop/HandleBox.h"
#include "engine/loop/UvError.h"
#include "engine/util/Log.h"

namespace tributary::loop {

namespace {

// A datagram the kernel could not take at once: libuv reads its bytes until
// the send callback, which always runs (with UV_ECANCELED at close) before
// the handle's close callback, so the box outlives every one of these.
struct SendRequest {
  uv_udp_send_t req{};
  std::vector<std::byte> bytes;
  UdpSocketBox* box = nullptr;
  std::size_t charged = 0;
};

}  // namespace

struct UdpSocketBox final : HandleBox {
  uv_handle_t* handle() override { return reinterpret_cast<uv_handle_t*>(&udp); }
  void onClosed() override { owner->onHandleClosed(); }

  uv_udp_t udp{};
  UdpSocket* owner = nullptr;  // valid while ownerAlive
  // One receive buffer for every datagram: each is handed out before the next read.
  std::unique_ptr<std::byte[]> receiveBuffer;
  std::size_t maxQueuedBytes = 0;
  std::size_t queuedBytes = 0;
  std::uint64_t dropped = 0;
};

struct UdpSocket::UvCallbacks {
  static UdpSocketBox* boxOf(uv_handle_t* handle) {
    return static_cast<UdpSocketBox*>(static_cast<HandleBox*>(handle->data));
  }

  static void onAlloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buf) {
    UdpSocketBox* box = boxOf(handle);
    if (!box->ownerAlive) {
      *buf = uv_buf_init(nullptr, 0);  // libuv reports UV_ENOBUFS, which we ignore
      return;
    }
    if (!box->receiveBuffer) {
      box->receiveBuffer = std::make_unique<std::byte[]>(kMaxDatagram);
    }
    *buf = uv_buf_init(reinterpret_cast<char*>(box->receiveBuffer.get()),
                       static_cast<unsigned>(kMaxDatagram));
  }

  static void onReceive(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf,
                        const sockaddr* address, unsigned flags) {
    UdpSocketBox* box = boxOf(reinterpret_cast<uv_handle_t*>(handle));
    if (!box->ownerAlive) {
      return;
    }
    if (nread < 0) {
      // ICMP errors and the like: the socket stays usable, and no datagram
      // can be tied to the error, so there is nobody to tell.
      if (nread != UV_ENOBUFS) {
        TLOG(Debug, "loop") << "udp receive on " << box->owner->local_.toString() << ": "
                            << uvErrorText(static_cast<int>(nread));
      }
      return;
    }
    if (address == nullptr) {
      return;  // nothing more to read this round (nread == 0)
    }
    if ((flags & UV_UDP_PARTIAL) != 0) {
      TLOG(Debug, "loop") << "udp: dropped a datagram over " << kMaxDatagram << " bytes";
      return;
    }
    const std::optional<SocketAddress> from = SocketAddress::fromSockaddr(address);
    if (!from) {
      return;
    }
    box->owner->onDatagram(std::span<const std::byte>(reinterpret_cast<const std::byte*>(buf->base),
                                                      static_cast<std::size_t>(nread)),
                           *from);
  }

  static void onSent(uv_udp_send_t* req, int status) {
    std::unique_ptr<SendRequest> request(static_cast<SendRequest*>(req->data));
    UdpSocketBox* box = request->box;
    box->queuedBytes -= request->charged;
    if (status < 0 && status != UV_ECANCELED) {
      ++box->dropped;
      TLOG(Debug, "loop") << "udp send: " << uvErrorText(status);
    }
  }
};

UdpSocket::UdpSocket(EventLoop& loop)
    : loop_(loop), box_(new UdpSocketBox), life_(std::make_shared<char>(0)) {
  loop_.assertInLoopThread();
  box_->udp.data = static_cast<HandleBox*>(box_);
  box_->owner = this;
  box_->closed = true;  // no libuv handle until bind()
}

UdpSocket::~UdpSocket() {
  if (!box_->closed) {
    loop_.assertInLoopThread();
  }
  if (state_ != State::Closed) {
    ReceiveCallback dropped = closeNow();
  }
  releaseHandleBox(box_);
}

Result<void> UdpSocket::bind(const SocketAddress& address, UdpBindOptions options) {
  loop_.assertInLoopThread();
  if (state_ != State::Idle) {
    return Error{ErrorCode::InvalidArgument, "bind() on a UDP socket that is already bound"};
  }
  sockaddr_storage storage{};
  if (address.toSockaddr(&storage) == 0) {
    state_ = State::Closed;
    return Error{ErrorCode::InvalidArgument, "bind to an unspecified address"};
  }
  const std::string where = "udp bind on " + address.toString();
  uv_loop_t* uvLoop = loop_.uvLoop();
  if (uvLoop == nullptr || loop_.isClosed()) {
    state_ = State::Closed;
    return Error{ErrorCode::ShuttingDown, where};
  }
  int rc = uv_udp_init(uvLoop, &box_->udp);
  if (rc != 0) {
    state_ = State::Closed;
    return uvError(rc, where);
  }
  box_->closed = false;
  box_->maxQueuedBytes = options.maxQueuedBytes;
  unsigned flags = 0;
  if (address.isV6() && options.ipv6Only) {
    flags |= UV_UDP_IPV6ONLY;
  }
  if (options.reuseAddress) {
    flags |= UV_UDP_REUSEADDR;
  }
  rc = uv_udp_bind(&box_->udp, reinterpret_cast<const sockaddr*>(&storage), flags);
  if (rc != 0) {
    ReceiveCallback dropped = closeNow();
    return uvError(rc, where);
  }
  sockaddr_storage bound{};
  int length = sizeof bound;
  if (uv_udp_getsockname(&box_->udp, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
    local_ =
        SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&bound)).value_or(address);
  } else {
    local_ = address;
  }
  state_ = State::Bound;
  startReceivingIfWanted();
  return {};
}

void UdpSocket::setOnReceive(ReceiveCallback cb) {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  ReceiveCallback old = std::exchange(onReceive_, std::move(cb));  // dies last: it may own us
  if (!onReceive_ && receiving_ && !handleBoxDead(box_)) {
    uv_udp_recv_stop(&box_->udp);
    receiving_ = false;
  }
  startReceivingIfWanted();
}

void UdpSocket::startReceivingIfWanted() {
  if (state_ != State::Bound || receiving_ || !onReceive_ || handleBoxDead(box_)) {
    return;
  }
  const int rc = uv_udp_recv_start(&box_->udp, UvCallbacks::onAlloc, UvCallbacks::onReceive);
  if (rc != 0) {
    TLOG(Warning, "loop") << "udp receive on " << local_.toString() << ": " << uvErrorText(rc);
    return;
  }
  receiving_ = true;
}

void UdpSocket::onDatagram(std::span<const std::byte> bytes, const SocketAddress& from) {
  if (state_ != State::Bound || !onReceive_) {
    return;
  }
  ++datagramsReceived_;
  bytesReceived_ += bytes.size();
  // Run a moved-out copy: the callback may replace, drop or destroy its own storage.
  ReceiveCallback cb = std::move(onReceive_);
  const std::weak_ptr<char> alive = life_;
  cb(from, bytes);
  if (!alive.expired() && state_ == State::Bound && !onReceive_) {
    onReceive_ = std::move(cb);
  }
}

Result<void> UdpSocket::send(const SocketAddress& to, std::span<const std::byte> bytes) {
  if (state_ == State::Closed || (state_ == State::Bound && handleBoxDead(box_))) {
    return Error{ErrorCode::ShuttingDown, "udp send on a closed socket"};
  }
  loop_.assertInLoopThread();
  if (state_ != State::Bound) {
    return Error{ErrorCode::InvalidArgument, "udp send on an unbound socket"};
  }
  sockaddr_storage storage{};
  if (to.toSockaddr(&storage) == 0 || to.family() != local_.family()) {
    return Error{ErrorCode::InvalidArgument, "udp send from " + local_.toString() + " to '" +
                                                 to.toString() + "': not the socket's family"};
  }
  const auto* target = reinterpret_cast<const sockaddr*>(&storage);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): libuv only reads the bytes
  uv_buf_t buf = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(bytes.data())),
                             static_cast<unsigned>(bytes.size()));
  // Most datagrams leave at once, without a copy; libuv answers EAGAIN while
  // its own queue holds anything, which keeps the order.
  int rc = uv_udp_try_send(&box_->udp, &buf, 1, target);
  if (rc >= 0) {
    ++datagramsSent_;
    bytesSent_ += bytes.size();
    return {};
  }
  if (rc != UV_EAGAIN && rc != UV_ENOSYS) {
    return uvError(rc, "udp send to " + to.toString());
  }
  const std::size_t charge = bytes.size() + kQueueOverhead;
  if (box_->queuedBytes + charge > box_->maxQueuedBytes) {
    ++box_->dropped;
    return Error{ErrorCode::IoError, "udp send to " + to.toString() + ": send queue full"};
  }
  auto request = std::make_unique<SendRequest>();
  request->bytes.assign(bytes.begin(), bytes.end());
  request->box = box_;
  request->charged = charge;
  request->req.data = request.get();
  buf = uv_buf_init(reinterpret_cast<char*>(request->bytes.data()),
                    static_cast<unsigned>(request->bytes.size()));
  rc = uv_udp_send(&request->req, &box_->udp, &buf, 1, target, UvCallbacks::onSent);
  if (rc != 0) {
    return uvError(rc, "udp send to " + to.toString());
  }
  box_->queuedBytes += charge;
  request.release();  // onSent frees it
  ++datagramsSent_;
  bytesSent_ += bytes.size();
  return {};
}

UdpSocket::ReceiveCallback UdpSocket::closeNow() {
  state_ = State::Closed;
  receiving_ = false;
  if (!handleBoxDead(box_)) {
    // Queued sends are cancelled: their callbacks run before the close callback.
    uv_close(box_->handle(), onHandleBoxClosed);
  }
  return std::move(onReceive_);  // the caller destroys it last: it may own this socket
}

void UdpSocket::close() {
  if (state_ == State::Closed) {
    return;
  }
  loop_.assertInLoopThread();
  ReceiveCallback dropped = closeNow();
}

void UdpSocket::onHandleClosed() {
  if (state_ == State::Closed) {
    return;
  }
  ReceiveCallback dropped = closeNow();  // the loop closed the handle at shutdown
}

Result<void> UdpSocket::setReceiveBufferSize(int bytes) {
  if (state_ != State::Bound || handleBoxDead(box_)) {
    return Error{ErrorCode::InvalidArgument, "SO_RCVBUF on an unbound UDP socket"};
  }
  int value = bytes;
  const int rc = uv_recv_buffer_size(box_->handle(), &value);
  return rc == 0 ? Result<void>() : Result<void>(uvError(rc, "SO_RCVBUF"));
}

Result<void> UdpSocket::setSendBufferSize(int bytes) {
  if (state_ != State::Bound || handleBoxDead(box_)) {
    return Error{ErrorCode::InvalidArgument, "SO_SNDBUF on an unbound UDP socket"};
  }
  int value = bytes;
  const int rc = uv_send_buffer_size(box_->handle(), &value);
  return rc == 0 ? Result<void>() : Result<void>(uvError(rc, "SO_SNDBUF"));
}

int UdpSocket::receiveBufferSize() const {
  if (state_ != State::Bound || handleBoxDead(box_)) {
    return 0;
  }
  int value = 0;  // 0 asks libuv to read the current value
  return uv_recv_buffer_size(box_->handle(), &value) == 0 ? value : 0;
}

int UdpSocket::sendBufferSize() const {
  if (state_ != State::Bound || handleBoxDead(box_)) {
    return 0;
  }
  int value = 0;
  return uv_send_buffer_size(box_->handle(), &value) == 0 ? value : 0;
}

Result<void> UdpSocket::checkMulticastUsable(const char* what) const {
  if (state_ == State::Closed || (state_ == State::Bound && handleBoxDead(box_))) {
    return Error{ErrorCode::ShuttingDown, std::string(what) + " on a closed UDP socket"};
  }
  loop_.assertInLoopThread();
  if (state_ != State::Bound) {
    return Error{ErrorCode::InvalidArgument, std::string(what) + " on an unbound UDP socket"};
  }
  return {};
}

namespace {

bool isMulticast(const SocketAddress& address) {
  const std::span<const std::uint8_t> bytes = address.bytes();
  if (address.isV4()) {
    return (bytes[0] & 0xf0) == 0xe0;  // 224.0.0.0/4
  }
  return address.isV6() && bytes[0] == 0xff;  // ff00::/8
}

// libuv takes the interface as text; "" (null) leaves the choice to the system.
// An IPv6 address without a zone names no interface, so it means the system's choice too.
std::string interfaceText(const SocketAddress& interfaceAddress) {
  if (!interfaceAddress.isValid()) {
    return {};
  }
  if (interfaceAddress.isV6()) {
    // IPv6 names the interface by index, which libuv reads from the zone of
    // an address literal, and only as an interface name.
    char name[IF_NAMESIZE] = {};
    if (interfaceAddress.scopeId() == 0 ||
        if_indextoname(interfaceAddress.scopeId(), name) == nullptr) {
      return {};
    }
    return std::string("::%") + name;
  }
  return interfaceAddress.ipString();
}

}  // namespace

Result<void> UdpSocket::setMembership(const SocketAddress& group,
                                      const SocketAddress& interfaceAddress, bool join) {
  const char* what = join ? "multicast join" : "multicast leave";
  if (Result<void> usable = checkMulticastUsable(what); !usable) {
    return usable;
  }
  if (group.family() != local_.family() || !isMulticast(group) ||
      (interfaceAddress.isValid() && interfaceAddress.family() != group.family())) {
    return Error{ErrorCode::InvalidArgument, std::string(what) + " of '" + group.ipString() +
                                                 "' on " + local_.toString() +
                                                 ": not a multicast group of the socket's family"};
  }
  const std::string groupText = group.ipString();
  const std::string interface = interfaceText(interfaceAddress);
  const int rc = uv_udp_set_membership(&box_->udp, groupText.c_str(),
                                       interface.empty() ? nullptr : interface.c_str(),
                                       join ? UV_JOIN_GROUP : UV_LEAVE_GROUP);
  if (rc != 0) {
    return uvError(rc, std::string(what) + " of " + groupText + " on " + local_.toString());
  }
  return {};
}

Result<void> UdpSocket::joinMulticastGroup(const SocketAddress& group,
                                           const SocketAddress& interfaceAddress) {
  return setMembership(group, interfaceAddress, true);
}

Result<void> UdpSocket::leaveMulticastGroup(const SocketAddress& group,
                                            const SocketAddress& interfaceAddress) {
  return setMembership(group, interfaceAddress, false);
}

Result<void> UdpSocket::setMulticastLoop(bool on) {
  if (Result<void> usable = checkMulticastUsable("IP_MULTICAST_LOOP"); !usable) {
    return usable;
  }
  const int rc = uv_udp_set_multicast_loop(&box_->udp, on ? 1 : 0);
  return rc == 0 ? Result<void>() : Result<void>(uvError(rc, "IP_MULTICAST_LOOP"));
}

Result<void> UdpSocket::setMulticastTtl(int ttl) {
  if (Result<void> usable = checkMulticastUsable("IP_MULTICAST_TTL"); !usable) {
    return usable;
  }
  if (ttl < 1 || ttl > 255) {
    return Error{ErrorCode::InvalidArgument,
                 "IP_MULTICAST_TTL " + std::to_string(ttl) + ": not in 1-255"};
  }
  const int rc = uv_udp_set_multicast_ttl(&box_->udp, ttl);
  return rc == 0 ? Result<void>() : Result<void>(uvError(rc, "IP_MULTICAST_TTL"));
}

Result<void> UdpSocket::setMulticastInterface(const SocketAddress& interfaceAddress) {
  if (Result<void> usable = checkMulticastUsable("IP_MULTICAST_IF"); !usable) {
    return usable;
  }
  if (interfaceAddress.isValid() && interfaceAddress.family() != local_.family()) {
    return Error{ErrorCode::InvalidArgument, "IP_MULTICAST_IF " + interfaceAddress.ipString() +
                                                 " on " + local_.toString() +
                                                 ": not the socket's family"};
  }
  const std::string interface = interfaceText(interfaceAddress);
  const int rc =
      uv_udp_set_multicast_interface(&box_->udp, interface.empty() ? nullptr : interface.c_str());
  return rc == 0 ? Result<void>() : Result<void>(uvError(rc, "IP_MULTICAST_IF " + interface));
}

std::size_t UdpSocket::queuedBytes() const {
  return box_->queuedBytes;
}

std::uint64_t UdpSocket::sendsDropped() const {
  return box_->dropped;
}

}  // namespace tributary::loop
