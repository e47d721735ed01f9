// A scripted UDP tracker (BEP 15) on a loopback loop::UdpSocket, for the UDP
// tracker client tests. It parses requests by byte offsets of its own (not
// with the code under test), records each one, and answers as the script
// says: normally, not at all, with a wrong transaction id first, with an
// error, from a different socket, or with a broken peer list.
// Loop thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "unit/tracker/TrackerTestUtil.h"

namespace tributary::bt::test {

struct SeenPacket {
  std::uint32_t action = 0;  // 0 connect, 1 announce, 2 scrape; 99 for garbage
  std::uint32_t transactionId = 0;
  std::uint64_t connectionId = 0;  // as sent (the protocol id for a connect)
  std::vector<std::byte> bytes;
  std::chrono::steady_clock::time_point at;
  loop::SocketAddress from;
};

enum class FakeReply : std::uint8_t {
  Normal,
  Drop,
  WrongTransactionFirst,  // a reply with another transaction id, then the right one
  SpoofedFirst,  // the right reply with a bogus connection id from another socket, then the real
                 // one
  Error,
  BrokenPeers,  // an announce reply whose peer list is one byte too long
};

class FakeUdpTracker {
 public:
  static constexpr std::uint64_t kProtocolId = 0x41727101980;

  FakeUdpTracker(loop::EventLoop& loop, const loop::SocketAddress& bindTo)
      : socket_(loop), spoofer_(loop) {
    ok_ = socket_.bind(bindTo).ok() && spoofer_.bind(bindTo.withPort(0)).ok();
    socket_.setOnReceive([this](const loop::SocketAddress& from, std::span<const std::byte> b) {
      onPacket(from, b);
    });
  }

  bool ok() const { return ok_; }
  loop::SocketAddress address() const { return socket_.localAddress(); }
  std::string url(const std::string& path = "/announce") const {
    const loop::SocketAddress a = address();
    return "udp://" + (a.isV6() ? "[" + a.ipString() + "]" : a.ipString()) + ":" +
           std::to_string(a.port()) + path;
  }

  // Decides how to answer each request; nullptr answers everything normally.
  std::function<FakeReply(const SeenPacket&)> script;
  std::vector<loop::SocketAddress> peers;  // returned by announces (the family of the socket)
  std::string errorMessage = "torrent not registered";
  std::uint32_t interval = 1800;

  const std::vector<SeenPacket>& seen() const { return seen_; }
  int count(std::uint32_t action) const {
    int n = 0;
    for (const SeenPacket& p : seen_) {
      n += p.action == action ? 1 : 0;
    }
    return n;
  }
  const std::set<std::uint64_t>& issuedIds() const { return issued_; }

 private:
  void onPacket(const loop::SocketAddress& from, std::span<const std::byte> bytes) {
    SeenPacket p;
    p.at = std::chrono::steady_clock::now();
    p.from = from;
    p.bytes.assign(bytes.begin(), bytes.end());
    p.action = 99;
    if (bytes.size() >= 16) {
      p.connectionId = getBe(bytes, 0, 8);
      p.action = static_cast<std::uint32_t>(getBe(bytes, 8, 4));
      p.transactionId = static_cast<std::uint32_t>(getBe(bytes, 12, 4));
    }
    seen_.push_back(p);
    const FakeReply how = script ? script(p) : FakeReply::Normal;
    if (how == FakeReply::Drop || p.action == 99) {
      return;
    }
    if (how == FakeReply::Error) {
      std::vector<std::byte> out;
      putBe(out, 3, 4);
      putBe(out, p.transactionId, 4);
      const auto text = bytesOf(errorMessage);
      out.insert(out.end(), text.begin(), text.end());
      (void)socket_.send(from, out);
      return;
    }
    std::vector<std::byte> reply = answer(p, how == FakeReply::BrokenPeers);
    if (how == FakeReply::WrongTransactionFirst) {
      std::vector<std::byte> wrong = reply;
      const auto bad = bytesOf("\x5a\x5a\x5a\x5a");
      std::copy(bad.begin(), bad.end(), wrong.begin() + 4);
      if (getBe(wrong, 4, 4) == p.transactionId) {
        wrong[4] ^= std::byte{0xff};
      }
      (void)socket_.send(from, wrong);
    }
    if (how == FakeReply::SpoofedFirst) {
      std::vector<std::byte> spoofed = reply;
      if (p.action == 0) {
        std::vector<std::byte> bogus;
        putBe(bogus, 0x5b5b5b5b5b5b5b5bull, 8);
        std::copy(bogus.begin(), bogus.end(), spoofed.begin() + 8);
      }
      (void)spoofer_.send(from, spoofed);
    }
    (void)socket_.send(from, reply);
  }

  std::vector<std::byte> answer(const SeenPacket& p, bool brokenPeers) {
    std::vector<std::byte> out;
    putBe(out, p.action, 4);
    putBe(out, p.transactionId, 4);
    if (p.action == 0) {
      const std::uint64_t id = nextId_++;
      issued_.insert(id);
      putBe(out, id, 8);
    } else if (p.action == 1) {
      putBe(out, interval, 4);
      putBe(out, 2, 4);  // leechers
      putBe(out, 1, 4);  // seeders
      for (const loop::SocketAddress& peer : peers) {
        for (const std::uint8_t b : peer.bytes()) {
          out.push_back(static_cast<std::byte>(b));
        }
        putBe(out, peer.port(), 2);
      }
      if (brokenPeers) {
        out.push_back(std::byte{0});
      }
    } else if (p.action == 2) {
      const std::size_t hashes = (p.bytes.size() - 16) / 20;
      for (std::size_t i = 0; i < hashes; ++i) {
        putBe(out, 5 + i, 4);
        putBe(out, 6 + i, 4);
        putBe(out, 7 + i, 4);
      }
    }
    return out;
  }

  loop::UdpSocket socket_;
  loop::UdpSocket spoofer_;
  bool ok_ = false;
  std::vector<SeenPacket> seen_;
  std::set<std::uint64_t> issued_;
  std::uint64_t nextId_ = 0x1000000000000001ull;
};

}  // namespace tributary::bt::test
