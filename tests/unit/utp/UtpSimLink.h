// A simulated network between two UtpConnections, on a virtual clock: each
// direction has a delay, jitter (which reorders), loss, duplication, a
// bandwidth limit with a bounded queue (drop-tail), and can be cut. Seeded,
// so a failure replays exactly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <tuple>
#include <vector>

#include "engine/utp/UtpConnection.h"

namespace tributary::utp::test {

struct LinkProfile {
  std::uint64_t delayUs = 10'000;
  std::uint64_t jitterUs = 0;  // uniform extra delay: packets overtake each other
  double loss = 0;
  double duplicate = 0;
  double bytesPerSecond = 0;           // 0 = unlimited
  std::uint64_t maxQueueUs = 500'000;  // drop-tail beyond this much backlog
};

class SimLink {
 public:
  SimLink(LinkProfile profile, std::uint32_t seed) : profile_(profile), rng_(seed) {}

  void send(std::span<const std::byte> datagram, std::uint64_t nowUs) {
    ++sent_;
    const bool isData = !datagram.empty() && (std::to_integer<unsigned>(datagram[0]) >> 4) ==
                                                 static_cast<unsigned>(PacketType::Data);
    if (isData && dropData_ > 0) {
      --dropData_;
      ++dropped_;
      return;
    }
    if (cut_ || chance(profile_.loss)) {
      ++dropped_;
      return;
    }
    std::uint64_t departUs = nowUs;
    if (profile_.bytesPerSecond > 0) {
      const std::uint64_t backlog = busyUntilUs_ > nowUs ? busyUntilUs_ - nowUs : 0;
      if (backlog > profile_.maxQueueUs) {
        ++dropped_;
        return;
      }
      const auto serialize = static_cast<std::uint64_t>(static_cast<double>(datagram.size() + 28) *
                                                        1e6 / profile_.bytesPerSecond);
      busyUntilUs_ = std::max(busyUntilUs_, nowUs) + serialize;
      departUs = busyUntilUs_;
    }
    const int copies = chance(profile_.duplicate) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      std::uint64_t at = departUs + profile_.delayUs;
      if (profile_.jitterUs > 0) {
        at += std::uniform_int_distribution<std::uint64_t>(0, profile_.jitterUs)(rng_);
      }
      inFlight_.emplace(std::make_pair(at, order_++),
                        std::vector<std::byte>(datagram.begin(), datagram.end()));
    }
  }

  // The datagrams due by nowUs, in arrival order.
  std::vector<std::vector<std::byte>> due(std::uint64_t nowUs) {
    std::vector<std::vector<std::byte>> out;
    while (!inFlight_.empty() && inFlight_.begin()->first.first <= nowUs) {
      out.push_back(std::move(inFlight_.begin()->second));
      inFlight_.erase(inFlight_.begin());
    }
    return out;
  }
  std::uint64_t nextDueUs() const {
    return inFlight_.empty() ? UINT64_MAX : inFlight_.begin()->first.first;
  }

  void cut(bool on) { cut_ = on; }
  // Drops the next n DATA packets (one precise loss).
  void dropNextData(unsigned n) { dropData_ = n; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  LinkProfile profile_;
  std::mt19937 rng_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::byte>> inFlight_;
  std::uint64_t busyUntilUs_ = 0;
  std::uint64_t order_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
  bool cut_ = false;
  unsigned dropData_ = 0;
};

// One endpoint: its connection, what it still has to write, what it got.
struct SimEnd {
  std::unique_ptr<UtpConnection> conn;
  std::vector<std::byte> toSend;
  std::size_t written = 0;  // of toSend, pushed into the connection
  std::vector<std::byte> got;
  unsigned events = 0;  // every event seen, or-ed
  bool reading = true;
  bool closeWhenSent = false;  // close() once all of toSend is acked
};

// Two connections over two SimLinks, driven by one virtual clock. The
// application of each end keeps up to 256 KiB queued and reads all it can.
class SimPair {
 public:
  SimPair(LinkProfile ab, LinkProfile ba, std::uint32_t seed, UtpConfig config = {})
      : ab_(ab, seed), ba_(ba, seed * 7919u + 1) {
    a.conn = std::make_unique<UtpConnection>(
        config, [this](std::span<const std::byte> d) { ab_.send(d, nowUs); });
    b.conn = std::make_unique<UtpConnection>(
        config, [this](std::span<const std::byte> d) { ba_.send(d, nowUs); });
  }

