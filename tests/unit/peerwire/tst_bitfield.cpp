// util::Bitfield: set/reset/test with the cached count, the BEP 3 wire order
// (piece 0 in the high bit of byte 0), refusal of wrong lengths and spare bits,
// and the search and counting helpers across word boundaries.
#include <QtTest>

#include <random>
#include <set>

#include "engine/util/Bitfield.h"

using tributary::util::Bitfield;

namespace {

std::vector<std::byte> bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  for (const unsigned v : values) {
    out.push_back(static_cast<std::byte>(v));
  }
  return out;
}

}  // namespace

class TestBitfield : public QObject {
  Q_OBJECT

 private slots:
  void setResetTestAndCount() {
    Bitfield bits(130);
    QCOMPARE(bits.size(), std::size_t{130});
    QVERIFY(bits.none());
    QVERIFY(!bits.all());
    QVERIFY(bits.set(0));
    QVERIFY(!bits.set(0));  // already set: no change reported, count unchanged
    QVERIFY(bits.set(63));
    QVERIFY(bits.set(64));
    QVERIFY(bits.set(129));
    QCOMPARE(bits.count(), std::size_t{4});
    QVERIFY(bits.test(0) && bits.test(63) && bits.test(64) && bits.test(129));
    QVERIFY(!bits.test(1) && !bits.test(128));
    QVERIFY(bits.reset(63));
    QVERIFY(!bits.reset(63));
    QCOMPARE(bits.count(), std::size_t{3});
    QVERIFY(bits.any());
  }

  void allAndNone() {
    Bitfield bits(70, true);
    QVERIFY(bits.all());
    QCOMPARE(bits.count(), std::size_t{70});
    bits.reset(69);
    QVERIFY(!bits.all());
    bits.setAll();
    QVERIFY(bits.all());
    bits.resetAll();
    QVERIFY(bits.none());
    QVERIFY(Bitfield().all() && Bitfield().none());  // the empty set is both
  }

  void wireOrderIsBigEndian() {
    Bitfield bits(12);
    bits.set(0);
    bits.set(7);
    bits.set(8);
    bits.set(11);
    QCOMPARE(bits.toWire(), bytes({0x81, 0x90}));
    QCOMPARE(bits.wireSize(), std::size_t{2});
  }

  void wireRoundTripAcrossWords() {
    std::mt19937 rng(7);
    for (const std::size_t size : {1U, 7U, 8U, 9U, 63U, 64U, 65U, 127U, 128U, 1000U}) {
      Bitfield bits(size);
      for (std::size_t i = 0; i < size; ++i) {
        if (rng() % 3 == 0) {
          bits.set(i);
        }
      }
      Bitfield back;
      QCOMPARE(back.assignFromWire(bits.toWire(), size), Bitfield::WireError::None);
      QVERIFY(back == bits);
      QCOMPARE(back.count(), bits.count());
    }
  }

  void wireRejectsWrongLength() {
    Bitfield bits(3, true);
    QCOMPARE(bits.assignFromWire(bytes({0x80, 0x00}), 9 + 8), Bitfield::WireError::WrongLength);
    QCOMPARE(bits.assignFromWire(bytes({}), 1), Bitfield::WireError::WrongLength);
    QCOMPARE(bits.assignFromWire(bytes({0x80, 0x00}), 8), Bitfield::WireError::WrongLength);
    QCOMPARE(bits.count(), std::size_t{3});  // unchanged after a refusal
  }

  void wireRejectsSpareBits() {
    Bitfield bits;
    // 10 pieces: the low 6 bits of byte 1 are spare.
    QCOMPARE(bits.assignFromWire(bytes({0xFF, 0xC0}), 10), Bitfield::WireError::None);
    QVERIFY(bits.all());
    QCOMPARE(bits.assignFromWire(bytes({0xFF, 0xC1}), 10), Bitfield::WireError::SpareBitsSet);
    QCOMPARE(bits.assignFromWire(bytes({0x00, 0x20}), 10), Bitfield::WireError::SpareBitsSet);
    QVERIFY(bits.all());  // unchanged
    QCOMPARE(Bitfield::wireErrorName(Bitfield::WireError::SpareBitsSet),
             std::string_view("spare_bits_set"));
  }

  void findFirstSetAndClear() {
    Bitfield bits(200);
    QCOMPARE(bits.findFirstSet(), Bitfield::npos);
    bits.set(5);
    bits.set(130);
    QCOMPARE(bits.findFirstSet(), std::size_t{5});
    QCOMPARE(bits.findFirstSet(6), std::size_t{130});
    QCOMPARE(bits.findFirstSet(131), Bitfield::npos);
    QCOMPARE(bits.findFirstSet(500), Bitfield::npos);
    bits.setAll();
    QCOMPARE(bits.findFirstClear(), Bitfield::npos);  // spare bits never count
    bits.reset(199);
    QCOMPARE(bits.findFirstClear(), std::size_t{199});
    bits.reset(64);
    QCOMPARE(bits.findFirstClear(3), std::size_t{64});
  }

  void forEachSetVisitsAscending() {
    Bitfield bits(300);
    const std::set<std::size_t> expected{0, 1, 63, 64, 65, 191, 192, 299};
    for (const std::size_t i : expected) {
      bits.set(i);
    }
    std::vector<std::size_t> seen;
    bits.forEachSet([&](std::size_t i) { seen.push_back(i); });
    QCOMPARE(seen, std::vector<std::size_t>(expected.begin(), expected.end()));
  }

  void andNotCounts() {
    Bitfield peer(100);
    Bitfield ours(100);
    for (std::size_t i = 0; i < 100; i += 2) {
      peer.set(i);  // 50 pieces
    }
    for (std::size_t i = 0; i < 100; i += 4) {
      ours.set(i);  // 25 pieces, all also the peer's
    }
    QCOMPARE(peer.countAndNot(ours), std::size_t{25});
    QCOMPARE(peer.countAnd(ours), std::size_t{25});
    QCOMPARE(ours.countAndNot(peer), std::size_t{0});
  }

  void resizeKeepsBitsAndClearsSpare() {
    Bitfield bits(10, true);
    bits.resize(70, false);
    QCOMPARE(bits.count(), std::size_t{10});
    QVERIFY(!bits.test(10) && !bits.test(69));
    bits.resize(75, true);
    QCOMPARE(bits.count(), std::size_t{15});
    bits.resize(5);
    QCOMPARE(bits.count(), std::size_t{5});
    QCOMPARE(bits.toWire(), bytes({0xF8}));
  }
};

QTEST_GUILESS_MAIN(TestBitfield)
#include "tst_bitfield.moc"
