// core::PiecePicker at the size issue 4 asks for: 65,536 pieces and 200 peers.
// A whole download is simulated (bitfields in, blocks requested, received,
// written and hashed, peers leaving and coming back) and the test asserts the
// behaviour: every piece ends up had exactly once, nothing is requested twice
// outside endgame, and the indices stay consistent. The CTest timeout is the
// only clock, and generous: an O(pieces) scan per block would blow it.
#include <QtTest>

#include <random>

#include "engine/core/PiecePicker.h"

using tributary::core::BlockRequest;
using tributary::core::PeerKey;
using tributary::core::PiecePicker;
using tributary::util::Bitfield;

class TestPiecePickerScale : public QObject {
  Q_OBJECT

 private slots:
  void wholeDownloadWith200Peers() {
    constexpr std::uint32_t kPieces = 65536;
    constexpr std::uint32_t kPeers = 200;
    constexpr std::uint32_t kPieceLength = 2 * PiecePicker::kBlockSize;
    PiecePicker picker(kPieces, kPieceLength, std::uint64_t{kPieces} * kPieceLength, 77);
    std::mt19937 rng(77);

    // Half the peers are seeds, the others have a random 30%.
    std::vector<Bitfield> peers;
    for (std::uint32_t i = 0; i < kPeers; ++i) {
      if (i % 2 == 0) {
        peers.emplace_back(kPieces, true);
        picker.addSeed();
      } else {
        Bitfield bits(kPieces);
        for (std::uint32_t p = 0; p < kPieces; ++p) {
          if (rng() % 10 < 3) {
            bits.set(p);
          }
        }
        picker.addPeerBitfield(bits);
        peers.push_back(std::move(bits));
      }
    }

    std::vector<std::vector<BlockRequest>> queues(kPeers);
    std::uint64_t blocksReceived = 0;
    std::uint64_t duplicates = 0;
    const std::uint64_t totalBlocks = std::uint64_t{kPieces} * 2;
    std::uint64_t rounds = 0;
    for (; rounds < 100000 && !picker.wantedComplete(); ++rounds) {
      for (PeerKey peer = 0; peer < kPeers; ++peer) {
        std::vector<BlockRequest>& queue = queues[peer];
        const std::size_t before = queue.size();
        picker.pickBlocks(peer, peers[peer], 8 - queue.size(), queue);
        for (std::size_t i = before; i < queue.size(); ++i) {
          if (queue[i].duplicate && !picker.inEndgame()) {
            QFAIL("a duplicate request outside the endgame");
          }
        }
        // The peer answers its oldest requests.
        const std::size_t answered = std::min<std::size_t>(queue.size(), 1 + rng() % 4);
        for (std::size_t i = 0; i < answered; ++i) {
          const BlockRequest r = queue[i];
          duplicates += r.duplicate ? 1 : 0;
          const auto receipt = picker.blockReceived(peer, r.piece, r.offset);
          if (!receipt.accepted) {
            continue;
          }
          ++blocksReceived;
          for (const PeerKey other : receipt.cancel) {  // endgame: cancel the copies
            auto& q = queues[other];
            std::erase_if(q, [&](const BlockRequest& x) {
              return x.piece == r.piece && x.offset == r.offset;
            });
            picker.abortRequest(other, r.piece, r.offset);
          }
          if (picker.blockWritten(r.piece, r.offset)) {
            picker.hashPassed(r.piece);
          }
        }
        queue.erase(queue.begin(), queue.begin() + static_cast<long>(answered));
      }
      if (rounds % 50 == 49) {  // a partial peer leaves and comes back
        const PeerKey leaving = 1 + 2 * (rng() % (kPeers / 2));
        picker.peerGone(leaving);
        queues[leaving].clear();
        picker.removePeerBitfield(peers[leaving]);
        picker.addPeerBitfield(peers[leaving]);
      }
    }
    QVERIFY(picker.wantedComplete());
    QCOMPARE(picker.haveBitfield().count(), std::size_t{kPieces});
    QCOMPARE(blocksReceived, totalBlocks);  // each block accepted exactly once
    QVERIFY(picker.consistent());
    qInfo("rounds: %llu, endgame duplicates: %llu", static_cast<unsigned long long>(rounds),
          static_cast<unsigned long long>(duplicates));
  }

  void sparsePeersDoNotScanEverything() {
    // 200 peers with 20 pieces each: every pick goes through the word-wise
    // path. Bounded by the test timeout, asserting that each peer gets a
    // piece it has.
    constexpr std::uint32_t kPieces = 65536;
    PiecePicker picker(kPieces, PiecePicker::kBlockSize,
                       std::uint64_t{kPieces} * PiecePicker::kBlockSize, 5);
    for (std::uint32_t p = kPieces - 4; p < kPieces; ++p) {
      picker.setHave(p);
    }
    std::mt19937 rng(5);
    std::vector<Bitfield> peers;
    for (int i = 0; i < 200; ++i) {
      Bitfield bits(kPieces);
      for (int k = 0; k < 20; ++k) {
        bits.set(rng() % (kPieces - 4));
      }
      picker.addPeerBitfield(bits);
      peers.push_back(std::move(bits));
    }
    for (int round = 0; round < 5; ++round) {
      for (PeerKey peer = 0; peer < 200; ++peer) {
        std::vector<BlockRequest> out;
        if (picker.pickBlocks(peer, peers[peer], 1, out) == 1) {
          QVERIFY(peers[peer].test(out[0].piece));
        }
      }
    }
    QVERIFY(picker.consistent());
  }
};

QTEST_GUILESS_MAIN(TestPiecePickerScale)
#include "tst_piece_picker_scale.moc"
