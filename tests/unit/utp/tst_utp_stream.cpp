// utp::UtpSocketManager and UtpStream on 127.0.0.1 (ports from bind(0)):
// 32 MiB each way at once compared by SHA-256, a dial nobody answers, a
// refused dial, close and abort seen by the other side, non-uTP datagrams
// passed to the fallback, and managers destroyed with live streams.
// uv_loop_close() == 0 (EventLoop::stop()) after every test.
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/util/Sha.h"
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

// Sends `total` bytes of stream `seed` and hashes what it receives.
struct Pump {
  UtpStream* stream = nullptr;
  std::uint64_t seed = 0;
  std::uint64_t total = 0;
  std::uint64_t queued = 0;
  std::uint64_t received = 0;
  std::uint64_t expectReceive = 0;
  util::Sha256 sentHash;
  util::Sha256 gotHash;
  bool sendDone = false;
  bool receiveDone = false;
  std::function<void()> onDone;

  void start(UtpStream& s) {
    stream = &s;
    s.setOnData([this](util::Buffer& b) {
      gotHash.update(b.readable());
      received += b.readableBytes();
      b.retrieveAll();
      check();
    });
    fill();
  }
  void fill() {
    constexpr std::size_t kChunk = 256 << 10;
    while (queued < total && stream->pendingWriteBytes() < 2 * kChunk) {
      const std::size_t n = std::min<std::uint64_t>(kChunk, total - queued);
      std::string bytes = chunkOf(seed, queued, n);
      sentHash.update(bytes);
      queued += n;
      stream->write(std::move(bytes), [this](std::size_t, bool done) {
        if (done) {
          fill();
        }
      });
    }
    if (queued == total) {
      sendDone = true;
      check();
    }
  }
  void check() {
    if (received == expectReceive) {
      receiveDone = true;
    }
    if (sendDone && receiveDone && onDone) {
      auto cb = std::move(onDone);
      onDone = nullptr;
      cb();
    }
  }
};

}  // namespace

class TstUtpStream : public QObject {
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

  void transfer32MiBEachWay() {
    constexpr std::uint64_t kTotal = std::uint64_t{32} << 20;
    struct World {
      Node a, b;
      std::unique_ptr<UtpStream> dialed, accepted;
      Pump pa, pb;
      int done = 0;
      std::promise<void> finished;
      explicit World(EventLoop& l) : a(l), b(l) {}
    };
    std::shared_ptr<World> w;
    const auto start = std::chrono::steady_clock::now();
    runOn(*loop_, [&] {
      w = std::make_shared<World>(*loop_);
      World* world = w.get();
      for (Pump* p : {&w->pa, &w->pb}) {
        p->total = kTotal;
        p->expectReceive = kTotal;
        p->onDone = [world] {
          if (++world->done == 2) {
            world->finished.set_value();
          }
        };
      }
      w->pa.seed = 1;
      w->pb.seed = 2;
      w->b.manager->setOnAccept([world](std::unique_ptr<UtpStream> s) {
        world->accepted = std::move(s);
        world->pb.start(*world->accepted);
      });
      w->dialed = w->a.manager->createStream();
      w->dialed->connect(w->b.address(), 5s, [world](Result<void> r) {
        if (r.ok()) {
          world->pa.start(*world->dialed);
        }
      });
    });
    auto f = w->finished.get_future();
    const bool ok = f.wait_for(90s) == std::future_status::ready;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    struct Outcome {
      bool hashesMatch;
      std::uint64_t resent, sent, aRead, bRead;
    };
    const Outcome out = runOn(*loop_, [&] {
      Outcome o{};
      if (ok) {
        o.hashesMatch = w->pa.gotHash.finish() == w->pb.sentHash.finish() &&
                        w->pb.gotHash.finish() == w->pa.sentHash.finish();
      }
      if (const UtpConnection* c = w->dialed->connection()) {
        o.resent = c->retransmissions();
        o.sent = c->packetsSent();
      }
      o.aRead = w->pa.received;
      o.bRead = w->pb.received;
      w->dialed.reset();
      w->accepted.reset();
      w.reset();
      return o;
    });
    qInfo(
        "32 MiB each way over uTP on loopback: %.2f s, %.1f MiB/s per direction; "
        "dialer sent %llu packets, %llu retransmitted; read %llu / %llu",
        seconds, 32.0 / seconds, (unsigned long long)out.sent, (unsigned long long)out.resent,
        (unsigned long long)out.aRead, (unsigned long long)out.bRead);
    QVERIFY2(ok, "the transfer did not finish within 90 s");
    QVERIFY(out.hashesMatch);
  }