  // a dials; b accepts a's SYN when it arrives.
  void connect(std::uint16_t firstSeqA = 1000, std::uint16_t firstSeqB = 2000,
               std::uint16_t recvIdA = 0x1234) {
    firstSeqB_ = firstSeqB;
    a.conn->connect(recvIdA, firstSeqA, nowUs);
  }

  // Advances to the next event (a delivery or a 5 ms tick); false past limitUs.
  bool step(std::uint64_t limitUs) {
    const std::uint64_t next = std::min({ab_.nextDueUs(), ba_.nextDueUs(), nextTickUs_});
    if (next > limitUs) {
      nowUs = limitUs;
      return false;
    }
    nowUs = std::max(nowUs, next);
    for (auto& d : ab_.due(nowUs)) {
      deliver(b, d);
    }
    for (auto& d : ba_.due(nowUs)) {
      deliver(a, d);
    }
    if (nowUs >= nextTickUs_) {
      a.conn->tick(nowUs);
      b.conn->tick(nowUs);
      nextTickUs_ = nowUs + 5'000;
    }
    app(a);
    app(b);
    return true;
  }

  template <class Done>
  bool runUntil(Done done, std::uint64_t limitUs) {
    while (!done()) {
      if (!step(limitUs)) {
        return done();
      }
    }
    return true;
  }

  // Hands raw bytes to an end as if they came off the link.
  void inject(SimEnd& end, std::span<const std::byte> datagram) { deliver(end, datagram); }

  SimLink& linkAB() { return ab_; }
  SimLink& linkBA() { return ba_; }

  SimEnd a;
  SimEnd b;
  std::uint64_t nowUs = 0;
  std::uint64_t parseErrors = 0;

 private:
  void deliver(SimEnd& end, std::span<const std::byte> datagram) {
    const Result<Packet> parsed = parsePacket(datagram);
    if (!parsed.ok()) {
      ++parseErrors;
      return;
    }
    const Packet& p = parsed.value();
    if (&end == &b && p.header.type == PacketType::Syn &&
        b.conn->state() == UtpConnection::State::Idle) {
      b.conn->accept(p.header, firstSeqB_, nowUs);
    } else {
      end.conn->onPacket(p, nowUs);
    }
    app(end);
  }

  void app(SimEnd& end) {
    UtpConnection& c = *end.conn;
    end.events |= c.takeEvents();
    if (end.reading && c.received().readableBytes() > 0) {
      const auto bytes = c.received().readable();
      end.got.insert(end.got.end(), bytes.begin(), bytes.end());
      c.received().retrieveAll();
      c.onConsumed(nowUs);
    }
    if (c.canWrite() && c.state() == UtpConnection::State::Connected &&
        end.written < end.toSend.size() && c.sendQueue().pendingBytes() < (256u << 10)) {
      const std::size_t n = std::min<std::size_t>(64u << 10, end.toSend.size() - end.written);
      c.sendQueue().pushCopy(end.toSend.data() + end.written, n);
      end.written += n;
      c.flush(nowUs);
    }
    if (end.closeWhenSent && end.written == end.toSend.size() &&
        c.sendQueue().pendingBytes() == 0 && c.bytesInFlight() == 0 &&
        c.state() == UtpConnection::State::Connected) {
      c.close(nowUs);
    }
    end.events |= c.takeEvents();
  }

  SimLink ab_;
  SimLink ba_;
  std::uint16_t firstSeqB_ = 2000;
  std::uint64_t nextTickUs_ = 0;
};

}  // namespace tributary::utp::test
