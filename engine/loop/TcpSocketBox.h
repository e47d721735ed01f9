// Internal to TcpSocket's .cpp files (includes <uv.h>): the socket's handle
// box and libuv's C callbacks.
#pragma once

#include <uv.h>

#include <cstddef>

#include "engine/loop/HandleBox.h"
#include "engine/loop/TcpSocket.h"
#include "engine/util/SendQueue.h"

namespace tributary::loop {

// The uv_tcp_t and everything libuv may still touch after the owner is gone:
// the connect and write requests, and the bytes of a write in flight.
struct TcpSocketBox final : HandleBox {
  uv_handle_t* handle() override { return reinterpret_cast<uv_handle_t*>(&tcp); }
  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp); }
  // Our own close() has already set the owner's state; this is for the loop's shutdown.
  void onClosed() override { owner->onHandleClosed(); }

  uv_tcp_t tcp{};
  uv_connect_t connectReq{};
  uv_write_t writeReq{};
  TcpSocket* owner = nullptr;  // valid while ownerAlive
  util::SendQueue sendQueue;
  std::size_t writeInFlightBytes = 0;
  bool writeInFlight = false;
  bool consuming = false;  // sendQueue.consume() is on the stack: clearing must wait
  bool muted = false;      // the owner closed: queued progress callbacks must not run
};

inline TcpSocketBox* boxOf(void* handleData) {
  return static_cast<TcpSocketBox*>(static_cast<HandleBox*>(handleData));
}

struct TcpSocket::UvCallbacks {
  static void onConnect(uv_connect_t* req, int status);
  static void onAlloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);
};

}  // namespace tributary::loop
