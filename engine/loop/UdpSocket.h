// Internal: a plain datagram socket on one EventLoop, shared by whatever
// speaks UDP on it (trackers, DHT, uTP): it knows nothing of their protocols.
// Construct, use and destroy it on the loop's thread.
//
// Sends never block: a datagram the kernel cannot take at once waits in a
// queue bounded in bytes; past the bound send() refuses it (UDP may drop a
// datagram anyway, so the protocols above already cope with loss).
//
// The receive callback runs on the loop thread and may do anything to the
// socket, including close() or destroy it. No callback runs after close()
// returns; callbacks are dropped at close so what they capture dies on the
// loop thread. If the loop shuts down first, it closes the handle: the
// callback is dropped unrun, later calls are no-ops, and destroying the
// object is harmless on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::loop {

struct UdpSocketBox;

struct UdpBindOptions {
  // For "::": refuse IPv4-mapped traffic, so an IPv4 socket can take the same port.
  bool ipv6Only = true;
  bool reuseAddress = false;  // SO_REUSEADDR
  // Bytes (plus kQueueOverhead per datagram) that may wait for the kernel.
  std::size_t maxQueuedBytes = std::size_t{1} << 20;
};

class UdpSocket {
 public:
  // One datagram: who sent it and its bytes, valid only during the call.
  using ReceiveCallback =
      util::UniqueFunction<void(const SocketAddress& from, std::span<const std::byte> bytes)>;

  // The largest datagram received whole; larger ones (only IPv6 jumbograms) are dropped.
  static constexpr std::size_t kMaxDatagram = 65536;
  // Counted per queued datagram against maxQueuedBytes, so empty ones are bounded too.
  static constexpr std::size_t kQueueOverhead = 64;

  explicit UdpSocket(EventLoop& loop);
  ~UdpSocket();  // close()
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // Binds (port 0 = any free port; see localAddress()). Once only: after a
  // failure the socket is closed. Receiving starts once a callback is set.
  Result<void> bind(const SocketAddress& address, UdpBindOptions options = {});

  // Replaces the callback; nullptr stops receiving (datagrams then wait in
  // the kernel's buffer, and are dropped by it when that is full).
  void setOnReceive(ReceiveCallback cb);

  // Sends one datagram to `to` (copied: the caller's bytes may go at once).
  // Errors: not bound or closed (InvalidArgument / ShuttingDown), the queue
  // is full (IoError), or the kernel refused it at once (unreachable network,
  // a datagram too large: IoError). Failures found later, once queued, are
  // only logged and counted: a datagram has no delivery report anyway.
  Result<void> send(const SocketAddress& to, std::span<const std::byte> bytes);

  // Drops queued datagrams and the callback. Idempotent.
  void close();

  // SO_RCVBUF / SO_SNDBUF, once bound. The getters read the kernel's value
  // (Linux reports double what was asked); 0 when not bound.
  Result<void> setReceiveBufferSize(int bytes);
  Result<void> setSendBufferSize(int bytes);
  int receiveBufferSize() const;
  int sendBufferSize() const;

  // Multicast, once bound (BEP 14 local service discovery). `group` is a
  // multicast address of the socket's family (its port is ignored); the
  // interface is named by one of its addresses (IPv4) or by the scope id of
  // an IPv6 address ("::%2"), Unspecified leaving the choice to the system.
  // Errors: not bound or closed, a family mismatch or a non-multicast group
  // (InvalidArgument), or the kernel's refusal (IoError and the like).
  Result<void> joinMulticastGroup(const SocketAddress& group,
                                  const SocketAddress& interfaceAddress = {});
  Result<void> leaveMulticastGroup(const SocketAddress& group,
                                   const SocketAddress& interfaceAddress = {});
  // Whether our own multicast datagrams come back to us (the system's default: on).
  Result<void> setMulticastLoop(bool on);
  // IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS, 1-255 (the system's default: 1).
  Result<void> setMulticastTtl(int ttl);
  // The interface multicast datagrams leave by; Unspecified: the system's choice.
  Result<void> setMulticastInterface(const SocketAddress& interfaceAddress);

  bool isBound() const { return state_ == State::Bound; }
  bool isClosed() const { return state_ == State::Closed; }
  // The bound address with the port the system picked; Unspecified before.
  const SocketAddress& localAddress() const { return local_; }
  std::size_t queuedBytes() const;  // waiting for the kernel, overhead included

  std::uint64_t datagramsSent() const { return datagramsSent_; }  // taken by the kernel or queued
  std::uint64_t datagramsReceived() const { return datagramsReceived_; }
  std::uint64_t bytesSent() const { return bytesSent_; }
  std::uint64_t bytesReceived() const { return bytesReceived_; }
  std::uint64_t sendsDropped() const;  // refused for a full queue, or failed once queued

  EventLoop& loop() const { return loop_; }

 private:
  friend struct UdpSocketBox;
  struct UvCallbacks;

  enum class State : std::uint8_t { Idle, Bound, Closed };

  void onDatagram(std::span<const std::byte> bytes, const SocketAddress& from);
  Result<void> checkMulticastUsable(const char* what) const;
  Result<void> setMembership(const SocketAddress& group, const SocketAddress& interfaceAddress,
                             bool join);
  void startReceivingIfWanted();
  ReceiveCallback closeNow();
  void onHandleClosed();

  EventLoop& loop_;
  UdpSocketBox* box_;           // freed by whoever finishes last: this socket or the handle's close
  std::shared_ptr<char> life_;  // expires with this object: the receive path checks it
  State state_ = State::Idle;
  bool receiving_ = false;
  ReceiveCallback onReceive_;
  SocketAddress local_;
  std::uint64_t datagramsSent_ = 0;
  std::uint64_t datagramsReceived_ = 0;
  std::uint64_t bytesSent_ = 0;
  std::uint64_t bytesReceived_ = 0;
};

}  // namespace tributary::loop
