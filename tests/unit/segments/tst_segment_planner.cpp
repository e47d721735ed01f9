#include <QtTest>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "engine/http/SegmentPlanner.h"
#include "unit/segments/PlannerChecks.h"

using namespace tributary;
using namespace tributary::http;
using tributary::core::ByteRange;
using tributary::core::ByteRanges;
using tributary::http::test::checkPartition;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

ConnectionId conn(std::uint64_t n) {
  return ConnectionId{n};
}
SourceId source(std::uint32_t n) {
  return SourceId{n};
}

#define CHECK_PARTITION(planner, total)                       \
  do {                                                        \
    const QString problem = checkPartition((planner), total); \
    QVERIFY2(problem.isEmpty(), qPrintable(problem));         \
  } while (false)

}  // namespace

class TstSegmentPlanner : public QObject {
  Q_OBJECT
 private slots:
  void eightConnectionsCoverEveryByteOnce() {
    const std::uint64_t total = 100 * kMiB;
    SegmentPlanner p(total, {});
    QCOMPARE(p.pieceSize(), 100 * kMiB / 8);
    std::vector<Assignment> got;
    ByteRanges covered;
    for (std::uint64_t c = 1; c <= 8; ++c) {
      const auto a = p.assign(conn(c), source(1));
      QVERIFY(a.has_value());
      QVERIFY(!a->stolenFrom);
      QCOMPARE(a->size(), total / 8);
      QVERIFY(!covered.intersects(a->begin, a->end));
      covered.add(a->begin, a->end);
      got.push_back(*a);
      CHECK_PARTITION(p, total);
    }
    QCOMPARE(covered.toVector(), (std::vector<ByteRange>{{0, total}}));
    QVERIFY(p.unassigned().empty());
    QCOMPARE(p.busyConnections(), std::size_t{8});
    // Everyone delivers everything, in uneven reads.
    for (std::uint64_t c = 1; c <= 8; ++c) {
      const Assignment& a = got[c - 1];
      std::uint64_t left = a.size();
      for (int reads = 0; left > 0 && reads < 100000; ++reads) {
        const std::uint64_t n = std::min<std::uint64_t>(left, 300'000 + c);
        const SegmentProgress sp = p.progress(conn(c), n);
        QCOMPARE(sp.accepted, n);
        QCOMPARE(sp.end, a.end);
        left -= n;
        QCOMPARE(sp.rangeDone, left == 0);
      }
      CHECK_PARTITION(p, total);
    }
    QVERIFY(p.finished());
    QCOMPARE(p.done().toVector(), (std::vector<ByteRange>{{0, total}}));
    QVERIFY(!p.assign(conn(1), source(1)).has_value());
  }

  void finishedConnectionStealsUpperHalfOfLargest() {
    const std::uint64_t total = 64 * kMiB;
    SegmentPlanner p(total, {}, {.connections = 4});
    for (std::uint64_t c = 1; c <= 4; ++c) {
      QVERIFY(p.assign(conn(c), source(1)));
    }
    // Connection 1 finishes its 16 MiB; the others are at 2, 6 and 10 MiB.
    QVERIFY(p.progress(conn(1), 16 * kMiB).rangeDone);
    (void)p.progress(conn(2), 2 * kMiB);
    (void)p.progress(conn(3), 6 * kMiB);
    (void)p.progress(conn(4), 10 * kMiB);
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->stolenFrom, std::optional<ConnectionId>(conn(2)));  // 14 MiB left: largest
    QCOMPARE(a->begin, 16 * kMiB + 2 * kMiB + 7 * kMiB);
    QCOMPARE(a->end, 32 * kMiB);
    QCOMPARE(p.currentEnd(conn(2)), std::optional<std::uint64_t>(25 * kMiB));
    CHECK_PARTITION(p, total);
    // The victim's connection still reads past its new end before it learns: the
    // excess is refused, so the thief's bytes are never written twice.
    const SegmentProgress sp = p.progress(conn(2), 8 * kMiB);
    QCOMPARE(sp.accepted, 7 * kMiB);
    QCOMPARE(sp.end, 25 * kMiB);
    QVERIFY(sp.rangeDone);
    CHECK_PARTITION(p, total);
  }

