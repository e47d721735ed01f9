#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "engine/net/RateLimiter.h"
#include "engine/net/SharedTokenBucket.h"
#include "unit/ratelimit/RateSimulation.h"

using namespace tributary::net;
using namespace tributary::net::test;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kMB = 1'000'000;

bool within(double value, double expected, double fraction) {
  return value >= expected * (1 - fraction) && value <= expected * (1 + fraction);
}

QString describe(const std::vector<std::uint64_t>& values) {
  QStringList parts;
  for (std::uint64_t v : values) {
    parts << QString::number(v);
  }
  return parts.join(' ');
}

}  // namespace

class TstRateLimiter : public QObject {
  Q_OBJECT
 private slots:
  void noLimitsGrantEverything() {
    RateLimiter limiter;
    QCOMPARE(limiter.quota(origin(), 1 << 30), std::uint64_t{1 << 30});
    limiter.consume(1 << 30);
    QCOMPARE(limiter.delayUntilAvailable(origin(), 1 << 30), 0ns);

    auto global = std::make_shared<SharedTokenBucket>();
    RateLimiter withGlobal(global);
    QCOMPARE(withGlobal.quota(origin(), 1 << 30), std::uint64_t{1 << 30});
  }

  void taskLimitBelowGlobalWins() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    RateLimiter task(global, 300'000);
    SimReader reader = readerOf(task);
    runReaders({&reader}, origin(), origin() + 10s);
    QVERIFY2(within(double(reader.granted), 3'000'000.0, 0.05),
             qPrintable(QString::number(reader.granted)));
  }

