// utp::UtpStream and UtpSocketManager on 127.0.0.1, the ends of a
// connection: a stream closed, destroyed or given a new callback from inside
// its own onData; both sides closing one after the other without either
// being reset; spoofed SYNs capped as half-open and forgotten after the
// connect timeout; idle connections not ticked. uv_loop_close() == 0 (EventLoop::stop()) after
// every test.
#include <QtTest>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/utp/UtpSocketManager.h"
#include "engine/utp/UtpStream.h"
#include "unit/loop/LoopTestUtil.h"
#include "unit/utp/UtpTestNode.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace tributary::utp;
using namespace tributary::utp::test;
using namespace std::chrono_literals;

namespace {

// Polls pred on the loop thread every 10 ms until it holds or limit passes.
bool pollOn(EventLoop& loop, const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!runOn(loop, pred)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A dialer and an acceptor, connected.
struct Pair {
  explicit Pair(EventLoop& l, UtpManagerConfig config = {}) : a(l, config), b(l, config) {}
  Node a, b;
  std::unique_ptr<UtpStream> dialed, accepted;
};

std::shared_ptr<Pair> connectPair(EventLoop& loop, bool pauseAccepted = false) {
  std::shared_ptr<Pair> p;
  std::promise<void> connected;
  auto f = connected.get_future();
  runOn(loop, [&] {
    p = std::make_shared<Pair>(loop);
    Pair* raw = p.get();
    p->b.manager->setOnAccept([raw, &connected, pauseAccepted](std::unique_ptr<UtpStream> s) {
      raw->accepted = std::move(s);
      if (pauseAccepted) {
        raw->accepted->pauseReading();
      }
      connected.set_value();
    });
    p->dialed = p->a.manager->createStream();
    p->dialed->connect(p->b.address(), 5s, [](Result<void>) {});
  });
  if (!waitReady(f, 10s)) {
    return nullptr;
  }
  return p;
}

}  // namespace

class TstUtpStreamClose : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("utp");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void onDataMayCloseOrDestroyItsStream_data() {
    QTest::addColumn<int>("action");
    QTest::newRow("close") << 0;
    QTest::newRow("destroy") << 1;
    QTest::newRow("replace the callback") << 2;
  }
  void onDataMayCloseOrDestroyItsStream() {
    // The closure owns state it uses after the call that would free it (a
    // use-after-free under ASan if the stream ran it in place).
    QFETCH(int, action);
    auto p = connectPair(*loop_);
    QVERIFY(p);
    std::promise<std::string> done;
    auto f = done.get_future();
    auto replacementGot = std::make_shared<std::size_t>(0);
    runOn(*loop_, [&] {
      Pair* raw = p.get();
      auto tag = std::make_shared<std::string>(4096, 't');
      p->accepted->setOnData([raw, tag, action, &done, replacementGot](util::Buffer& b) {
        const std::size_t n = b.readableBytes();
        b.retrieveAll();
        if (action == 0) {
          raw->accepted->close();
        } else if (action == 1) {
          raw->accepted.reset();
        } else {
          raw->accepted->setOnData([replacementGot](util::Buffer& more) {
            *replacementGot += more.readableBytes();
            more.retrieveAll();
          });
        }
        // Captures still readable after the call that dropped the callback.
        done.set_value(tag->substr(0, 3) + std::to_string(n > 0));
      });
      QVERIFY(p->dialed->write(std::string(1000, 'x')));
    });
    QVERIFY(waitReady(f, 10s));
    QCOMPARE(f.get(), std::string("ttt1"));
    if (action == 2) {
      // The new callback stays set and gets what comes next.
      runOn(*loop_, [&] { QVERIFY(p->dialed->write(std::string(5000, 'y'))); });
      QVERIFY(pollOn(
          *loop_, [&] { return *replacementGot == 5000; }, 10s));
    } else {
      runOn(*loop_, [&] { QVERIFY(!p->accepted || p->accepted->isClosed()); });
      // Its FIN ends the other side too (no half-open streams).
      QVERIFY(pollOn(
          *loop_, [&] { return p->dialed->isClosed(); }, 10s));
    }
    runOn(*loop_, [&] {
      p->dialed.reset();
      p->accepted.reset();
      p.reset();
    });
  }

