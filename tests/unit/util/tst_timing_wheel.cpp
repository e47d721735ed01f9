// util::TimingWheel: entries fire at or after their deadline (never before,
// at most one slot late), later turns wait, long gaps visit each slot once.
#include <QtTest>
#include <map>
#include <random>

#include "engine/util/TimingWheel.h"

using tributary::util::TimingWheel;

class TimingWheelTest : public QObject {
  Q_OBJECT

 private slots:
  void firesAtDeadlineNotBefore() {
    TimingWheel wheel(1000, 8, 0);
    wheel.schedule(1, 2500);
    QVERIFY(wheel.advance(1000).empty());
    QVERIFY(wheel.advance(2000).empty());
    QVERIFY(wheel.advance(2999).empty());
    const auto& due = wheel.advance(3000);
    QCOMPARE(due.size(), std::size_t{1});
    QCOMPARE(due[0].key, std::uint64_t{1});
    QCOMPARE(due[0].deadlineMs, std::uint64_t{2500});
    QCOMPARE(wheel.size(), std::size_t{0});
  }

  void laterTurnsWaitInTheirSlot() {
    TimingWheel wheel(1000, 4, 0);  // one turn = 4 s
    wheel.schedule(7, 10'000);      // two and a half turns away
    for (std::uint64_t now = 1000; now < 10'000; now += 1000) {
      QVERIFY2(wheel.advance(now).empty(), qPrintable(QString::number(now)));
    }
    QCOMPARE(wheel.advance(10'000).size(), std::size_t{1});
  }

  void pastDeadlineFiresOnTheNextAdvance() {
    TimingWheel wheel(1000, 8, 5000);
    wheel.schedule(3, 1000);  // already due when scheduled
    QVERIFY(wheel.advance(5500).empty());
    QCOMPARE(wheel.advance(6000).size(), std::size_t{1});
  }

  void longGapVisitsEverySlotOnce() {
    TimingWheel wheel(1000, 16, 0);
    for (std::uint64_t k = 0; k < 100; ++k) {
      wheel.schedule(k, 1000 + k * 500);  // spread over 50 s: several turns
    }
    const auto& due = wheel.advance(1'000'000);  // a suspend of 16 minutes
    QCOMPARE(due.size(), std::size_t{100});
    QCOMPARE(wheel.size(), std::size_t{0});
  }

  void schedulingWhileDrainingWaitsForTheNextAdvance() {
    TimingWheel wheel(1000, 8, 0);
    wheel.schedule(1, 1000);
    const auto& due = wheel.advance(1000);
    QCOMPARE(due.size(), std::size_t{1});
    wheel.schedule(1, 1000);  // re-armed for a deadline that is now
    QCOMPARE(wheel.size(), std::size_t{1});
    QCOMPARE(wheel.advance(2000).size(), std::size_t{1});
  }

  // Against a model: random deadlines and advances; every entry fires exactly
  // once, never early, and at most one slot after its deadline.
  void randomAgainstModel() {
    std::mt19937 rng(42);
    const std::uint64_t slot = 250;
    TimingWheel wheel(slot, 64, 0);
    std::map<std::uint64_t, std::uint64_t> pending;  // key -> deadline
    std::uint64_t now = 0;
    std::uint64_t nextKey = 0;
    std::size_t fired = 0;
    for (int step = 0; step < 20'000; ++step) {
      if (rng() % 3 != 0) {
        const std::uint64_t deadline = now + rng() % 60'000;
        pending[nextKey] = deadline;
        wheel.schedule(nextKey++, deadline);
      } else {
        now += rng() % 700;
        for (const TimingWheel::Entry& e : wheel.advance(now)) {
          auto it = pending.find(e.key);
          QVERIFY(it != pending.end());
          QCOMPARE(e.deadlineMs, it->second);
          QVERIFY(e.deadlineMs <= now);
          pending.erase(it);
          ++fired;
        }
        for (const auto& [key, deadline] : pending) {
          QVERIFY2(deadline + slot > now, "an entry is more than one slot late");
        }
      }
    }
    QCOMPARE(wheel.size(), pending.size());
    QVERIFY(fired > 1000);
  }
};

QTEST_GUILESS_MAIN(TimingWheelTest)
#include "tst_timing_wheel.moc"
