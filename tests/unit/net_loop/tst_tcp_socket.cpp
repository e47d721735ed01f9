#include <QtTest>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "engine/loop/Timer.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

long long msSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::string describe(const Result<void>& r) {
  return r.ok() ? std::string("clean EOF")
                : std::to_string(static_cast<int>(r.error().code)) + " " + r.error().detail;
}

}  // namespace

class TstTcpSocket : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("socket");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void writesBeforeConnectGoOutOnConnect() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0), [](TcpSocket& client) {
      client.write(std::string("hello "));
      client.writeCopy("world", 5);
    });
    QVERIFY(pair != nullptr);
    auto got = std::make_shared<std::promise<std::string>>();
    runOn(*loop_, [pair, got] {
      auto consume = [pair, got](util::Buffer& in) {
        if (in.readableBytes() >= 11) {
          got->set_value(in.retrieveAllAsString());
        }  // else: leave the bytes; they come again with the rest
      };
      pair->server->setOnData(consume);
      if (pair->server->readBuffer().readableBytes() > 0) {
        consume(pair->server->readBuffer());  // what arrived before the callback was set
      }
    });
    auto f = got->get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(QString::fromStdString(f.get()), QStringLiteral("hello world"));
    const auto counts = runOn(*loop_, [pair] {
      return std::pair{pair->client->bytesWritten(), pair->server->bytesRead()};
    });
    QCOMPARE(counts.first, std::uint64_t{11});
    QCOMPARE(counts.second, std::uint64_t{11});
    destroyPair(*loop_, pair);
  }

  // The kernel's RTT: on a connected loopback pair a small positive figure
  // where the OS reports it; nothing for a socket that never connected.
  void smoothedRttOfAConnection() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    const auto rtts = runOn(*loop_, [this, pair] {
      TcpSocket idle(*loop_);
      return std::pair{pair->client->smoothedRtt(), idle.smoothedRtt()};
    });
    QVERIFY(!rtts.second.has_value());
#if defined(__linux__) || defined(__APPLE__)
    QVERIFY(rtts.first.has_value());
    QVERIFY2(rtts.first->count() > 0 && *rtts.first < 1s,
             qPrintable(QString::number(rtts.first->count())));
