#include <QtTest>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "engine/core/ByteRanges.h"
#include "engine/core/ByteRangesText.h"

using namespace tributary;
using namespace tributary::core;

Q_DECLARE_METATYPE(tributary::core::RangesError)

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::vector<ByteRange> v(std::initializer_list<ByteRange> list) {
  return list;
}

QString show(const ByteRanges& r) {
  return QString::fromStdString(formatByteRanges(r));
}

// The reference model for the randomized test: one bool per byte.
ByteRanges fromBits(const std::vector<bool>& bits) {
  ByteRanges out;
  std::uint64_t i = 0;
  while (i < bits.size()) {
    if (!bits[i]) {
      ++i;
      continue;
    }
    std::uint64_t j = i;
    while (j < bits.size() && bits[j]) {
      ++j;
    }
    out.add(i, j);
    i = j;
  }
  return out;
}

}  // namespace

class TstByteRanges : public QObject {
  Q_OBJECT
 private slots:
  void addMergesOverlappingAndTouching() {
    ByteRanges r;
    r.add(10, 20);
    r.add(30, 40);
    QCOMPARE(r.toVector(), v({{10, 20}, {30, 40}}));
    QCOMPARE(r.coveredBytes(), std::uint64_t{20});
    r.add(20, 25);  // touches the first
    QCOMPARE(r.toVector(), v({{10, 25}, {30, 40}}));
    r.add(5, 10);  // touches from below
    QCOMPARE(r.toVector(), v({{5, 25}, {30, 40}}));
    r.add(24, 31);  // bridges both
    QCOMPARE(r.toVector(), v({{5, 40}}));
    r.add(50, 60);
    r.add(70, 80);
    r.add(0, 100);  // swallows everything
    QCOMPARE(r.toVector(), v({{0, 100}}));
    QCOMPARE(r.coveredBytes(), std::uint64_t{100});
    r.add(40, 60);  // inside: no change
    QCOMPARE(r.toVector(), v({{0, 100}}));
    r.add(7, 7);  // empty
    r.add(9, 3);  // inverted
    QCOMPARE(r.rangeCount(), std::size_t{1});
    r.add(kMax - 1, kMax);
    QCOMPARE(r.coveredBytes(), std::uint64_t{101});
  }

  void subtractSplitsAndTrims() {
    ByteRanges r{{0, 100}};
    r.subtract(40, 60);
    QCOMPARE(r.toVector(), v({{0, 40}, {60, 100}}));
    r.subtract(0, 10);
    QCOMPARE(r.toVector(), v({{10, 40}, {60, 100}}));
    r.subtract(90, 200);
    QCOMPARE(r.toVector(), v({{10, 40}, {60, 90}}));
    r.subtract(35, 65);  // trims both
    QCOMPARE(r.toVector(), v({{10, 35}, {65, 90}}));
    r.subtract(40, 60);  // in the gap
    QCOMPARE(r.toVector(), v({{10, 35}, {65, 90}}));
    QCOMPARE(r.coveredBytes(), std::uint64_t{50});
    r.subtract(ByteRanges{{0, 12}, {80, 85}});
    QCOMPARE(r.toVector(), v({{12, 35}, {65, 80}, {85, 90}}));
    r.subtract(0, kMax);
    QVERIFY(r.empty());
    QCOMPARE(r.coveredBytes(), std::uint64_t{0});
  }

  void queries() {
    const ByteRanges r{{10, 20}, {30, 40}};
    QVERIFY(!r.contains(9));
    QVERIFY(r.contains(10));
    QVERIFY(r.contains(19));
    QVERIFY(!r.contains(20));
    QVERIFY(r.containsAll(12, 20));
    QVERIFY(!r.containsAll(12, 21));
    QVERIFY(!r.containsAll(15, 35));
    QVERIFY(r.containsAll(5, 5));
    QVERIFY(r.intersects(19, 30));
    QVERIFY(!r.intersects(20, 30));
    QVERIFY(r.intersects(0, 11));
    QVERIFY(!r.intersects(40, 100));
    QCOMPARE(r.rangeAt(35), (std::optional<ByteRange>{ByteRange{30, 40}}));
    QCOMPARE(r.rangeAt(25), std::optional<ByteRange>{});
    QCOMPARE(r.coveredBytesIn(15, 35), std::uint64_t{10});
    QCOMPARE(r.coveredBytesIn(0, 100), std::uint64_t{20});
    QCOMPARE(r.coveredBytesIn(20, 30), std::uint64_t{0});
    QCOMPARE(r.first(), (std::optional<ByteRange>{ByteRange{10, 20}}));
    QCOMPARE(r.last(), (std::optional<ByteRange>{ByteRange{30, 40}}));
    std::vector<ByteRange> seen;
    for (const ByteRange x : r) {
      seen.push_back(x);
    }
    QCOMPARE(seen, r.toVector());
  }