  void dialNobodyTimesOut() {
    std::promise<Result<void>> result;
    auto f = result.get_future();
    std::unique_ptr<Node> a;
    std::unique_ptr<UdpSocket> silent;  // bound, never reads: SYNs vanish
    std::unique_ptr<UtpStream> s;
    const auto start = std::chrono::steady_clock::now();
    runOn(*loop_, [&] {
      a = std::make_unique<Node>(*loop_);
      silent = std::make_unique<UdpSocket>(*loop_);
      QVERIFY(silent->bind(SocketAddress::loopbackV4(0)).ok());
      s = a->manager->createStream();
      s->connect(silent->localAddress(), 1500ms, [&](Result<void> r) { result.set_value(r); });
    });
    QVERIFY(waitReady(f, 10s));
    const auto took = std::chrono::steady_clock::now() - start;
    const Result<void> r = f.get();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Timeout);
    // Not before the timeout; the upper bound is generous (a loaded 2-core box).
    QVERIFY(took >= 1400ms && took < 8s);
    runOn(*loop_, [&] {
      QVERIFY(s->isClosed());
      s.reset();
      a.reset();
      silent.reset();
    });
  }

  void dialRefusedWithoutAcceptor() {
    std::promise<Result<void>> result;
    auto f = result.get_future();
    std::unique_ptr<Node> a, b;
    std::unique_ptr<UtpStream> s;
    runOn(*loop_, [&] {
      a = std::make_unique<Node>(*loop_);
      b = std::make_unique<Node>(*loop_);  // no accept callback: SYNs get a RESET
      s = a->manager->createStream();
      s->connect(b->address(), 5s, [&](Result<void> r) { result.set_value(r); });
    });
    QVERIFY(waitReady(f, 5s));
    const Result<void> r = f.get();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ConnectionRefused);
    runOn(*loop_, [&] {
      QVERIFY(b->manager->resetsSent() >= 1);
      s.reset();
      a.reset();
      b.reset();
    });
  }

  void closeIsSeenByTheOtherSide_data() {
    QTest::addColumn<bool>("dialerCloses");
    QTest::addColumn<bool>("abortInstead");
    QTest::newRow("dialer closes") << true << false;
    QTest::newRow("acceptor closes") << false << false;
    QTest::newRow("dialer aborts") << true << true;
    QTest::newRow("acceptor aborts") << false << true;
  }
  void closeIsSeenByTheOtherSide() {
    QFETCH(bool, dialerCloses);
    QFETCH(bool, abortInstead);
    struct World {
      Node a, b;
      std::unique_ptr<UtpStream> dialed, accepted;
      std::string got;
      std::promise<void> connected;
      std::promise<Result<void>> closed;
      explicit World(EventLoop& l) : a(l), b(l) {}
    };
    std::shared_ptr<World> w;
    runOn(*loop_, [&] {
      w = std::make_shared<World>(*loop_);
      World* world = w.get();
      w->b.manager->setOnAccept([world](std::unique_ptr<UtpStream> s) {
        world->accepted = std::move(s);
        world->connected.set_value();
      });
      w->dialed = w->a.manager->createStream();
      w->dialed->connect(w->b.address(), 5s, [](Result<void>) {});
    });
    auto c = w->connected.get_future();
    QVERIFY(waitReady(c, 5s));
    auto f = w->closed.get_future();
    runOn(*loop_, [&] {
      World* world = w.get();
      UtpStream& closer = dialerCloses ? *w->dialed : *w->accepted;
      UtpStream& other = dialerCloses ? *w->accepted : *w->dialed;
      other.setOnData([world](util::Buffer& b) { world->got += b.retrieveAllAsString(); });
      other.setOnClosed([world](Result<void> r) { world->closed.set_value(r); });
      // Bytes written before an orderly close arrive before the EOF.
      QVERIFY(closer.write(std::string(100'000, 'x')));
    });
    // close() drops what is not yet packetized: wait until it all went out.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!abortInstead && std::chrono::steady_clock::now() < deadline && runOn(*loop_, [&] {
      return (dialerCloses ? *w->dialed : *w->accepted).pendingWriteBytes() != 0;
    })) {
      std::this_thread::sleep_for(5ms);
    }
    runOn(*loop_, [&] {
      UtpStream& closer = dialerCloses ? *w->dialed : *w->accepted;
      if (abortInstead) {
        closer.abort();
      } else {
        closer.close();
      }
      QVERIFY(!closer.write(std::string("late")));  // false once closed
    });
    QVERIFY(waitReady(f, 10s));
    const Result<void> r = f.get();
    if (abortInstead) {
      QVERIFY(!r.ok());
      QCOMPARE(r.error().code, ErrorCode::ConnectionReset);
    } else {
      QVERIFY2(r.ok(), r.error().toString().c_str());
      runOn(*loop_, [&] { QCOMPARE(w->got, std::string(100'000, 'x')); });
    }
    runOn(*loop_, [&] {
      w->dialed.reset();
      w->accepted.reset();
      w.reset();
    });
  }

  void pausedReaderStopsTheWriter() {
    struct World {
      Node a, b;
      std::unique_ptr<UtpStream> dialed, accepted;
      std::string got;
      std::promise<void> connected;
      std::promise<void> all;
      explicit World(EventLoop& l) : a(l), b(l) {}
    };
    constexpr std::size_t kTotal = 4u << 20;
    std::shared_ptr<World> w;
    runOn(*loop_, [&] {
      w = std::make_shared<World>(*loop_);
      World* world = w.get();
      w->b.manager->setOnAccept([world](std::unique_ptr<UtpStream> s) {
        world->accepted = std::move(s);
        world->accepted->pauseReading();
        world->connected.set_value();
      });
      w->dialed = w->a.manager->createStream();
      w->dialed->connect(w->b.address(), 5s, [world](Result<void> r) {
        if (r.ok()) {
          world->dialed->write(chunkOf(3, 0, kTotal));
        }
      });
    });
    auto c = w->connected.get_future();
    QVERIFY(waitReady(c, 5s));
    struct Stalled {
      std::size_t pending, buffered;
    };
    // Poll until the reader's window closed (bounded), rather than sleeping and hoping.
    Stalled stalled{};
    for (const auto deadline = std::chrono::steady_clock::now() + 10s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(10ms)) {
      stalled = runOn(*loop_, [&] {
        return Stalled{w->dialed->pendingWriteBytes(),
                       w->accepted->connection()->advertisedWindow()};
      });
      if (stalled.buffered < UtpConfig{}.maxPayload) {
        break;
      }
    }
    // The reader's 1 MiB buffer filled and its window closed: most bytes wait at the writer.
    QVERIFY2(stalled.pending >= kTotal - (UtpConfig{}.receiveBufferBytes + (256u << 10)),
             qPrintable(QString::number(stalled.pending)));
    QVERIFY(stalled.buffered < UtpConfig{}.maxPayload);
    runOn(*loop_, [&] {
      World* world = w.get();
      // A callback set after the bytes arrived still gets them, then the rest flows.
      w->accepted->setOnData([world](util::Buffer& b) {
        world->got += b.retrieveAllAsString();
        if (world->got.size() == kTotal) {
          world->all.set_value();
        }
      });
      w->accepted->resumeReading();
    });
    auto all = w->all.get_future();
    QVERIFY(waitReady(all, 20s));
    runOn(*loop_, [&] {
      QVERIFY(w->got == chunkOf(3, 0, kTotal));
      w->dialed.reset();
      w->accepted.reset();
      w.reset();
    });
  }

  void nonUtpDatagramsGoToTheFallback() {
    std::promise<std::string> got;
    auto f = got.get_future();
    std::unique_ptr<Node> a;
    std::unique_ptr<UdpSocket> other;
    runOn(*loop_, [&] {
      a = std::make_unique<Node>(*loop_);
      a->manager->setFallback([&](const SocketAddress&, std::span<const std::byte> bytes) {
        got.set_value(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      });
      other = std::make_unique<UdpSocket>(*loop_);
      QVERIFY(other->bind(SocketAddress::loopbackV4(0)).ok());
      const std::string ping = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
      QVERIFY(other->send(a->address(), std::as_bytes(std::span(ping))).ok());
    });
    QVERIFY(waitReady(f, 5s));
    QVERIFY(f.get().starts_with("d1:ad2:id20:"));
    runOn(*loop_, [&] {
      QCOMPARE(a->manager->connectionCount(), std::size_t{0});
      a.reset();
      other.reset();
    });
  }

  void managerDestroyedWithLiveStreams() {
    struct World {
      Node a, b;
      std::unique_ptr<UtpStream> dialed, accepted;
      std::promise<void> connected;
      int callbacksRun = 0;
      explicit World(EventLoop& l) : a(l), b(l) {}
    };
    std::shared_ptr<World> w;
    runOn(*loop_, [&] {
      w = std::make_shared<World>(*loop_);
      World* world = w.get();
      w->b.manager->setOnAccept([world](std::unique_ptr<UtpStream> s) {
        world->accepted = std::move(s);
        world->connected.set_value();
      });
      w->dialed = w->a.manager->createStream();
      w->dialed->connect(w->b.address(), 5s, [](Result<void>) {});
    });
    auto c = w->connected.get_future();
    QVERIFY(waitReady(c, 5s));
    runOn(*loop_, [&] {
      World* world = w.get();
      w->dialed->setOnClosed([world](Result<void>) { ++world->callbacksRun; });
      w->accepted->setOnClosed([world](Result<void>) { ++world->callbacksRun; });
      QVERIFY(w->dialed->write(std::string(1 << 20, 'y')));
      // Both managers go while their streams live: streams close, callbacks dropped unrun.
      w->a.manager.reset();
      w->b.manager.reset();
      QVERIFY(w->dialed->isClosed());
      QVERIFY(w->accepted->isClosed());
      QVERIFY(!w->dialed->write(std::string("x")));
      QCOMPARE(w->callbacksRun, 0);
      w->dialed.reset();
      w->accepted.reset();
      w.reset();
    });
  }

  void loopStopsWithStreamsOpen() {
    // Nothing torn down by hand: the loop's shutdown closes the sockets and the timer.
    std::shared_ptr<Node> a, b;
    std::shared_ptr<std::unique_ptr<UtpStream>> dialed =
        std::make_shared<std::unique_ptr<UtpStream>>();
    std::promise<void> connected;
    auto c = connected.get_future();
    runOn(*loop_, [&] {
      a = std::make_shared<Node>(*loop_);
      b = std::make_shared<Node>(*loop_);
      b->manager->setOnAccept([](std::unique_ptr<UtpStream>) {});  // accepted, then dropped
      *dialed = a->manager->createStream();
      (*dialed)->connect(b->address(), 5s, [&](Result<void>) { connected.set_value(); });
    });
    QVERIFY(waitReady(c, 5s));
    QCOMPARE(loop_->stop(), 0);
    dialed->reset();
    a.reset();
    b.reset();
  }
};

QTEST_APPLESS_MAIN(TstUtpStream)
#include "tst_utp_stream.moc"