#endif
    destroyPair(*loop_, pair);
  }

  void readsLandInAnOutsideBuffer() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto external = std::make_shared<util::Buffer>();
    auto sameBuffer = std::make_shared<std::promise<bool>>();
    runOn(*loop_, [pair, external, sameBuffer] {
      pair->client->setReadBuffer(external.get());
      pair->client->setOnData([external, sameBuffer](util::Buffer& in) {
        if (in.readableBytes() == 3) {
          sameBuffer->set_value(&in == external.get() && in.view() == "xyz");
        }
      });
      pair->server->write(std::string("xyz"));
    });
    auto f = sameBuffer->get_future();
    QVERIFY(waitReady(f));
    QVERIFY(f.get());
    runOn(*loop_, [pair] { pair->client->setReadBuffer(nullptr); });
    destroyPair(*loop_, pair);
  }

  void closeInsideOnData() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      int dataCalls = 0;
      int closedCalls = 0;
      int liveAfterClose = -1;
      std::optional<Result<void>> serverSaw;
      std::promise<void> serverClosed;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    runOn(*loop_, [pair, s, live] {
      pair->client->setOnData([pair, s, live, token = LifeToken(live)](util::Buffer&) {
        ++s->dataCalls;
        pair->client->close();  // drops this very callback while it runs
        pair->client->close();
        s->liveAfterClose = live->load();  // only this running copy is left
      });
      pair->client->setOnClosed([s, token = LifeToken(live)](Result<void>) { ++s->closedCalls; });
      pair->server->setOnClosed([s](Result<void> r) {
        s->serverSaw = std::move(r);
        s->serverClosed.set_value();
      });
      pair->server->write(std::string("first"));
    });
    auto f = s->serverClosed.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(s->serverSaw.has_value());
    QVERIFY2(s->serverSaw->ok(), describe(*s->serverSaw).c_str());  // our close is the peer's EOF
    QVERIFY(settle(*loop_, 50ms));
    QCOMPARE(s->dataCalls, 1);
    QCOMPARE(s->closedCalls, 0);
    QCOMPARE(s->liveAfterClose, 1);
    QCOMPARE(live->load(), 0);
    QVERIFY(runOn(*loop_, [pair] { return pair->client->isClosed(); }));
    destroyPair(*loop_, pair);
  }

  void destroyInsideOnData() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto live = makeCounter();
    auto destroyed = std::make_shared<std::promise<void>>();
    runOn(*loop_, [pair, destroyed, live] {
      pair->client->setOnData([pair, destroyed, token = LifeToken(live)](util::Buffer& in) {
        if (in.readableBytes() > 0) {
          pair->client.reset();  // the socket, its buffer and this callback's storage go
          destroyed->set_value();
        }
      });
      // Enough to need several reads, so libuv is mid-way through a read burst.
      pair->server->write(std::string(std::size_t{4} << 20, 'x'));
    });
    auto f = destroyed->get_future();
    QVERIFY(waitReady(f));
    QVERIFY(settle(*loop_, 50ms));
    QCOMPARE(live->load(), 0);
    destroyPair(*loop_, pair);
  }

  void destroyInsideOnClosed() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto outcome = std::make_shared<std::promise<Result<void>>>();
    runOn(*loop_, [pair, outcome] {
      pair->client->setOnClosed([pair, outcome](Result<void> r) {
        pair->client.reset();
        outcome->set_value(std::move(r));
      });
      pair->server->write(std::string("bye"));
      pair->server->close();  // FIN after the bytes
    });
    auto f = outcome->get_future();
    QVERIFY(waitReady(f));
    const Result<void> r = f.get();
    QVERIFY2(r.ok(), describe(r).c_str());
    QVERIFY(runOn(*loop_, [pair] { return pair->client == nullptr; }));
    destroyPair(*loop_, pair);
  }

  void pauseAndResumeReading() {
    constexpr std::size_t kSize = std::size_t{32} << 20;  // more than the kernel buffers
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0),
                         [](TcpSocket& client) { client.pauseReading(); });
    QVERIFY(pair != nullptr);
    struct State {
      std::uint64_t received = 0;
      std::promise<void> all;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      pair->client->setOnData([s](util::Buffer& in) {
        s->received += in.readableBytes();
        in.retrieveAll();
        if (s->received == kSize) {
          s->all.set_value();
        }
      });
      pair->server->write(std::string(kSize, 'p'));
    });
    QVERIFY(settle(*loop_, 300ms));
    const auto paused = runOn(*loop_, [pair, s] {
      return std::tuple{pair->client->bytesRead(), s->received, pair->server->pendingWriteBytes(),
                        pair->client->readingPaused()};
    });
    QCOMPARE(std::get<0>(paused), std::uint64_t{0});  // paused before connecting: never read
    QCOMPARE(std::get<1>(paused), std::uint64_t{0});
    QVERIFY(std::get<2>(paused) > 0);  // back-pressure reached the sender
    QVERIFY(std::get<3>(paused));

    runOn(*loop_, [pair] { pair->client->resumeReading(); });
    auto f = s->all.get_future();
    QVERIFY(waitReady(f));
    const auto after = runOn(*loop_, [pair] {
      return std::pair{pair->client->bytesRead(), pair->server->pendingWriteBytes()};
    });
    QCOMPARE(after.first, std::uint64_t{kSize});
    QCOMPARE(after.second, std::size_t{0});
    destroyPair(*loop_, pair);
  }

  void pauseInsideOnDataStopsDelivery() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      int calls = 0;
      std::uint64_t received = 0;
      std::promise<void> all;
    };
    auto s = std::make_shared<State>();
    constexpr std::size_t kSize = std::size_t{8} << 20;
    runOn(*loop_, [pair, s] {
      pair->client->setOnData([pair, s](util::Buffer& in) {
        ++s->calls;
        s->received += in.readableBytes();
        in.retrieveAll();
        if (s->calls == 1) {
          pair->client->pauseReading();
        }
        if (s->received == kSize) {
          s->all.set_value();
        }
      });
      pair->server->write(std::string(kSize, 'q'));
    });
    QVERIFY(settle(*loop_, 200ms));
    QCOMPARE(runOn(*loop_, [s] { return s->calls; }), 1);
    runOn(*loop_, [pair] { pair->client->resumeReading(); });
    auto f = s->all.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(s->calls > 1);
    destroyPair(*loop_, pair);
  }

  void readTimeoutFiresWhenIdle() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      Clock::time_point started;
      long long afterMs = -1;
      std::optional<Result<void>> result;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      s->started = Clock::now();
      pair->client->setOnClosed([s](Result<void> r) {
        s->afterMs = msSince(s->started);
        s->result = std::move(r);
        s->done.set_value();
      });
      pair->client->setReadTimeout(150ms);
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(!s->result->ok());
    QCOMPARE(s->result->error().code, ErrorCode::Timeout);
    QVERIFY2(s->afterMs >= 145 && s->afterMs < 3000, qPrintable(QString::number(s->afterMs)));
    QVERIFY(runOn(*loop_, [pair] { return pair->client->isClosed(); }));
    destroyPair(*loop_, pair);
  }

  void readTimeoutIgnoresPausedTimeAndResetsOnData() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      std::unique_ptr<Timer> ticker;
      int ticks = 0;
      bool closedEarly = false;
      Clock::time_point stoppedAt;
      long long timeoutAfterStopMs = -1;
      std::optional<Result<void>> result;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      pair->client->setOnData([](util::Buffer& in) { in.retrieveAll(); });
      pair->client->setOnClosed([s](Result<void> r) {
        if (s->ticker != nullptr) {
          s->closedEarly = true;
        }
        s->timeoutAfterStopMs = msSince(s->stoppedAt);
        s->result = std::move(r);
        s->done.set_value();
      });
      pair->client->setReadTimeout(150ms);
      pair->client->pauseReading();
    });
    QVERIFY(settle(*loop_, 400ms));  // paused: no timeout however long
    runOn(*loop_, [this, pair, s] {
      pair->client->resumeReading();
      // A byte every 40 ms keeps a 150 ms read timeout quiet for 10 ticks.
      s->ticker = std::make_unique<Timer>(*loop_);
      s->ticker->start(40ms, 40ms, [pair, s] {
        pair->server->write(std::string("."));
        if (++s->ticks == 10) {
          s->stoppedAt = Clock::now();
          s->ticker.reset();
        }
      });
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(!s->closedEarly);
    QCOMPARE(s->ticks, 10);
    QVERIFY(!s->result->ok());
    QCOMPARE(s->result->error().code, ErrorCode::Timeout);
    QVERIFY2(s->timeoutAfterStopMs >= 100 && s->timeoutAfterStopMs < 3000,
             qPrintable(QString::number(s->timeoutAfterStopMs)));
    destroyPair(*loop_, pair);
  }

  void peerResetMidStream() {
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      std::optional<Result<void>> result;
      std::promise<void> done;
      bool serverReset = false;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      pair->server->setOnData([pair, s](util::Buffer& in) {
        in.retrieveAll();
        if (!s->serverReset) {
          s->serverReset = true;
          pair->server->abort();  // RST while the client is still sending and reading
        }
      });
      pair->client->setOnClosed([s](Result<void> r) {
        s->result = std::move(r);
        s->done.set_value();
      });
      pair->client->write(std::string(std::size_t{16} << 20, 'r'));
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(s->serverReset);
    QVERIFY(!s->result->ok());
    QVERIFY2(s->result->error().code == ErrorCode::ConnectionReset, describe(*s->result).c_str());
    QVERIFY(runOn(*loop_, [pair] { return pair->client->isClosed(); }));
    destroyPair(*loop_, pair);
  }

  void progressCallbacksMayWriteMore() {
    // Each entry, once sent, queues the next from its progress callback,
    // both when the kernel took it at once and when uv_write finished it later.
    constexpr int kEntries = 24;
    constexpr std::size_t kEntrySize = std::size_t{1} << 20;
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    struct State {
      int queued = 0;
      int done = 0;
      std::uint64_t progressSum = 0;
      std::uint64_t received = 0;
      std::promise<void> all;
      std::function<void()> queueNext;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      pair->server->setOnData([s](util::Buffer& in) {
        s->received += in.readableBytes();
        in.retrieveAll();
        if (s->received == kEntries * kEntrySize) {
          s->all.set_value();
        }
      });
      s->queueNext = [pair, s] {
        ++s->queued;
        pair->client->write(std::string(kEntrySize, static_cast<char>('a' + s->queued % 26)),
                            [s](std::size_t sentNow, bool entryDone) {
                              s->progressSum += sentNow;
                              if (entryDone && ++s->done > 0 && s->queued < kEntries) {
                                s->queueNext();
                              }
                            });
      };
      // Two in the queue at once, so a callback runs while the other is still queued.
      s->queueNext();
      s->queueNext();
    });
    auto f = s->all.get_future();
    QVERIFY(waitReady(f));
    const auto sums = runOn(*loop_, [s, pair] {
      s->queueNext = nullptr;
      return std::tuple{s->progressSum, s->done, pair->client->bytesWritten()};
    });
    QCOMPARE(s->received, std::uint64_t{kEntries * kEntrySize});
    QCOMPARE(std::get<0>(sums), std::uint64_t{kEntries * kEntrySize});
    QCOMPARE(std::get<1>(sums), kEntries);
    QCOMPARE(std::get<2>(sums), std::uint64_t{kEntries * kEntrySize});
    destroyPair(*loop_, pair);
  }

  void sendErrorArrivesAfterWriteReturns() {
    // Reading paused, so only the write path can find the reset.
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0),
                         [](TcpSocket& client) { client.pauseReading(); });
    QVERIFY(pair != nullptr);
    struct State {
      bool insideWrite = false;
      bool closedInsideWrite = false;
      std::optional<Result<void>> result;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [pair, s] {
      pair->client->setOnClosed([s](Result<void> r) {
        s->closedInsideWrite = s->insideWrite;
        s->result = std::move(r);
        s->done.set_value();
      });
      pair->server->abort();
    });
    QVERIFY(settle(*loop_, 100ms));  // the RST has arrived
    runOn(*loop_, [pair, s] {
      for (int i = 0; i < 4 && !s->result; ++i) {
        s->insideWrite = true;
        pair->client->write(std::string(std::size_t{256} << 10, 'w'));
        s->insideWrite = false;
      }
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(!s->closedInsideWrite);
    QVERIFY(!s->result->ok());
    QVERIFY2(s->result->error().code == ErrorCode::ConnectionReset, describe(*s->result).c_str());
    destroyPair(*loop_, pair);
  }

  void progressNeverRunsAfterClose() {
    struct State {
      int calls = 0;
      bool writeAfterClose = true;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    // Queued before connecting, the three entries go out in one write, so
    // one consume() reports them all; the first closes the socket.
    auto pair = makePair(*loop_, SocketAddress::loopbackV4(0), [s, live](TcpSocket& client) {
      for (int i = 0; i < 3; ++i) {
        client.write(std::string("entry"),
                     [s, &client, token = LifeToken(live)](std::size_t, bool done) {
                       ++s->calls;
                       if (done) {
                         client.close();
                         s->writeAfterClose = client.write(std::string("more"));
                       }
                     });
      }
    });
    QVERIFY(pair != nullptr);
    QVERIFY(settle(*loop_, 50ms));
    QCOMPARE(s->calls, 1);
    QVERIFY(!s->writeAfterClose);
    QCOMPARE(live->load(), 0);
    destroyPair(*loop_, pair);
  }
};

QTEST_GUILESS_MAIN(TstTcpSocket)
#include "tst_tcp_socket.moc"