  void gapsWithinTotal() {
    const ByteRanges r{{10, 20}, {30, 40}};
    QCOMPARE(r.gaps(50).toVector(), v({{0, 10}, {20, 30}, {40, 50}}));
    QCOMPARE(r.gaps(35).toVector(), v({{0, 10}, {20, 30}}));
    QCOMPARE(r.gaps(15).toVector(), v({{0, 10}}));
    QCOMPARE(r.gaps(40).coveredBytes(), std::uint64_t{20});
    QCOMPARE(ByteRanges{}.gaps(7).toVector(), v({{0, 7}}));
    QVERIFY((ByteRanges{{0, 7}}.gaps(7).empty()));
    QVERIFY(ByteRanges{}.gaps(0).empty());
    QCOMPARE(r.firstGap(0, 50), (std::optional<ByteRange>{ByteRange{0, 10}}));
    QCOMPARE(r.firstGap(12, 50), (std::optional<ByteRange>{ByteRange{20, 30}}));
    QCOMPARE(r.firstGap(25, 50), (std::optional<ByteRange>{ByteRange{25, 30}}));
    QCOMPARE(r.firstGap(35, 50), (std::optional<ByteRange>{ByteRange{40, 50}}));
    QCOMPARE(r.firstGap(35, 40), std::optional<ByteRange>{});
  }

  // Every operation against a bit-per-byte model, with a fixed seed.
  void randomizedAgainstBitmap() {
    constexpr std::size_t kSpace = 600;
    std::mt19937_64 rng(20240611);
    std::vector<bool> bits(kSpace, false);
    ByteRanges r;
    for (int step = 0; step < 5000; ++step) {
      const std::uint64_t a = rng() % (kSpace + 1);
      const std::uint64_t b = a + rng() % 60;
      const std::uint64_t e = std::min<std::uint64_t>(b, kSpace);
      const bool adding = rng() % 3 != 0;
      if (adding) {
        r.add(a, e);
      } else {
        r.subtract(a, e);
      }
      for (std::uint64_t i = a; i < e; ++i) {
        bits[i] = adding;
      }
      const ByteRanges model = fromBits(bits);
      QVERIFY2(r == model,
               qPrintable(QString("step %1: %2 vs %3").arg(step).arg(show(r), show(model))));
      QCOMPARE(r.coveredBytes(), model.coveredBytes());
      const std::uint64_t p = rng() % kSpace;
      const std::uint64_t q = std::min<std::uint64_t>(kSpace, p + rng() % 80);
      std::uint64_t count = 0;
      for (std::uint64_t i = p; i < q; ++i) {
        count += bits[i] ? 1 : 0;
      }
      QCOMPARE(r.contains(p), bool(bits[p]));
      QCOMPARE(r.coveredBytesIn(p, q), count);
      QCOMPARE(r.containsAll(p, q), count == q - p);
      QCOMPARE(r.intersects(p, q), count > 0);
      ByteRanges both = r.gaps(kSpace);
      QCOMPARE(both.coveredBytes() + r.coveredBytes(), std::uint64_t{kSpace});
      both.add(r);
      QCOMPARE(both.toVector(), v({{0, kSpace}}));
    }
  }

  void textRoundTrip() {
    const std::vector<ByteRanges> samples{
        ByteRanges{},
        ByteRanges{{0, 1}},
        ByteRanges{{0, 1048576}, {2097152, 3145728}},
        ByteRanges{{5, 6}, {8, 100}, {101, 102}, {kMax - 1, kMax}},
    };
    for (const ByteRanges& r : samples) {
      const std::string text = formatByteRanges(r);
      RangesParseError error;
      const auto back = parseByteRanges(text, kMax, error);
      QVERIFY2(back.has_value(), text.c_str());
      QCOMPARE(error.code, RangesError::Ok);
      QVERIFY(*back == r);
    }
    QCOMPARE(formatByteRanges(ByteRanges{{0, 1048576}, {2097152, 3145728}}),
             std::string("0-1048576,2097152-3145728"));
    const Result<ByteRanges> ok = parseByteRanges("0-10", 10);
    QVERIFY(ok.ok());
    QCOMPARE(ok.value().coveredBytes(), std::uint64_t{10});
  }

