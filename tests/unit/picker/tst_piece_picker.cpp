// core::PiecePicker policy: rarest first with random ties, random first pieces,
// strict priorities (skip included), started pieces finished first, blocks
// returned when requests die, endgame duplicates with their cancel list, the
// hash verdicts, and the internal indices staying consistent under random use.
#include <QtTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "engine/core/PiecePicker.h"

using tributary::core::BlockRequest;
using tributary::core::PeerKey;
using tributary::core::PiecePicker;
using tributary::util::Bitfield;

namespace {

constexpr std::uint32_t kBlock = PiecePicker::kBlockSize;

Bitfield all(std::uint32_t n) {
  return Bitfield(n, true);
}

Bitfield only(std::uint32_t n, std::initializer_list<std::uint32_t> pieces) {
  Bitfield bits(n);
  for (const std::uint32_t p : pieces) {
    bits.set(p);
  }
  return bits;
}

// Marks `count` pieces (from the end) as had, so random-first is over.
void haveSome(PiecePicker& picker, std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    picker.setHave(picker.pieceCount() - 1 - i);
  }
}

// Receives, writes and passes every block of the requests: the piece is had.
void complete(PiecePicker& picker, PeerKey peer, const std::vector<BlockRequest>& requests) {
  for (const BlockRequest& r : requests) {
    QVERIFY(picker.blockReceived(peer, r.piece, r.offset).accepted);
    if (picker.blockWritten(r.piece, r.offset)) {
      picker.hashPassed(r.piece);
    }
  }
}

std::uint32_t pickOnePiece(PiecePicker& picker, PeerKey peer, const Bitfield& has) {
  std::vector<BlockRequest> out;
  if (picker.pickBlocks(peer, has, 1, out) != 1) {
    return 0xFFFFFFFF;
  }
  return out[0].piece;
}

}  // namespace

class TestPiecePicker : public QObject {
  Q_OBJECT