  void stealsFromTheSlowestWhenSizesAreClose() {
    const std::uint64_t total = 40 * kMiB;
    SegmentPlanner p(total, {}, {.connections = 4, .stealClosenessPercent = 25});
    for (std::uint64_t c = 1; c <= 4; ++c) {
      QVERIFY(p.assign(conn(c), source(c)));
    }
    QVERIFY(p.progress(conn(1), 10 * kMiB).rangeDone);
    (void)p.progress(conn(2), 1 * kMiB);  // 9 MiB left, fast
    (void)p.progress(conn(3), 2 * kMiB);  // 8 MiB left, slow: within 25 % of 9
    (void)p.progress(conn(4), 5 * kMiB);  // 5 MiB left
    p.setRate(conn(2), 5'000'000);
    p.setRate(conn(3), 100'000);
    p.setRate(conn(4), 1'000);
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->stolenFrom, std::optional<ConnectionId>(conn(3)));
    QCOMPARE(a->size(), 4 * kMiB);
    CHECK_PARTITION(p, total);

    // With closeness 0 the largest remainder is split, whatever the rates.
    SegmentPlanner q(total, {}, {.connections = 4, .stealClosenessPercent = 0});
    for (std::uint64_t c = 1; c <= 4; ++c) {
      QVERIFY(q.assign(conn(c), source(c)));
    }
    (void)q.progress(conn(1), 10 * kMiB);
    (void)q.progress(conn(2), 1 * kMiB);
    (void)q.progress(conn(3), 2 * kMiB);
    (void)q.progress(conn(4), 5 * kMiB);
    q.setRate(conn(2), 5'000'000);
    q.setRate(conn(3), 100'000);
    const auto b = q.assign(conn(1), source(1));
    QVERIFY(b.has_value());
    QCOMPARE(b->stolenFrom, std::optional<ConnectionId>(conn(2)));
  }

  void minimumSegmentIsRespected() {
    const std::uint64_t total = 16 * kMiB;
    SegmentPlanner p(total, {}, {.connections = 2});
    QVERIFY(p.assign(conn(1), source(1)));
    QVERIFY(p.assign(conn(2), source(1)));
    (void)p.progress(conn(1), 8 * kMiB);
    // Connection 2 has 2 MiB - 1 left: its half would be under 1 MiB.
    (void)p.progress(conn(2), 6 * kMiB + 1);
    QVERIFY(!p.assign(conn(1), source(1)).has_value());
    QCOMPARE(p.currentEnd(conn(2)), std::optional<std::uint64_t>(16 * kMiB));
    // Exactly 2 MiB left: two halves of 1 MiB are fine.
    SegmentPlanner q(total, {}, {.connections = 2});
    QVERIFY(q.assign(conn(1), source(1)));
    QVERIFY(q.assign(conn(2), source(1)));
    (void)q.progress(conn(1), 8 * kMiB);
    (void)q.progress(conn(2), 6 * kMiB);
    const auto a = q.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->size(), kMiB);
    QCOMPARE(q.currentEnd(conn(2)), std::optional<std::uint64_t>(15 * kMiB));
    // 3 MiB over 8 connections: three pieces of 1 MiB, not eight small ones.
    SegmentPlanner r(3 * kMiB, {});
    int pieces = 0;
    for (std::uint64_t c = 1; c <= 8; ++c) {
      if (const auto x = r.assign(conn(c), source(1))) {
        QCOMPARE(x->size(), kMiB);
        ++pieces;
      }
    }
    QCOMPARE(pieces, 3);
    // A piece never leaves a runt behind it: 2.5 MiB - 1 over 4 connections is a piece
    // of 1 MiB and the rest (1.5 MiB - 1) whole, not a third piece under 1 MiB.
    SegmentPlanner s(5 * kMiB / 2 - 1, {}, {.connections = 4});
    const auto s1 = s.assign(conn(1), source(1));
    const auto s2 = s.assign(conn(2), source(1));
    QVERIFY(s1 && s2);
    QCOMPARE(s1->size(), kMiB);
    QCOMPARE(s2->size(), 3 * kMiB / 2 - 1);
    QVERIFY(!s.assign(conn(3), source(1)));
  }

  void tinyFileUsesOneConnection() {
    const std::uint64_t total = 700 * 1024;
    SegmentPlanner p(total, {});
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->begin, std::uint64_t{0});
    QCOMPARE(a->end, total);
    for (std::uint64_t c = 2; c <= 8; ++c) {
      QVERIFY(!p.assign(conn(c), source(1)).has_value());
    }
    QCOMPARE(p.busyConnections(), std::size_t{1});
    (void)p.progress(conn(1), total);
    QVERIFY(p.finished());

    SegmentPlanner empty(0, {});
    QVERIFY(empty.finished());
    QVERIFY(!empty.assign(conn(1), source(1)));
  }

