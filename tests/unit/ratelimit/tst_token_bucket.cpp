#include <QtTest>

#include <chrono>
#include <cstdint>
#include <limits>

#include "engine/net/TokenBucket.h"
#include "unit/ratelimit/RateSimulation.h"

using namespace tributary::net;
using namespace tributary::net::test;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kMB = 1'000'000;

bool within(double value, double expected, double fraction) {
  return value >= expected * (1 - fraction) && value <= expected * (1 + fraction);
}

}  // namespace

class TstTokenBucket : public QObject {
  Q_OBJECT
 private slots:
  void defaultBurstIsHundredMillisecondsAtLeast16KiB() {
    QCOMPARE(TokenBucket::defaultBurst(kMB), std::uint64_t{100'000});
    QCOMPARE(TokenBucket::defaultBurst(10'000), std::uint64_t{16 * 1024});
    QCOMPARE(TokenBucket::defaultBurst(0), std::uint64_t{0});
    QCOMPARE(TokenBucket(kMB).burst(), std::uint64_t{100'000});
    QCOMPARE(TokenBucket(kMB, 5000).burst(), std::uint64_t{5000});
  }

  void unlimitedGrantsEverything() {
    TokenBucket bucket;
    QVERIFY(bucket.unlimited());
    const TimePoint t = origin();
    QCOMPARE(bucket.quota(t, 123'456'789), std::uint64_t{123'456'789});
    bucket.consume(std::numeric_limits<std::uint64_t>::max());
    QCOMPARE(bucket.quota(t, 42), std::uint64_t{42});
    QCOMPARE(bucket.delayUntilAvailable(t, 1 << 30), 0ns);
  }

  void startsFullThenRefillsExactly() {
    TokenBucket bucket(1000, 16384);  // 1 byte per millisecond
    TimePoint t = origin();
    QCOMPARE(bucket.quota(t, 1 << 20), std::uint64_t{16384});
    bucket.consume(16384);
    QCOMPARE(bucket.quota(t, 100), std::uint64_t{0});
    t += 1ms;
    QCOMPARE(bucket.quota(t, 100), std::uint64_t{1});
    // Half a byte twice is one byte: the remainder is carried, not dropped.
    t += 500us;
    QCOMPARE(bucket.quota(t, 100), std::uint64_t{1});
    t += 500us;
    QCOMPARE(bucket.quota(t, 100), std::uint64_t{2});
    // Never above the burst, however long it idles.
    t += 1h;
    QCOMPARE(bucket.quota(t, 1 << 20), std::uint64_t{16384});
  }

  void delayIsExactAndClampedToBurst() {
    TokenBucket bucket(1000, 16384);
    TimePoint t = origin();
    bucket.quota(t, 1);
    bucket.consume(16384);
    QCOMPARE(bucket.delayUntilAvailable(t, 100), std::chrono::nanoseconds(100ms));
    QCOMPARE(bucket.delayUntilAvailable(t), std::chrono::nanoseconds(1ms));
    // Asking for more than a burst waits for a full burst, not forever.
    QCOMPARE(bucket.delayUntilAvailable(t, 1 << 30), std::chrono::nanoseconds(16384ms));
    t += 100ms;
    QCOMPARE(bucket.delayUntilAvailable(t, 100), 0ns);
    QCOMPARE(bucket.quota(t, 1000), std::uint64_t{100});
  }

  void debtIsPaidBeforeNewGrants() {
    TokenBucket bucket(1000, 16384);
    TimePoint t = origin();
    bucket.quota(t, 1);
    bucket.consume(16384 + 500);  // a read that was in flight overshot by 500 bytes
    QCOMPARE(bucket.tokens(t), std::int64_t{-500});
    t += 400ms;
    QCOMPARE(bucket.quota(t, 1000), std::uint64_t{0});
    QCOMPARE(bucket.delayUntilAvailable(t, 10), std::chrono::nanoseconds(110ms));
    t += 110ms;
    QCOMPARE(bucket.quota(t, 1000), std::uint64_t{10});
  }

  void timeGoingBackwardsAddsNothing() {
    TokenBucket bucket(1000, 16384);
    TimePoint t = origin();
    bucket.quota(t, 1);
    bucket.consume(16384);
    t += 10ms;
    QCOMPARE(bucket.quota(t, 100), std::uint64_t{10});
    QCOMPARE(bucket.quota(t - 5ms, 100), std::uint64_t{10});
    QCOMPARE(bucket.quota(t + 1ms, 100), std::uint64_t{11});
  }

  void hugeRatesAndLongGapsDoNotOverflow() {
    const std::uint64_t rate = std::numeric_limits<std::uint64_t>::max() / 2;
    TokenBucket bucket(rate);
    TimePoint t = origin();
    bucket.quota(t, 1);
    bucket.consume(std::numeric_limits<std::uint64_t>::max());  // clamped debt
    QVERIFY(bucket.tokens(t) < 0);
    t += 24h * 365;
    QCOMPARE(bucket.quota(t, 1000), std::uint64_t{1000});
    TokenBucket slow(1);
    slow.quota(t, 1);
    slow.consume(std::numeric_limits<std::uint64_t>::max());
    QCOMPARE(slow.delayUntilAvailable(t, 1), std::chrono::nanoseconds(24h));
  }

  void tenSecondsAtOneMegabyteWithinFivePercent() {
    TokenBucket bucket(kMB);
    SimReader reader = readerOf(bucket);
    runReaders({&reader}, origin(), origin() + 10s);
    const double expected = 10.0 * kMB;
    QVERIFY2(within(double(reader.granted), expected, 0.05),
             qPrintable(QString::number(reader.granted)));
    // Tighter still: rate × time plus at most the initial burst.
    QVERIFY(reader.granted <= 10 * kMB + bucket.burst());
    QVERIFY(reader.granted >= 10 * kMB - kReadSize);
  }

  void slowRateIsAccurateToo() {
    TokenBucket bucket(200'000);  // burst: 20 KB
    SimReader reader = readerOf(bucket);
    runReaders({&reader}, origin(), origin() + 10s);
    QVERIFY2(within(double(reader.granted), 2'000'000.0, 0.05),
             qPrintable(QString::number(reader.granted)));
  }

  void rateChangeTakesEffectAtOnce() {
    TokenBucket bucket(kMB);
    SimReader reader = readerOf(bucket);
    const TimePoint start = origin();
    const TimePoint change = start + 5s;
    std::uint64_t grantedBeforeChange = 0;
    bool changed = false;
    runReaders({&reader}, start, start + 10s, [&](TimePoint now) {
      if (!changed && now >= change) {
        grantedBeforeChange = reader.granted;
        bucket.setRate(now, 250'000);
        changed = true;
      }
    });
    QVERIFY(changed);
    QVERIFY2(within(double(grantedBeforeChange), 5.0 * kMB, 0.05),
             qPrintable(QString::number(grantedBeforeChange)));
    const std::uint64_t after = reader.granted - grantedBeforeChange;
    QVERIFY2(within(double(after), 1'250'000.0, 0.05), qPrintable(QString::number(after)));

    // Lower the rate in debt: the new rate, not the old, pays it off.
    TokenBucket b2(kMB);
    TimePoint t = origin();
    b2.quota(t, 1);
    b2.consume(100'000 + 1000);
    b2.setRate(t, 1000);
    QCOMPARE(b2.burst(), std::uint64_t{16 * 1024});
    QCOMPARE(b2.delayUntilAvailable(t, 1), std::chrono::nanoseconds(1001ms));
  }

  void switchingBetweenUnlimitedAndLimited() {
    TokenBucket bucket;
    TimePoint t = origin();
    QCOMPARE(bucket.quota(t, 1 << 30), std::uint64_t{1 << 30});
    t += 1h;
    bucket.setRate(t, kMB);
    // Starts with one burst, not an hour of credit.
    QCOMPARE(bucket.quota(t, 1 << 30), std::uint64_t{100'000});
    bucket.consume(100'000);
    QCOMPARE(bucket.quota(t, 1 << 30), std::uint64_t{0});
    bucket.setRate(t, TokenBucket::kUnlimited);
    QCOMPARE(bucket.quota(t, 1 << 30), std::uint64_t{1 << 30});
    QCOMPARE(bucket.delayUntilAvailable(t, 1 << 30), 0ns);
  }
};

QTEST_GUILESS_MAIN(TstTokenBucket)
#include "tst_token_bucket.moc"
