// utp::Congestion: the RTO (max(rtt + 4 rttvar, 500 ms), doubling on
// consecutive timeouts), slow start, LEDBAT's response to queueing delay
// around the 100 ms target, halving on loss, and the delay base that follows
// the lowest one-way delay across 32-bit wrap.
#include <QtTest>

#include "engine/utp/UtpCongestion.h"

using namespace tributary::utp;

namespace {

constexpr std::size_t kPacket = 1400;

// Feeds `rounds` full windows of ACKs with a one-way delay of base + queueing,
// from a sender that keeps its window full.
void feed(Congestion& c, std::uint32_t base, std::uint32_t queueing, int rounds,
          std::uint64_t& now) {
  for (int r = 0; r < rounds; ++r) {
    const std::size_t window = c.window();
    for (std::size_t acked = 0; acked < window; acked += kPacket) {
      now += 1000;
      c.onAck(kPacket, base + queueing, now, c.window() - kPacket);
    }
  }
}

}  // namespace

class TstUtpCongestion : public QObject {
  Q_OBJECT
 private slots:
  void rtoHasAFloorAndDoubles() {
    Congestion c;
    QCOMPARE(c.rtoUs(), 1'000'000u);  // before any sample
    c.onRttSample(20'000);
    QCOMPARE(c.rttUs(), 20'000u);
    QCOMPARE(c.rtoUs(), 500'000u);  // 20 + 4 * 10 ms is under the floor
    for (int i = 0; i < 20; ++i) {
      c.onRttSample(400'000);
    }
    const std::uint32_t base = c.rtoUs();
    QVERIFY(base > 500'000 && base < 1'000'000);
    c.onTimeout();
    QCOMPARE(c.rtoUs(), 2 * base);
    c.onTimeout();
    QCOMPARE(c.rtoUs(), 4 * base);
    QCOMPARE(c.consecutiveTimeouts(), 2u);
    QCOMPARE(c.window(), kPacket);  // a timeout leaves one packet
    c.onProgress();
    QCOMPARE(c.rtoUs(), base);
    for (int i = 0; i < 30; ++i) {
      c.onTimeout();
    }
    QCOMPARE(c.rtoUs(), CongestionConfig{}.maxRtoUs);
  }

  void slowStartThenLedbatHoldsTheTarget() {
    Congestion c;
    std::uint64_t now = 0;
    const std::size_t start = c.window();
    feed(c, 5'000'000, 0, 3, now);  // no queueing: slow start doubles per window
    QVERIFY(c.inSlowStart());
    QCOMPARE(c.window(), start * 8);
    feed(c, 5'000'000, 60'000, 1, now);  // delay past half the target: slow start ends
    QVERIFY(!c.inSlowStart());
    const std::size_t atTarget = c.window();
    feed(c, 5'000'000, 20'000, 5, now);  // under target: grows
    QVERIFY(c.window() > atTarget);
    const std::size_t grown = c.window();
    feed(c, 5'000'000, 300'000, 5, now);  // far above target: shrinks
    QVERIFY(c.window() < grown);
    QCOMPARE(c.lastQueueingDelayUs(), 300'000u);
    feed(c, 5'000'000, 300'000, 200, now);
    QCOMPARE(c.window(), kPacket);  // never below one packet
  }

  void lossHalves() {
    Congestion c;
    std::uint64_t now = 0;
    feed(c, 1000, 0, 4, now);
    const std::size_t before = c.window();
    c.onLoss();
    QCOMPARE(c.window(), before / 2);
    QVERIFY(!c.inSlowStart());
  }

  void appLimitedSenderDoesNotGrow() {
    Congestion c;
    std::uint64_t now = 0;
    feed(c, 1000, 0, 2, now);
    const std::size_t before = c.window();
    for (int i = 0; i < 100; ++i) {
      c.onAck(kPacket, 1000, now += 1000, 0);  // one packet out at a time
    }
    QCOMPARE(c.window(), before);
  }

  void delayBaseIsTheMinimumAcrossWrap() {
    DelayBase base;
    QCOMPARE(base.queueingDelay(123), 0u);
    base.add(0xFFFFFF00u, 0);
    base.add(0x00000010u, 1);  // 0x110 later: not a new minimum
    QCOMPARE(base.queueingDelay(0x00000010u), 0x110u);
    base.add(0xFFFFFE00u, 2);  // lower: the new base
    QCOMPARE(base.queueingDelay(0xFFFFFF00u), 0x100u);
    // Minutes later the old minimum has aged out and a higher floor rules.
    for (std::uint64_t minute = 1; minute <= 5; ++minute) {
      base.add(0x00001000u, minute * 61'000'000);
    }
    QCOMPARE(base.queueingDelay(0x00001000u), 0u);
  }
};

QTEST_APPLESS_MAIN(TstUtpCongestion)
#include "tst_utp_congestion.moc"
