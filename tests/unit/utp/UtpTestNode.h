// Shared by the uTP stream tests: deterministic bytes, and one endpoint (a
// UDP socket on 127.0.0.1 from bind(0) and its UtpSocketManager).
#pragma once

#include <QtGlobal>

#include <cstdint>
#include <memory>
#include <string>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/utp/UtpSocketManager.h"

namespace tributary::utp::test {

// Deterministic bytes of stream `seed` at `offset`, so the sender need not keep them.
inline std::string chunkOf(std::uint64_t seed, std::uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + offset + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x >> 24);
  }
  return out;
}

// One endpoint: a UDP socket and its manager.
struct Node {
  explicit Node(loop::EventLoop& loop, UtpManagerConfig config = {}) : socket(loop) {
    const auto bound = socket.bind(loop::SocketAddress::loopbackV4(0));
    if (!bound.ok()) {
      qFatal("bind: %s", bound.error().toString().c_str());
    }
    (void)socket.setReceiveBufferSize(8 << 20);
    (void)socket.setSendBufferSize(8 << 20);
    manager = std::make_unique<UtpSocketManager>(socket, config);
  }
  ~Node() {
    manager.reset();
    socket.close();
  }
  loop::SocketAddress address() const { return socket.localAddress(); }

  loop::UdpSocket socket;
  std::unique_ptr<UtpSocketManager> manager;
};

}  // namespace tributary::utp::test
