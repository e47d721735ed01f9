#include <QtTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

// Everything a loop may still own when it stops, each callback holding a LifeToken.
struct Leftovers {
  std::shared_ptr<LoopbackPair> pair;     // connected, with a write in flight
  std::unique_ptr<TcpSocket> connecting;  // connect() pending
  std::unique_ptr<TcpSocket> idle;        // never connected
  std::unique_ptr<Resolver> resolver;     // a lookup pending
  std::optional<Resolver::Request> lookup;
  std::optional<Resolver::Request> lookupAtStop;  // made in a shutdown hook: surely pending
  std::atomic<int> callbacksAfterStop{0};
  std::atomic<bool> stopping{false};
};

}  // namespace

class TstTcpShutdown : public QObject {
  Q_OBJECT
 private:
  // Builds the leftovers on a fresh loop, stops it and checks the close.
  void stopWithOpenSockets(bool destroyInHook) {
    EventLoop loop("shutdown");
    loop.start();
    auto live = makeCounter();
    auto s = std::make_shared<Leftovers>();
    FullBacklogListener trap;
    s->pair = makePair(loop, SocketAddress::loopbackV4(0),
                       [](TcpSocket& client) { client.pauseReading(); });
    QVERIFY(s->pair != nullptr);
    runOn(loop, [&loop, &trap, s, live, destroyInHook] {
      auto noteLate = [s](auto&&...) {
        if (s->stopping) {
          ++s->callbacksAfterStop;
        }
      };
      LoopbackPair& p = *s->pair;
      p.client->setOnData([noteLate, t = LifeToken(live)](util::Buffer&) { noteLate(); });
      p.client->setOnClosed([noteLate, t = LifeToken(live)](Result<void>) { noteLate(); });
      p.server->setOnClosed([noteLate, t = LifeToken(live)](Result<void>) { noteLate(); });
      // The client does not read, so most of this stays queued in a uv_write.
      p.server->write(std::string(std::size_t{32} << 20, 's'),
                      [noteLate, t = LifeToken(live)](std::size_t, bool) { noteLate(); });

      s->connecting = std::make_unique<TcpSocket>(loop);
      const SocketAddress target = trap.ok() ? trap.address() : p.listener->localAddress();
      s->connecting->connect(target, 30s,
                             [noteLate, t = LifeToken(live)](Result<void>) { noteLate(); });
      s->connecting->write(std::string("queued while connecting"),
                           [noteLate, t = LifeToken(live)](std::size_t, bool) { noteLate(); });

      s->idle = std::make_unique<TcpSocket>(loop);
      s->idle->setOnClosed([noteLate, t = LifeToken(live)](Result<void>) { noteLate(); });

      loop.addShutdownHook([s] { s->stopping = true; });
      // Runs before the Resolver's own hook (added when it is made, below),
      // so this lookup is in flight when that hook drops its callback.
      loop.addShutdownHook([s, noteLate, live] {
        s->lookupAtStop = s->resolver->resolve(
            "localhost", 80,
            [noteLate, t = LifeToken(live)](Result<Resolver::Addresses>) { noteLate(); });
      });
      s->resolver = std::make_unique<Resolver>(loop);
      s->lookup = s->resolver->resolve(
          "localhost", 80,
          [noteLate, t = LifeToken(live)](Result<Resolver::Addresses>) { noteLate(); });

      if (destroyInHook) {
        loop.addShutdownHook([s] {
          *s->pair = LoopbackPair{};
          s->connecting.reset();
          s->idle.reset();
          s->lookup.reset();
          s->lookupAtStop.reset();
          s->resolver.reset();
        });
      }
    });
    QVERIFY(live->load() > 0);
    QCOMPARE(loop.stop(), 0);  // uv_loop_close: every handle was closed
    QCOMPARE(s->callbacksAfterStop.load(), 0);
    QCOMPARE(live->load(), 0);  // callbacks were dropped on the loop thread
    // Left alive past the loop: closed under them, harmless to use and destroy here.
    if (!destroyInHook) {
      QVERIFY(s->pair->client->isClosed());
      QVERIFY(s->connecting->isClosed());
      QVERIFY(!s->pair->listener->isListening());
      QVERIFY(!s->pair->server->write(std::string("x")));
      QVERIFY(!s->lookupAtStop->pending());  // the resolver dropped it at shutdown
      s->pair->client->close();
      *s->pair = LoopbackPair{};
      s->connecting.reset();
      s->idle.reset();
      s->lookup.reset();
      s->lookupAtStop.reset();
      s->resolver.reset();
    }
  }

 private slots:
  void loopClosesSocketsLeftOpen() { stopWithOpenSockets(false); }
  void socketsDestroyedInAShutdownHook() { stopWithOpenSockets(true); }
};

QTEST_GUILESS_MAIN(TstTcpShutdown)
#include "tst_tcp_shutdown.moc"