  void globalLimitBelowTaskWins() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    RateLimiter task(global, 5 * kMB);
    SimReader reader = readerOf(task);
    runReaders({&reader}, origin(), origin() + 10s);
    QVERIFY2(within(double(reader.granted), 10.0 * kMB, 0.05),
             qPrintable(QString::number(reader.granted)));
  }

  void globalSharedByThreeTasksStaysWithinLimit() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    RateLimiter a(global), b(global), c(global);
    SimReader ra = readerOf(a), rb = readerOf(b), rc = readerOf(c);
    runReaders({&ra, &rb, &rc}, origin(), origin() + 10s);
    const std::vector<std::uint64_t> got{ra.granted, rb.granted, rc.granted};
    const double sum = double(ra.granted + rb.granted + rc.granted);
    QVERIFY2(within(sum, 10.0 * kMB, 0.05), qPrintable(describe(got)));
    QVERIFY2(sum <= 10.0 * kMB + double(global->burst()), qPrintable(describe(got)));
    // Fair shares: the queue serves the three tasks round-robin in slices, so the one
    // that polls most often does not starve the ones that pause for a chunk.
    for (std::uint64_t g : got) {
      QVERIFY2(within(double(g), sum / 3, 0.10), qPrintable(describe(got)));
    }
  }

  void tasksWithOwnLimitsUnderASharedGlobal() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    RateLimiter a(global, 200'000), b(global, 300'000), c(global);
    SimReader ra = readerOf(a), rb = readerOf(b), rc = readerOf(c);
    runReaders({&ra, &rb, &rc}, origin(), origin() + 10s);
    const std::vector<std::uint64_t> got{ra.granted, rb.granted, rc.granted};
    QVERIFY2(within(double(ra.granted), 2'000'000.0, 0.05), qPrintable(describe(got)));
    QVERIFY2(within(double(rb.granted), 3'000'000.0, 0.05), qPrintable(describe(got)));
    // The unlimited task takes what the global limit leaves.
    QVERIFY2(within(double(ra.granted + rb.granted + rc.granted), 10.0 * kMB, 0.05),
             qPrintable(describe(got)));
  }

  // A task that queued and then stopped reading (paused) holds at most one slice and
  // never the queue: the others carry on at the full rate.
  void abandonedWaiterDoesNotBlockOthers() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    auto idle = std::make_unique<RateLimiter>(global);
    RateLimiter busy(global);
    const TimePoint t = origin();
    for (int i = 0; i < 100 && idle->quota(t, kReadSize) > 0; ++i) {
      idle->consume(kReadSize);
    }
    QCOMPARE(idle->quota(t, kReadSize), std::uint64_t{0});  // queued now, never back
    SimReader reader = readerOf(busy);
    runReaders({&reader}, t, t + 10s);
    QVERIFY2(within(double(reader.granted), 10.0 * kMB, 0.05),
             qPrintable(QString::number(reader.granted)));
    idle.reset();
  }

  void removedClientGivesItsReservationBack() {
    SharedTokenBucket global(kMB);  // burst 100 KB, slice 25 KB
    const auto a = global.addClient();
    const auto b = global.addClient();
    const std::uint64_t slice = global.sliceSize();
    QCOMPARE(slice, std::uint64_t{25'000});
    TimePoint t = origin();
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(global.quota(b, t, slice), slice);
      global.consume(b, slice);
    }
    QCOMPARE(global.quota(a, t, slice), std::uint64_t{0});  // a queues first
    QCOMPARE(global.delayUntilAvailable(a, t, slice), std::chrono::nanoseconds(25ms));
    QCOMPARE(global.delayUntilAvailable(b, t, slice), std::chrono::nanoseconds(50ms));
    t += 25ms;
    QCOMPARE(global.quota(b, t, slice), std::uint64_t{0});  // a's turn, reserved for a
    QCOMPARE(global.delayUntilAvailable(a, t, slice), 0ns);
    global.removeClient(a);
    QCOMPARE(global.quota(b, t, slice), slice);  // a's reservation came back
  }

  void globalRateChangeTakesEffectAtOnce() {
    auto global = std::make_shared<SharedTokenBucket>(kMB);
    RateLimiter a(global), b(global);
    SimReader ra = readerOf(a), rb = readerOf(b);
    const TimePoint start = origin();
    std::uint64_t before = 0;
    bool changed = false;
    runReaders({&ra, &rb}, start, start + 10s, [&](TimePoint now) {
      if (!changed && now >= start + 5s) {
        before = ra.granted + rb.granted;
        global->setRate(now, 400'000);
        changed = true;
      }
    });
    QVERIFY(changed);
    QVERIFY2(within(double(before), 5.0 * kMB, 0.05), qPrintable(QString::number(before)));
    const std::uint64_t after = ra.granted + rb.granted - before;
    QVERIFY2(within(double(after), 2'000'000.0, 0.05), qPrintable(QString::number(after)));
  }

  void taskRateChangeTakesEffectAtOnce() {
    RateLimiter task(nullptr, 100'000);
    TimePoint t = origin();
    QCOMPARE(task.quota(t, 1 << 20), std::uint64_t{16 * 1024});
    task.consume(16 * 1024);
    QVERIFY(task.delayUntilAvailable(t, 1000) > 0ns);
    task.setRate(t, TokenBucket::kUnlimited);
    QCOMPARE(task.quota(t, 1 << 20), std::uint64_t{1 << 20});
    QCOMPARE(task.delayUntilAvailable(t, 1000), 0ns);
  }

  void delayWaitsForTheSlowerBucket() {
    auto global = std::make_shared<SharedTokenBucket>(10'000, 16384);
    RateLimiter task(global, kMB);
    TimePoint t = origin();
    task.consume(16384);  // empties the global bucket; the task's has 100 KB - 16 KiB
    QCOMPARE(task.quota(t, 1000), std::uint64_t{0});
    QCOMPARE(task.delayUntilAvailable(t, 1000), std::chrono::nanoseconds(100ms));
  }

  // 4 threads hammer one global bucket with a shared simulated clock: the bytes
  // granted stay within the limit, and the bucket survives out-of-order times.
  void globalBucketIsThreadSafe() {
    constexpr int kThreads = 4;
    constexpr int kIterations = 25'000;
    constexpr auto kStep = 100us;  // 100,000 steps: 10 simulated seconds
    SharedTokenBucket global(kMB);
    std::atomic<std::int64_t> clockNanos{0};
    std::atomic<std::uint64_t> granted{0};
    std::atomic<bool> go{false};
    const TimePoint start = origin();
    std::vector<SharedTokenBucket::ClientId> clients;
    for (int i = 0; i < kThreads; ++i) {
      clients.push_back(global.addClient());
    }
    global.quota(clients[0], start, 1);  // pins the bucket's time origin
    global.consume(clients[0], 1);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, client = clients[i]] {
        while (!go.load()) {
          std::this_thread::yield();
        }
        std::uint64_t mine = 0;
        for (int n = 0; n < kIterations; ++n) {
          const auto nanos = clockNanos.fetch_add(std::chrono::nanoseconds(kStep).count()) +
                             std::chrono::nanoseconds(kStep).count();
          const TimePoint now = start + std::chrono::nanoseconds(nanos);
          const std::uint64_t q = global.quota(client, now, kReadSize);
          if (q > 0) {
            global.consume(client, q);
            mine += q;
          }
          (void)global.delayUntilAvailable(client, now, kWakeChunk);
        }
        granted.fetch_add(mine);
      });
    }
    go.store(true);
    for (auto& t : threads) {
      t.join();
    }
    const double seconds = double(clockNanos.load()) / 1e9;
    QCOMPARE(seconds, 10.0);
    const double expected = seconds * double(kMB);
    const double got = double(granted.load());
    QVERIFY2(within(got, expected, 0.05), qPrintable(QString::number(got)));
    // The overshoot of advisory quotas is at most one slice per thread.
    QVERIFY2(got <= expected + double(global.burst() + kThreads * global.sliceSize()),
             qPrintable(QString::number(got)));
  }
};

QTEST_GUILESS_MAIN(TstRateLimiter)
#include "tst_rate_limiter.moc"