  void hostileTextIsRejected_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("total");
    QTest::addColumn<tributary::core::RangesError>("code");
    QTest::addColumn<int>("position");
    const quint64 big = 1000;
    QTest::newRow("unsorted") << "50-60,10-20" << big << RangesError::Unsorted << 6;
    QTest::newRow("overlapping") << "10-20,15-30" << big << RangesError::Overlapping << 6;
    QTest::newRow("touching") << "10-20,20-30" << big << RangesError::Overlapping << 6;
    QTest::newRow("duplicate") << "10-20,10-20" << big << RangesError::Overlapping << 6;
    QTest::newRow("past total") << "0-10,990-1001" << big << RangesError::PastTotal << 9;
    QTest::newRow("begin past total") << "2000-3000" << big << RangesError::PastTotal << 5;
    QTest::newRow("empty range") << "10-10" << big << RangesError::EmptyRange << 0;
    QTest::newRow("inverted") << "20-10" << big << RangesError::EmptyRange << 0;
    QTest::newRow("overflow") << "0-18446744073709551616" << big << RangesError::BadNumber << 2;
    QTest::newRow("leading zero") << "0-010" << big << RangesError::BadNumber << 2;
    QTest::newRow("sign") << "+1-10" << big << RangesError::Syntax << 0;
    QTest::newRow("negative") << "-1-10" << big << RangesError::Syntax << 0;
    QTest::newRow("space") << "0-10, 20-30" << big << RangesError::Syntax << 5;
    QTest::newRow("trailing comma") << "0-10," << big << RangesError::Syntax << 5;
    QTest::newRow("leading comma") << ",0-10" << big << RangesError::Syntax << 0;
    QTest::newRow("missing end") << "0-" << big << RangesError::Syntax << 2;
    QTest::newRow("missing dash") << "0" << big << RangesError::Syntax << 1;
    QTest::newRow("two dashes") << "0-5-9" << big << RangesError::Syntax << 3;
    QTest::newRow("semicolon") << "0-5;7-9" << big << RangesError::Syntax << 3;
    QTest::newRow("hex") << "0x0-5" << big << RangesError::Syntax << 1;
    QTest::newRow("nul") << QString("0-5") + QChar(0) << big << RangesError::Syntax << 3;
  }

  void hostileTextIsRejected() {
    QFETCH(QString, text);
    QFETCH(quint64, total);
    QFETCH(tributary::core::RangesError, code);
    QFETCH(int, position);
    const std::string bytes = text.toStdString();
    RangesParseError error;
    const auto parsed = parseByteRanges(bytes, total, error);
    QVERIFY(!parsed.has_value());
    QCOMPARE(error.code, code);
    QCOMPARE(error.position, std::size_t(position));
    const Result<ByteRanges> result = parseByteRanges(bytes, total);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    QVERIFY(result.error().detail.find(std::string(rangesErrorName(code))) != std::string::npos);
  }

  void limitsAreEnforced() {
    RangesLimits limits;
    limits.maxRanges = 3;
    limits.maxLength = 40;
    RangesParseError error;
    QVERIFY(parseByteRanges("0-1,2-3,4-5", 100, error, limits).has_value());
    QVERIFY(!parseByteRanges("0-1,2-3,4-5,6-7", 100, error, limits).has_value());
    QCOMPARE(error.code, RangesError::TooManyRanges);
    QCOMPARE(error.position, std::size_t{11});
    QVERIFY(!parseByteRanges(std::string(41, '1'), kMax, error, limits).has_value());
    QCOMPARE(error.code, RangesError::TooLong);
  }

  // Random text from the parser's own alphabet: it must never crash, and whatever it
  // accepts must be canonical (formats back to the same text) and within total.
  void randomTextNeverCrashes() {
    std::mt19937_64 rng(7);
    const char alphabet[] = "0123456789-,,--09 x";
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string text;
      const std::size_t len = rng() % 24;
      for (std::size_t k = 0; k < len; ++k) {
        text += alphabet[rng() % (sizeof alphabet - 1)];
      }
      RangesParseError error;
      const auto parsed = parseByteRanges(text, 1'000'000, error);
      if (parsed) {
        ++accepted;
        QCOMPARE(formatByteRanges(*parsed), text);
        QVERIFY(!parsed->last() || parsed->last()->end <= 1'000'000);
      } else {
        QVERIFY(error.code != RangesError::Ok);
        QVERIFY(error.position <= text.size());
      }
    }
    QVERIFY(accepted > 0);  // the generator does reach valid input
  }
};

QTEST_GUILESS_MAIN(TstByteRanges)
#include "tst_byte_ranges.moc"
