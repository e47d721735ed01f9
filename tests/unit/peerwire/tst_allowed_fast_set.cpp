// bt::allowedFastSet against BEP 6's own example, and its edge cases.
#include <QtTest>
#include <array>
#include <vector>

#include "engine/bt/AllowedFastSet.h"

using tributary::bt::allowedFastSet;
using tributary::util::Sha1;

class AllowedFastSetTest : public QObject {
  Q_OBJECT

 private slots:
  // BEP 6: 80.4.4.200, an info-hash of twenty 0xAA bytes, 1313 pieces.
  void bep6Example() {
    const std::array<std::uint8_t, 4> ip{80, 4, 4, 200};
    Sha1::Digest hash;
    hash.fill(std::byte{0xAA});
    QCOMPARE(allowedFastSet(ip, hash, 1313, 7),
             (std::vector<std::uint32_t>{1059, 431, 808, 1217, 287, 376, 1188}));
    QCOMPARE(allowedFastSet(ip, hash, 1313, 9),
             (std::vector<std::uint32_t>{1059, 431, 808, 1217, 287, 376, 1188, 353, 508}));
  }

  // Only the /24 counts: the neighbours of one address get its set.
  void lastOctetIgnored() {
    Sha1::Digest hash;
    hash.fill(std::byte{0x11});
    const std::array<std::uint8_t, 4> a{10, 1, 2, 3};
    const std::array<std::uint8_t, 4> b{10, 1, 2, 250};
    const std::array<std::uint8_t, 4> c{10, 1, 3, 3};
    QCOMPARE(allowedFastSet(a, hash, 5000, 10), allowedFastSet(b, hash, 5000, 10));
    QVERIFY(allowedFastSet(a, hash, 5000, 10) != allowedFastSet(c, hash, 5000, 10));
  }

  // Fewer pieces than asked for: every piece, each once, and no endless loop.
  void smallTorrents() {
    Sha1::Digest hash{};
    const std::array<std::uint8_t, 4> ip{192, 168, 0, 1};
    QVERIFY(allowedFastSet(ip, hash, 0, 10).empty());
    QCOMPARE(allowedFastSet(ip, hash, 1, 10), (std::vector<std::uint32_t>{0}));
    std::vector<std::uint32_t> three = allowedFastSet(ip, hash, 3, 10);
    std::sort(three.begin(), three.end());
    QCOMPARE(three, (std::vector<std::uint32_t>{0, 1, 2}));
  }
};

QTEST_GUILESS_MAIN(AllowedFastSetTest)
#include "tst_allowed_fast_set.moc"