  void resumesFromPartialRanges() {
    const std::uint64_t total = 100 * kMiB;
    // What the resume file said: two big done ranges and a 100 KiB hole between two.
    const ByteRanges done{
        {0, 10 * kMiB}, {10 * kMiB + 100 * 1024, 50 * kMiB}, {60 * kMiB, 90 * kMiB}};
    SegmentPlanner p(total, done, {.connections = 4});
    QCOMPARE(p.unassigned().coveredBytes(), total - done.coveredBytes());
    CHECK_PARTITION(p, total);
    ByteRanges assigned;
    for (std::uint64_t c = 1; c <= 4; ++c) {
      const auto a = p.assign(conn(c), source(1));
      QVERIFY(a.has_value());
      QVERIFY(!done.intersects(a->begin, a->end));
      assigned.add(a->begin, a->end);
    }
    // The hole is taken whole by the first connection although it is under 1 MiB.
    QVERIFY(assigned.containsAll(10 * kMiB, 10 * kMiB + 100 * 1024));
    CHECK_PARTITION(p, total);
    // Drive to the end: every connection reads and asks again until nothing is left.
    for (int round = 0; round < 1000 && !p.finished(); ++round) {
      for (std::uint64_t c = 1; c <= 4; ++c) {
        if (const auto end = p.currentEnd(conn(c)); end && p.progress(conn(c), kMiB).rangeDone) {
          (void)p.assign(conn(c), source(1));
        }
      }
      CHECK_PARTITION(p, total);
    }
    QVERIFY(p.finished());
    // Bytes already done were never handed out again.
    QCOMPARE(p.done().toVector(), (std::vector<ByteRange>{{0, total}}));

    // Ranges past the end of a (shrunk) file are ignored.
    SegmentPlanner shrunk(5 * kMiB, ByteRanges{{0, kMiB}, {4 * kMiB, 9 * kMiB}});
    QCOMPARE(shrunk.done().coveredBytes(), 2 * kMiB);
    CHECK_PARTITION(shrunk, 5 * kMiB);
  }

  void releaseGivesTheRestBack() {
    const std::uint64_t total = 32 * kMiB;
    SegmentPlanner p(total, {}, {.connections = 2});
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(p.assign(conn(2), source(1)));
    (void)p.progress(conn(1), 3 * kMiB);
    QCOMPARE(p.release(conn(1)), 13 * kMiB);
    QCOMPARE(p.currentEnd(conn(1)), std::optional<std::uint64_t>{});
    QCOMPARE(p.progress(conn(1), 10).accepted, std::uint64_t{0});  // forgotten
    CHECK_PARTITION(p, total);
    QCOMPARE(p.unassigned().toVector(), (std::vector<ByteRange>{{a->begin + 3 * kMiB, a->end}}));
    // A new connection picks the given-back part up before anything is stolen.
    const auto b = p.assign(conn(3), source(2));
    QVERIFY(b.has_value());
    QVERIFY(!b->stolenFrom);
    QCOMPARE(b->begin, 3 * kMiB);
    // Re-assigning a busy connection gives its part back first.
    (void)p.progress(conn(3), kMiB);
    const auto c = p.assign(conn(3), source(2));
    QVERIFY(c.has_value());
    QCOMPARE(c->begin, 4 * kMiB);
    CHECK_PARTITION(p, total);
  }

