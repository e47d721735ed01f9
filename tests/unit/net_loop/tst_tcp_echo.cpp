#include <QtTest>

#include <cstring>
#include <future>
#include <memory>

#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kTotal = std::size_t{64} << 20;
constexpr std::size_t kChunk = std::size_t{1} << 20;
// The echo server stops reading while this much is queued to send back, and
// resumes below the low mark: it must never buffer the whole stream.
constexpr std::size_t kHighWater = std::size_t{4} << 20;
constexpr std::size_t kLowWater = std::size_t{1} << 20;

struct EchoState {
  util::SendQueue::SharedBytes data;
  std::shared_ptr<LoopbackPair> pair;
  // Client side.
  std::uint64_t progressSum = 0;
  int entriesDone = 0;
  bool progressAfterDone = false;
  std::uint64_t received = 0;
  std::int64_t mismatchAt = -1;
  // Server side.
  int pauses = 0;
  int resumes = 0;
  std::size_t maxServerPending = 0;
  std::string failure;
  std::promise<void> done;
  bool finished = false;

  void finish(std::string why = {}) {
    if (!finished) {
      finished = true;
      failure = std::move(why);
      done.set_value();
    }
  }
};

}  // namespace

class TstTcpEcho : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("echo");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void echoes64MiBByteExact_data() {
    QTest::addColumn<bool>("v6");
    QTest::newRow("127.0.0.1") << false;
    QTest::newRow("::1") << true;
  }
  void echoes64MiBByteExact() {
    QFETCH(bool, v6);
    if (v6 && !ipv6LoopbackWorks(*loop_)) {
      QSKIP("this machine cannot listen on ::1");
    }
    auto s = std::make_shared<EchoState>();
    s->data = std::make_shared<const util::SendQueue::Bytes>(patternBytes(kTotal, v6 ? 6 : 4));
    s->pair = makePair(*loop_, v6 ? SocketAddress::loopbackV6(0) : SocketAddress::loopbackV4(0));
    QVERIFY(s->pair != nullptr);

    runOn(*loop_, [s] {
      TcpSocket& server = *s->pair->server;
      TcpSocket& client = *s->pair->client;
      server.setOnData([s, &server](util::Buffer& in) {
        const std::size_t n = in.readableBytes();
        server.writeCopy(in.peek(), n, [s, &server](std::size_t, bool entryDone) {
          if (entryDone && server.readingPaused() && server.pendingWriteBytes() < kLowWater) {
            ++s->resumes;
            server.resumeReading();
          }
        });
        in.retrieve(n);
        s->maxServerPending = std::max(s->maxServerPending, server.pendingWriteBytes());
        if (server.pendingWriteBytes() > kHighWater && !server.readingPaused()) {
          ++s->pauses;
          server.pauseReading();
        }
      });
      server.setOnClosed([s](Result<void> r) {
        s->finish("server closed: " + (r.ok() ? std::string("eof") : r.error().detail));
      });
      client.setOnData([s](util::Buffer& in) {
        const std::size_t n = in.readableBytes();
        if (s->received + n > kTotal) {
          s->finish("more bytes than were sent");
          return;
        }
        if (s->mismatchAt < 0 && std::memcmp(in.peek(), s->data->data() + s->received, n) != 0) {
          for (std::size_t i = 0; i < n; ++i) {
            if (static_cast<std::byte>(in.peek()[i]) != (*s->data)[s->received + i]) {
              s->mismatchAt = static_cast<std::int64_t>(s->received + i);
              break;
            }
          }
        }
        s->received += n;
        in.retrieve(n);
        if (s->received == kTotal) {
          s->finish();
        }
      });
      client.setOnClosed([s](Result<void> r) {
        s->finish("client closed: " + (r.ok() ? std::string("eof") : r.error().detail));
      });
      for (std::size_t offset = 0; offset < kTotal; offset += kChunk) {
        client.write(s->data, offset, kChunk, [s](std::size_t sentNow, bool entryDone) {
          if (s->entriesDone * kChunk >= kTotal) {
            s->progressAfterDone = true;
          }
          s->progressSum += sentNow;
          s->entriesDone += entryDone ? 1 : 0;
        });
      }
    });

    auto f = s->done.get_future();
    QVERIFY2(waitReady(f, std::chrono::seconds(100)), "the echo did not finish in time");
    struct Counters {
      std::uint64_t clientWritten, clientRead, serverRead, serverWritten;
      std::size_t clientPending;
    };
    const Counters c = runOn(*loop_, [s] {
      return Counters{s->pair->client->bytesWritten(), s->pair->client->bytesRead(),
                      s->pair->server->bytesRead(), s->pair->server->bytesWritten(),
                      s->pair->client->pendingWriteBytes()};
    });
    destroyPair(*loop_, s->pair);
    QVERIFY2(s->failure.empty(), s->failure.c_str());
    QCOMPARE(s->received, std::uint64_t{kTotal});
    QCOMPARE(s->mismatchAt, std::int64_t{-1});
    QCOMPARE(s->progressSum, std::uint64_t{kTotal});
    QCOMPARE(s->entriesDone, static_cast<int>(kTotal / kChunk));
    QVERIFY(!s->progressAfterDone);
    QCOMPARE(c.clientWritten, std::uint64_t{kTotal});
    QCOMPARE(c.clientRead, std::uint64_t{kTotal});
    QCOMPARE(c.serverRead, std::uint64_t{kTotal});
    QCOMPARE(c.serverWritten, std::uint64_t{kTotal});
    QCOMPARE(c.clientPending, std::size_t{0});
    // Back-pressure held: the server paused at the high mark and never queued much more.
    QCOMPARE(s->pauses, s->resumes);
    QVERIFY(s->maxServerPending < kHighWater + 2 * util::Buffer::kExtraReadSize + kChunk * 4);
    qInfo("server paused %d times; max queued %zu bytes", s->pauses, s->maxServerPending);
  }
};

QTEST_GUILESS_MAIN(TstTcpEcho)
#include "tst_tcp_echo.moc"
