// RateMeter: a steady flow reads as its rate, a young meter is not diluted by
// the empty window, and a stopped flow decays to zero within the window.
#include <QtTest>

#include "engine/core/RateMeter.h"

using tributary::core::RateMeter;

class TestRateMeter : public QObject {
  Q_OBJECT

 private slots:
  void steadyFlow() {
    RateMeter meter;
    std::uint64_t now = 100000;
    for (int i = 0; i < 200; ++i) {  // 10 s of 50 KB every 50 ms = 1 MB/s
      meter.add(50000, now);
      now += 50;
    }
    const auto rate = meter.rate(now);
    QVERIFY2(rate > 950000 && rate < 1050000, std::to_string(rate).c_str());
    QCOMPARE(meter.total(), std::uint64_t{10000000});
  }

  void youngMeterIsNotDiluted() {
    RateMeter meter;
    meter.add(100000, 5000);
    meter.add(100000, 5400);
    const auto rate = meter.rate(5500);  // 200 KB in 0.5 s
    QVERIFY2(rate > 300000 && rate < 500000, std::to_string(rate).c_str());
  }

  void stoppedFlowDecays() {
    RateMeter meter;
    for (std::uint64_t t = 0; t < 5000; t += 100) {
      meter.add(10000, t);
    }
    QVERIFY(meter.rate(5000) > 0);
    QCOMPARE(meter.rate(5000 + RateMeter::kWindowMs + RateMeter::kSlotMs), std::uint64_t{0});
    QCOMPARE(meter.rate(1000000), std::uint64_t{0});  // a long gap clears every slot
  }

  void emptyMeter() {
    RateMeter meter;
    QCOMPARE(meter.rate(12345), std::uint64_t{0});
  }
};

QTEST_GUILESS_MAIN(TestRateMeter)
#include "tst_rate_meter.moc"