 private slots:
  // The caller's memory budget: maxNewPieces bounds the pieces a pick
  // starts; pieces already started stay open to everyone.
  void newPiecesBounded() {
    PiecePicker picker(8, 2 * kBlock, 8 * 2 * kBlock, 3);
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(8), 100, out, 0), std::size_t{0});
    QCOMPARE(picker.startedPieceCount(), std::uint32_t{0});
    QCOMPARE(picker.pickBlocks(1, all(8), 100, out, 2), std::size_t{4});  // 2 pieces x 2 blocks
    QCOMPARE(picker.startedPieceCount(), std::uint32_t{2});
    // Another peer with no budget left still gets the started pieces' blocks
    // (endgame duplicates aside: none are free, so nothing).
    std::vector<BlockRequest> other;
    QCOMPARE(picker.pickBlocks(2, all(8), 100, other, 0), std::size_t{0});
    picker.abortRequest(1, out[0].piece, out[0].offset);
    QCOMPARE(picker.pickBlocks(2, all(8), 100, other, 0), std::size_t{1});
    QCOMPARE(other[0].piece, out[0].piece);
    QCOMPARE(picker.startedPieceCount(), std::uint32_t{2});
  }

  // A recheck forgets had pieces: wanted again, pickable, indexes consistent.
  void forgetHaveMakesAPieceWantedAgain() {
    PiecePicker picker(4, kBlock, 4 * kBlock, 5);
    for (std::uint32_t p = 0; p < 4; ++p) {
      picker.setHave(p);
    }
    QVERIFY(picker.wantedComplete());
    picker.forgetHave(2);
    picker.forgetHave(2);  // twice: no double count
    QVERIFY(!picker.wantedComplete());
    QVERIFY(!picker.have(2));
    QVERIFY(picker.consistent());
    QCOMPARE(pickOnePiece(picker, 1, all(4)), std::uint32_t{2});
    std::vector<BlockRequest> out{{2, 0, kBlock, false}};
    complete(picker, 1, out);
    QVERIFY(picker.wantedComplete());
    QVERIFY(picker.consistent());
  }

  void geometryAndBlockSizes() {
    // 3 pieces of 40 KiB, the last 10,000 bytes: blocks of 16, 16, 8 KiB and one of 10,000.
    PiecePicker picker(3, 40960, 2 * 40960 + 10000, 1);
    QCOMPARE(picker.blockCount(0), std::uint32_t{3});
    QCOMPARE(picker.blockCount(2), std::uint32_t{1});
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(3), 100, out), std::size_t{7});
    std::map<std::uint32_t, std::vector<std::uint32_t>> lengths;
    for (const BlockRequest& r : out) {
      QCOMPARE(r.offset % kBlock, std::uint32_t{0});
      QVERIFY(!r.duplicate);
      lengths[r.piece].push_back(r.length);
    }
    QCOMPARE(lengths[0], (std::vector<std::uint32_t>{16384, 16384, 8192}));
    QCOMPARE(lengths[2], (std::vector<std::uint32_t>{10000}));
    QVERIFY(picker.consistent());
  }

  void rarestFirst() {
    constexpr std::uint32_t n = 20;
    PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, 7);
    haveSome(picker, 4);  // pieces 16..19: random-first is over
    // Piece p is had by (p % 8) + 1 peers; ties broken at random.
    for (std::uint32_t p = 0; p < n; ++p) {
      for (std::uint32_t k = 0; k <= p % 8; ++k) {
        picker.peerHas(p);
      }
    }
    std::vector<std::uint32_t> availabilities;
    for (int i = 0; i < 16; ++i) {
      const std::uint32_t p = pickOnePiece(picker, 1, all(n));
      QVERIFY(p < 16);
      availabilities.push_back(picker.availability(p));
    }
    QVERIFY(std::is_sorted(availabilities.begin(), availabilities.end()));
    QCOMPARE(availabilities.front(), std::uint32_t{1});
    QVERIFY(picker.consistent());
  }

  void rarestAmongWhatThePeerHas() {
    constexpr std::uint32_t n = 4096;  // big enough for the word-wise fallback
    PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, 3);
    haveSome(picker, 4);
    const Bitfield everyone = all(n);
    picker.addPeerBitfield(everyone);
    picker.addPeerBitfield(everyone);
    // The peer has three pieces far down the order; 3000 is the rarest of them.
    const Bitfield peer = only(n, {100, 3000, 4000});
    picker.peerLost(3000);
    QCOMPARE(pickOnePiece(picker, 9, peer), std::uint32_t{3000});
    QVERIFY(picker.consistent());
  }

  void tiesAreBrokenAtRandom() {
    constexpr std::uint32_t n = 64;
    std::set<std::uint32_t> firstPicks;
    std::vector<std::uint32_t> sequence;
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
      PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, seed);
      haveSome(picker, 4);
      firstPicks.insert(pickOnePiece(picker, 1, all(n)));
      if (seed == 0) {
        for (int i = 0; i < 10; ++i) {
          sequence.push_back(pickOnePiece(picker, 1, all(n)));
        }
      }
    }
    QVERIFY2(firstPicks.size() > 5, "equally rare pieces come out in random order");
    QVERIFY(!std::is_sorted(sequence.begin(), sequence.end()));
  }

  void randomFirstPieces() {
    constexpr std::uint32_t n = 200;
    // Piece 0 is by far the rarest: rarest-first would always pick it.
    std::set<std::uint32_t> picks;
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
      PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, seed);
      for (std::uint32_t p = 1; p < n; ++p) {
        picker.peerHas(p);
        picker.peerHas(p);
      }
      picks.insert(pickOnePiece(picker, 1, all(n)));
    }
    QVERIFY2(picks.size() > 5, "before 4 pieces are had, pieces are picked at random");

    PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, 99);
    for (std::uint32_t p = 1; p < n; ++p) {
      picker.peerHas(p);
      picker.peerHas(p);
    }
    for (int i = 0; i < 4; ++i) {  // complete four pieces...
      std::vector<BlockRequest> out;
      QCOMPARE(picker.pickBlocks(1, all(n), 1, out), std::size_t{1});
      complete(picker, 1, out);
    }
    if (!picker.have(0)) {  // ...then rarest first: piece 0
      QCOMPARE(pickOnePiece(picker, 1, all(n)), std::uint32_t{0});
    }
  }

  void strictPriorityAndSkip() {
    constexpr std::uint32_t n = 10;
    PiecePicker picker(n, kBlock, std::uint64_t{n} * kBlock, 5);
    haveSome(picker, 4);            // 6..9 had
    picker.setPiecePriority(0, 0);  // skip
    picker.setPiecePriority(4, 2);  // high
    picker.setPiecePriority(5, 7);  // high
    for (std::uint32_t p = 0; p < n; ++p) {
      for (std::uint32_t k = 0; k < (p == 4 || p == 5 ? 9U : 1U); ++k) {
        picker.peerHas(p);  // the high pieces are the most common
      }
    }
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(n), 2, out), std::size_t{2});
    QCOMPARE((std::set<std::uint32_t>{out[0].piece, out[1].piece}),
             (std::set<std::uint32_t>{4, 5}));
    out.clear();
    QCOMPARE(picker.pickBlocks(1, all(n), 10, out), std::size_t{3});  // 1, 2, 3; never 0
    for (const BlockRequest& r : out) {
      QVERIFY(r.piece >= 1 && r.piece <= 3);
    }
    // A peer without the high pieces still gets normal ones.
    PiecePicker other(n, kBlock, std::uint64_t{n} * kBlock, 5);
    other.setPiecePriority(4, 2);
    QCOMPARE(pickOnePiece(other, 2, only(n, {1})), std::uint32_t{1});
    QVERIFY(picker.consistent() && other.consistent());
  }

  void skippedPiecesAndWantedComplete() {
    PiecePicker picker(4, kBlock, 4 * kBlock, 1);
    picker.setPiecePriorities(std::vector<std::uint8_t>{1, 0, 1, 0});
    QVERIFY(!picker.wantedComplete());
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(4), 10, out), std::size_t{2});
    complete(picker, 1, out);
    QVERIFY(picker.wantedComplete());
    out.clear();
    QCOMPARE(picker.pickBlocks(1, all(4), 10, out), std::size_t{0});
    QVERIFY(!picker.inEndgame());
  }

  void startedPiecesAreFinishedFirst() {
    constexpr std::uint32_t n = 50;
    PiecePicker picker(n, 4 * kBlock, std::uint64_t{n} * 4 * kBlock, 11);
    haveSome(picker, 4);
    std::vector<BlockRequest> a;
    QCOMPARE(picker.pickBlocks(1, all(n), 1, a), std::size_t{1});
    const std::uint32_t started = a[0].piece;
    picker.peerHas(started);  // now more common than the untouched ones
    picker.peerHas(started);
    std::vector<BlockRequest> b;
    QCOMPARE(picker.pickBlocks(2, all(n), 3, b), std::size_t{3});
    for (const BlockRequest& r : b) {
      QCOMPARE(r.piece, started);
    }
    QCOMPARE(picker.startedPieceCount(), std::uint32_t{1});
  }

  void abortedRequestsReturnTheBlock() {
    PiecePicker picker(1, 2 * kBlock, 2 * kBlock, 1);
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(1), 2, out), std::size_t{2});
    std::vector<BlockRequest> none;
    QCOMPARE(picker.pickBlocks(2, all(1), 2, none), std::size_t{2});  // endgame duplicates
    QVERIFY(none[0].duplicate);
    picker.peerGone(2);
    picker.abortRequest(1, 0, kBlock);  // choke / reject / timeout
    std::vector<BlockRequest> again;
    QCOMPARE(picker.pickBlocks(3, all(1), 2, again), std::size_t{2});
    QCOMPARE(again[0].offset, kBlock);  // the returned block, first
    QVERIFY(!again[0].duplicate);
    QCOMPARE(again[1].offset, std::uint32_t{0});  // then, all taken: an endgame copy
    QVERIFY(again[1].duplicate);
    picker.abortRequest(9, 0, 0);  // not a holder: nothing happens
    picker.peerGone(1);
    picker.peerGone(3);
    QCOMPARE(picker.startedPieceCount(), std::uint32_t{0});  // untouched again
    QVERIFY(picker.consistent());
    out.clear();
    QCOMPARE(picker.pickBlocks(4, all(1), 5, out), std::size_t{2});
  }

  void endgameDuplicatesAndCancels() {
    PiecePicker picker(2, 2 * kBlock, 4 * kBlock, 1);
    picker.setHave(1);
    std::vector<BlockRequest> a;
    QCOMPARE(picker.pickBlocks(1, all(2), 10, a), std::size_t{2});
    QVERIFY(picker.inEndgame());
    std::vector<BlockRequest> b;
    QCOMPARE(picker.pickBlocks(2, all(2), 10, b), std::size_t{2});
    QVERIFY(b[0].duplicate && b[1].duplicate);
    std::vector<BlockRequest> c;
    QCOMPARE(picker.pickBlocks(3, all(2), 1, c), std::size_t{1});
    std::vector<BlockRequest> d;
    QCOMPARE(picker.pickBlocks(4, all(2), 10, d), std::size_t{1});  // kMaxHolders = 3
    std::vector<BlockRequest> e;
    QCOMPARE(picker.pickBlocks(5, all(2), 10, e), std::size_t{0});
    QCOMPARE(picker.pickBlocks(2, all(2), 10, e), std::size_t{0});  // never twice to one peer

    // Peer 2's copy of block 0 arrives: peers 1 and 3 hold it too.
    const auto receipt = picker.blockReceived(2, 0, 0);
    QVERIFY(receipt.accepted);
    QCOMPARE(std::set<PeerKey>(receipt.cancel.begin(), receipt.cancel.end()),
             (std::set<PeerKey>{1, 3}));
    QVERIFY(!picker.blockReceived(1, 0, 0).accepted);  // the losing copy
    QVERIFY(picker.consistent());
  }

  void hashFailResetsAndNamesTheSenders() {
    PiecePicker picker(1, 2 * kBlock, 2 * kBlock, 1);
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(1), 1, out), std::size_t{1});
    QCOMPARE(picker.pickBlocks(2, all(1), 1, out), std::size_t{1});
    QVERIFY(picker.blockReceived(1, 0, out[0].offset).accepted);
    QVERIFY(picker.blockReceived(2, 0, out[1].offset).accepted);
    QVERIFY(!picker.blockWritten(0, out[0].offset));
    QVERIFY(picker.blockWritten(0, out[1].offset));
    QVERIFY(picker.isHashPending(0));
    QCOMPARE(picker.pickBlocks(3, all(1), 5, out), std::size_t{0});  // hashing: nothing to hand
    const std::vector<PeerKey> senders = picker.hashFailed(0);
    QCOMPARE(std::set<PeerKey>(senders.begin(), senders.end()), (std::set<PeerKey>{1, 2}));
    QVERIFY(!picker.isHashPending(0));
    QVERIFY(!picker.have(0));
    out.clear();
    QCOMPARE(picker.pickBlocks(3, all(1), 5, out), std::size_t{2});  // all blocks again
    complete(picker, 3, out);
    QVERIFY(picker.have(0));
    QVERIFY(picker.wantedComplete());
    QVERIFY(picker.consistent());
  }

  void writeFailureReturnsTheBlock() {
    PiecePicker picker(1, kBlock, kBlock, 1);
    std::vector<BlockRequest> out;
    QCOMPARE(picker.pickBlocks(1, all(1), 1, out), std::size_t{1});
    QVERIFY(picker.blockReceived(1, 0, 0).accepted);
    picker.blockWriteFailed(0, 0);
    out.clear();
    QCOMPARE(picker.pickBlocks(2, all(1), 1, out), std::size_t{1});
    QVERIFY(picker.consistent());
  }

  void receiptsOfUnwantedData() {
    PiecePicker picker(3, kBlock, 3 * kBlock, 1);
    picker.setHave(0);
    picker.setPiecePriority(1, 0);
    QVERIFY(!picker.blockReceived(1, 0, 0).accepted);       // had
    QVERIFY(!picker.blockReceived(1, 1, 0).accepted);       // skipped
    QVERIFY(!picker.blockReceived(1, 2, 100).accepted);     // not a block boundary
    QVERIFY(!picker.blockReceived(1, 2, kBlock).accepted);  // past the piece
    QVERIFY(!picker.blockReceived(1, 7, 0).accepted);       // no such piece
    QVERIFY(picker.blockReceived(1, 2, 0).accepted);        // unrequested but wanted
    QVERIFY(picker.consistent());
  }

  void availabilityFromBitfieldsHavesAndSeeds() {
    PiecePicker picker(10, kBlock, 10 * kBlock, 1);
    const Bitfield a = only(10, {1, 2, 3});
    picker.addPeerBitfield(a);
    picker.peerHas(2);
    picker.addSeed();
    QCOMPARE(picker.availability(2), std::uint32_t{3});
    QCOMPARE(picker.availability(0), std::uint32_t{1});
    picker.removePeerBitfield(a);
    picker.removeSeed();
    QCOMPARE(picker.availability(2), std::uint32_t{1});
    QCOMPARE(picker.availability(1), std::uint32_t{0});
    picker.peerLost(1);  // never below zero
    QCOMPARE(picker.availability(1), std::uint32_t{0});
    QVERIFY(picker.consistent());
  }

  void markRequestedClaimsBlocks() {
    PiecePicker picker(4, 2 * kBlock, 8 * kBlock, 1);
    QVERIFY(picker.markRequested(50, 1, kBlock));
    QVERIFY(!picker.markRequested(50, 1, kBlock));  // already this peer's
    QVERIFY(!picker.markRequested(50, 1, 5));
    std::vector<BlockRequest> out;
    picker.pickBlocks(1, only(4, {1}), 5, out);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].offset, std::uint32_t{0});  // the other block of piece 1
  }

  void unrequestedRuns() {
    PiecePicker picker(20, kBlock, 20 * kBlock, 1);
    picker.setHave(0);
    picker.setPiecePriority(5, 0);
    QVERIFY(picker.markRequested(1, 8, 0));
    auto run = picker.findUnrequestedRun(10);
    QVERIFY(run.has_value());
    QCOMPARE(run->first, std::uint32_t{1});
    QCOMPARE(run->count, std::uint32_t{4});  // 1..4: 5 is skipped
    run = picker.findUnrequestedRun(2, 6);
    QCOMPARE(run->first, std::uint32_t{6});
    QCOMPARE(run->count, std::uint32_t{2});
    run = picker.findUnrequestedRun(100, 8);
    QCOMPARE(run->first, std::uint32_t{9});
    QCOMPARE(run->count, std::uint32_t{11});
    QVERIFY(!picker.findUnrequestedRun(5, 20).has_value());
    QVERIFY(!picker.findUnrequestedRun(0).has_value());
  }

  void randomUseKeepsEveryIndexConsistent() {
    constexpr std::uint32_t n = 37;
    PiecePicker picker(n, 3 * kBlock, std::uint64_t{n} * 3 * kBlock - 5000, 2024);
    std::mt19937 rng(42);
    std::vector<Bitfield> peers;
    for (int i = 0; i < 6; ++i) {
      Bitfield bits(n);
      for (std::uint32_t p = 0; p < n; ++p) {
        if (rng() % 2 == 0) {
          bits.set(p);
        }
      }
      picker.addPeerBitfield(bits);
      peers.push_back(bits);
    }
    std::vector<std::pair<PeerKey, BlockRequest>> inFlight;
    for (int step = 0; step < 4000 && !picker.wantedComplete(); ++step) {
      const auto peer = static_cast<PeerKey>(rng() % peers.size());
      switch (rng() % 8) {
        case 0:
        case 1:
        case 2: {
          std::vector<BlockRequest> out;
          picker.pickBlocks(peer, peers[peer], 1 + rng() % 5, out);
          for (const BlockRequest& r : out) {
            inFlight.emplace_back(peer, r);
          }
          break;
        }
        case 3:
        case 4:
        case 5:
          if (!inFlight.empty()) {
            const std::size_t i = rng() % inFlight.size();
            const auto [holder, r] = inFlight[i];
            inFlight.erase(inFlight.begin() + static_cast<long>(i));
            if (picker.blockReceived(holder, r.piece, r.offset).accepted &&
                picker.blockWritten(r.piece, r.offset)) {
              if (rng() % 5 == 0) {
                picker.hashFailed(r.piece);
              } else {
                picker.hashPassed(r.piece);
              }
            }
          }
          break;
        case 6:
          if (!inFlight.empty()) {
            const std::size_t i = rng() % inFlight.size();
            picker.abortRequest(inFlight[i].first, inFlight[i].second.piece,
                                inFlight[i].second.offset);
            inFlight.erase(inFlight.begin() + static_cast<long>(i));
          }
          break;
        default:
          picker.setPiecePriority(rng() % n, static_cast<std::uint8_t>(rng() % 3));
          break;
      }
      QVERIFY2(picker.consistent(), std::to_string(step).c_str());
    }
  }
};

QTEST_GUILESS_MAIN(TestPiecePicker)
#include "tst_piece_picker.moc"