  void bothSidesCloseWithoutAReset() {
    // The acceptor reads (so sees the EOF, and closes in turn) only well after
    // the dialer's FIN was acked: the dialer must still be there to ack its FIN.
    auto p = connectPair(*loop_, true);
    QVERIFY(p);
    std::promise<Result<void>> closed;
    auto f = closed.get_future();
    auto got = std::make_shared<std::string>();
    runOn(*loop_, [&] {
      QVERIFY(p->dialed->write(std::string(100'000, 'x')));
      p->accepted->setOnData([got](util::Buffer& b) { *got += b.retrieveAllAsString(); });
      p->accepted->setOnClosed([&closed](Result<void> r) { closed.set_value(r); });
    });
    QVERIFY(pollOn(
        *loop_, [&] { return p->dialed->pendingWriteBytes() == 0; }, 10s));
    QVERIFY(pollOn(
        *loop_, [&] { return p->dialed->connection()->bytesInFlight() == 0; }, 10s));
    runOn(*loop_, [&] { p->dialed->close(); });
    // Long enough for the FIN and its ACK on loopback; it must not matter how long.
    std::this_thread::sleep_for(300ms);
    runOn(*loop_, [&] { p->accepted->resumeReading(); });
    QVERIFY(waitReady(f, 10s));
    const Result<void> r = f.get();
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QCOMPARE(*got, std::string(100'000, 'x'));
    // Both ends forget the connection after the exchange, and neither was reset.
    QVERIFY(pollOn(
        *loop_,
        [&] {
          return p->a.manager->connectionCount() == 0 && p->b.manager->connectionCount() == 0;
        },
        15s));
    runOn(*loop_, [&] {
      QCOMPARE(p->a.manager->resetsSent(), std::uint64_t{0});
      QCOMPARE(p->b.manager->resetsSent(), std::uint64_t{0});
      p->dialed.reset();
      p->accepted.reset();
      p.reset();
    });
  }

  void idleConnectionsAreNotTicked() {
    // 16 idle connections: their next deadline is the keep-alive (29 s), so
    // the 10 ms timer has nothing to do for them (it used to tick all, 50 times a second).
    constexpr int kPairs = 16;
    std::vector<std::shared_ptr<Pair>> pairs;
    for (int i = 0; i < kPairs; ++i) {
      pairs.push_back(connectPair(*loop_));
      QVERIFY(pairs.back());
    }
    // Let the handshakes' last packets settle.
    QVERIFY(pollOn(
        *loop_,
        [&] {
          for (auto& p : pairs) {
            if (p->dialed->connection()->bytesInFlight() != 0 ||
                p->b.manager->halfOpenCount() != 0) {
              return false;
            }
          }
          return true;
        },
        10s));
    auto ticks = [&] {
      return runOn(*loop_, [&] {
        std::uint64_t n = 0;
        for (auto& p : pairs) {
          n += p->a.manager->connectionTicks() + p->b.manager->connectionTicks();
        }
        return n;
      });
    };
    const std::uint64_t before = ticks();
    std::this_thread::sleep_for(500ms);
    const std::uint64_t during = ticks() - before;
    QVERIFY2(during < kPairs, qPrintable(QString::number(during)));
    // A write still goes through and is acked (its timers are scheduled).
    runOn(*loop_, [&] {
      for (auto& p : pairs) {
        QVERIFY(p->dialed->write(std::string(20'000, 'w')));
      }
    });
    QVERIFY(pollOn(
        *loop_,
        [&] {
          for (auto& p : pairs) {
            if (p->accepted->connection()->bytesRead() != 20'000 ||
                p->dialed->connection()->bytesInFlight() != 0) {
              return false;
            }
          }
          return true;
        },
        10s));
    runOn(*loop_, [&] {
      for (auto& p : pairs) {
        p->dialed.reset();
        p->accepted.reset();
      }
      pairs.clear();
    });
  }

  void spoofedSynsAreCappedAndForgotten() {
    UtpManagerConfig config;
    config.maxHalfOpen = 4;
    config.connection.connectTimeoutUs = 300'000;
    struct World {
      World(EventLoop& l, UtpManagerConfig c) : server(l, c), client(l), spoofer(l) {}
      Node server, client;
      UdpSocket spoofer;
      std::vector<std::unique_ptr<UtpStream>> accepted;
      int timeouts = 0;
      int resetsSeen = 0;
    };
    std::shared_ptr<World> w;
    constexpr int kSyns = 10;
    runOn(*loop_, [&] {
      w = std::make_shared<World>(*loop_, config);
      World* world = w.get();
      QVERIFY(w->spoofer.bind(SocketAddress::loopbackV4(0)).ok());
      w->spoofer.setOnReceive([world](const SocketAddress&, std::span<const std::byte> bytes) {
        const auto parsed = parsePacket(bytes);
        if (parsed.ok() && parsed.value().header.type == PacketType::Reset) {
          ++world->resetsSeen;
        }
      });
      w->server.manager->setOnAccept([world](std::unique_ptr<UtpStream> s) {
        s->setOnClosed([world](Result<void> r) {
          if (!r.ok() && r.error().code == ErrorCode::Timeout) {
            ++world->timeouts;
          }
        });
        world->accepted.push_back(std::move(s));
      });
      // SYNs whose sender never answers our STATE.
      for (int i = 0; i < kSyns; ++i) {
        PacketHeader syn;
        syn.type = PacketType::Syn;
        syn.connectionId = static_cast<std::uint16_t>(1000 + 10 * i);
        syn.seqNr = static_cast<std::uint16_t>(77 + i);
        syn.windowSize = 1 << 20;
        std::vector<std::byte> out;
        writePacket(syn, {}, {}, out);
        QVERIFY(w->spoofer.send(w->server.address(), out).ok());
      }
    });
    QVERIFY(pollOn(
        *loop_, [&] { return w->accepted.size() == 4 && w->resetsSeen >= kSyns - 4; }, 5s));
    runOn(*loop_, [&] {
      QCOMPARE(w->server.manager->halfOpenCount(), std::size_t{4});
      QCOMPARE(w->server.manager->connectionCount(), std::size_t{4});
    });
    // Unconfirmed: each reset once after the connect timeout and forgotten.
    QVERIFY(pollOn(
        *loop_,
        [&] {
          return w->server.manager->connectionCount() == 0 && w->resetsSeen == kSyns &&
                 w->timeouts == 4;
        },
        5s));
    runOn(*loop_, [&] {
      QCOMPARE(w->accepted.size(), std::size_t{4});
      QCOMPARE(w->server.manager->halfOpenCount(), std::size_t{0});
    });
    // Nothing more is sent to the spoofed address later.
    std::this_thread::sleep_for(300ms);
    runOn(*loop_, [&] { QCOMPARE(w->resetsSeen, kSyns); });
    // The slots are free again for a real dial.
    std::promise<Result<void>> dialed;
    auto f = dialed.get_future();
    std::unique_ptr<UtpStream> s;
    runOn(*loop_, [&] {
      s = w->client.manager->createStream();
      s->connect(w->server.address(), 5s, [&dialed](Result<void> r) { dialed.set_value(r); });
    });
    QVERIFY(waitReady(f, 10s));
    QVERIFY(f.get().ok());
    runOn(*loop_, [&] {
      s.reset();
      w->accepted.clear();
      w->spoofer.close();
      w.reset();
    });
  }
};

QTEST_APPLESS_MAIN(TstUtpStreamClose)
#include "tst_utp_stream_close.moc"
