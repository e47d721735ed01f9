// Helpers for the loop networking tests: loopback pairs and test data. Every
// wait has a deadline (runOn/waitReady from the loop tests), so a broken
// socket fails the test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "engine/loop/Timer.h"
#include "unit/loop/LoopTestUtil.h"

namespace tributary::loop::test {

// Can this machine listen on ::1? (Containers sometimes disable IPv6.)
inline bool ipv6LoopbackWorks(EventLoop& loop) {
  return runOn(loop, [&loop] {
    TcpListener probe(loop);
    return probe.listen(SocketAddress::loopbackV6(0), [](std::unique_ptr<TcpSocket>) {}).ok();
  });
}

// Lets the loop run for `delay` (a Timer on the loop), so anything that was
// going to happen meanwhile has had its chance. For checking that something
// does NOT happen; never for waiting until something does.
inline bool settle(EventLoop& loop, std::chrono::milliseconds delay) {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  auto timer = std::make_shared<std::unique_ptr<Timer>>();
  runOn(loop, [&loop, timer, done, delay] {
    *timer = std::make_unique<Timer>(loop);
    (*timer)->start(delay, std::chrono::milliseconds{0}, [done] { done->set_value(); });
  });
  const bool ok = waitReady(future);
  runOn(loop, [timer] { timer->reset(); });
  return ok;
}

// A listening socket on 127.0.0.1 whose accept queue is full and that never
// accepts, so one more connect stays unanswered (Linux drops SYNs to a full
// queue). Plain POSIX sockets: the code under test must not build its own
// test conditions. ok() is false where the system answers anyway.
class FullBacklogListener {
 public:
  static constexpr int kMaxFillers = 8;

  FullBacklogListener() {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listenFd_, 0) != 0 ||
        ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    for (int i = 0; i < kMaxFillers && !ok_; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) {
        return;
      }
      fillers_.push_back(fd);
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
      ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
      pollfd p{fd, POLLOUT, 0};
      // Still unanswered after 300 ms: the queue is full, the trap is set.
      ok_ = ::poll(&p, 1, 300) == 0;
    }
  }
  ~FullBacklogListener() {
    for (const int fd : fillers_) {
      ::close(fd);
    }
    if (listenFd_ >= 0) {
      ::close(listenFd_);
    }
  }
  FullBacklogListener(const FullBacklogListener&) = delete;
  FullBacklogListener& operator=(const FullBacklogListener&) = delete;

  bool ok() const { return ok_; }
  SocketAddress address() const { return SocketAddress::loopbackV4(port_); }

 private:
  int listenFd_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
  bool ok_ = false;
};

// Reproducible pseudo-random bytes (xorshift64*), so a mismatch is at a known offset.
inline std::vector<std::byte> patternBytes(std::size_t size, std::uint64_t seed) {
  std::vector<std::byte> out(size);
  std::uint64_t x = seed | 1;
  std::size_t i = 0;
  while (i < size) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    std::uint64_t v = x * 0x2545F4914F6CDD1Dull;
    for (int b = 0; b < 8 && i < size; ++b, ++i) {
      out[i] = static_cast<std::byte>(v & 0xff);
      v >>= 8;
    }
  }
  return out;
}

// A listener and a connected client/server pair on one loop. Built and torn
// down on the loop thread.
struct LoopbackPair {
  std::unique_ptr<TcpListener> listener;
  std::unique_ptr<TcpSocket> client;
  std::unique_ptr<TcpSocket> server;
};

// Returns nullptr (after printing why) if the pair could not be made in time.
// The client may be configured before connecting by `beforeConnect`.
template <class BeforeConnect>
std::shared_ptr<LoopbackPair> makePair(EventLoop& loop, const SocketAddress& bindTo,
                                       BeforeConnect beforeConnect) {
  auto pair = std::make_shared<LoopbackPair>();
  struct Progress {
    int steps = 0;
    bool ok = true;
    std::promise<bool> done;
  };
  auto progress = std::make_shared<Progress>();
  auto step = [progress](bool ok) {
    progress->ok = progress->ok && ok;
    if (++progress->steps == 2) {
      progress->done.set_value(progress->ok);
    }
  };
  std::future<bool> ready = progress->done.get_future();
  runOn(loop, [&loop, pair, bindTo, step, &beforeConnect] {
    pair->listener = std::make_unique<TcpListener>(loop);
    auto listening = pair->listener->listen(bindTo, [pair, step](std::unique_ptr<TcpSocket> s) {
      if (pair->server == nullptr) {
        pair->server = std::move(s);
        step(true);
      }
    });
    if (!listening.ok()) {
      std::fprintf(stderr, "listen: %s\n", listening.error().detail.c_str());
      step(false);
      step(false);
      return;
    }
    pair->client = std::make_unique<TcpSocket>(loop);
    beforeConnect(*pair->client);
    pair->client->connect(pair->listener->localAddress(), std::chrono::seconds(10),
                          [step](Result<void> r) {
                            if (!r.ok()) {
                              std::fprintf(stderr, "connect: %s\n", r.error().detail.c_str());
                            }
                            step(r.ok());
                          });
  });
  if (!waitReady(ready) || !ready.get()) {
    runOn(loop, [pair] { *pair = LoopbackPair{}; });
    return nullptr;
  }
  return pair;
}

inline std::shared_ptr<LoopbackPair> makePair(EventLoop& loop, const SocketAddress& bindTo) {
  return makePair(loop, bindTo, [](TcpSocket&) {});
}

// Destroys the pair's objects on the loop thread.
inline void destroyPair(EventLoop& loop, const std::shared_ptr<LoopbackPair>& pair) {
  runOn(loop, [pair] { *pair = LoopbackPair{}; });
}

}  // namespace tributary::loop::test