  void failedSourceIsDroppedAndOthersCarryOn() {
    const std::uint64_t total = 48 * kMiB;
    SegmentPlanner p(total, {}, {.connections = 6});
    for (std::uint64_t c = 1; c <= 6; ++c) {
      QVERIFY(p.assign(conn(c), source(c % 2 == 0 ? 2 : 1)));  // origin and a mirror
      (void)p.progress(conn(c), kMiB);
    }
    std::vector<ConnectionId> dropped = p.releaseSource(source(2));
    QCOMPARE(dropped, (std::vector<ConnectionId>{conn(2), conn(4), conn(6)}));
    QCOMPARE(p.busyConnections(), std::size_t{3});
    CHECK_PARTITION(p, total);
    for (int round = 0; round < 1000 && !p.finished(); ++round) {
      for (std::uint64_t c : {1, 3, 5}) {
        if (p.progress(conn(c), 512 * 1024).rangeDone) {
          (void)p.assign(conn(c), source(1));
        }
      }
      CHECK_PARTITION(p, total);
    }
    QVERIFY(p.finished());
  }

  void singleConnectionWithKnownSize() {
    SegmentPlanner p = SegmentPlanner::singleConnection(10 * kMiB);
    QVERIFY(p.singleConnectionMode());
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->begin, std::uint64_t{0});
    QCOMPARE(a->end, 10 * kMiB);
    QVERIFY(!p.assign(conn(2), source(1)));  // no second connection, no stealing
    (void)p.progress(conn(1), 4 * kMiB);
    CHECK_PARTITION(p, 10 * kMiB);
    QVERIFY(!p.endOfStream(conn(1)));  // a short body
    // A failure cannot resume mid-file without Range: it starts over.
    QCOMPARE(p.release(conn(1)), 6 * kMiB);
    QVERIFY(p.done().empty());
    CHECK_PARTITION(p, 10 * kMiB);
    const auto b = p.assign(conn(2), source(1));
    QVERIFY(b.has_value());
    QCOMPARE(b->begin, std::uint64_t{0});
    const SegmentProgress sp = p.progress(conn(2), 11 * kMiB);  // a server sending too much
    QCOMPARE(sp.accepted, 10 * kMiB);
    QVERIFY(sp.rangeDone);
    QVERIFY(p.finished());
    QVERIFY(p.endOfStream(conn(2)));
  }

  void singleConnectionWithUnknownSize() {
    SegmentPlanner p = SegmentPlanner::singleConnection(std::nullopt);
    QVERIFY(!p.total());
    const auto a = p.assign(conn(1), source(1));
    QVERIFY(a.has_value());
    QCOMPARE(a->begin, std::uint64_t{0});
    QCOMPARE(a->end, SegmentPlanner::kUnknownEnd);
    QVERIFY(!p.assign(conn(2), source(1)));
    for (int i = 0; i < 10; ++i) {
      QCOMPARE(p.progress(conn(1), 123'457).accepted, std::uint64_t{123'457});
    }
    QVERIFY(!p.finished());
    QVERIFY(p.endOfStream(conn(1)));
    QVERIFY(p.finished());
    QCOMPARE(p.total(), std::optional<std::uint64_t>(1'234'570));
    QCOMPARE(p.done().toVector(), (std::vector<ByteRange>{{0, 1'234'570}}));
    QVERIFY(!p.assign(conn(1), source(1)));
  }
};

QTEST_GUILESS_MAIN(TstSegmentPlanner)
#include "tst_segment_planner.moc"
