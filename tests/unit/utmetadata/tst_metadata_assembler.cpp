// The BEP 9 assembler: pieces from several peers in any order make the info
// dictionary once its SHA-1 matches; wrong lengths, sizes and indices are
// refused; a lying peer is named and then excluded while the retry succeeds
// from an honest one; rejects and timeouts hand the work to other peers; sizes
// over the cap are ignored.
#include <QtTest>

#include <algorithm>
#include <set>
#include <string>

#include "engine/bt/MetadataAssembler.h"

using namespace tributary::bt;
using Result = MetadataAssembler::DataResult;

namespace {

// A stand-in info dictionary: only its hash matters to the assembler.
std::string makeInfo(std::size_t size) {
  std::string info(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    info[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  }
  return info;
}

std::span<const std::byte> pieceOf(const std::string& info, std::uint32_t piece) {
  const std::size_t offset = std::size_t{piece} * kMetadataPieceSize;
  const std::size_t length = std::min<std::size_t>(kMetadataPieceSize, info.size() - offset);
  return std::as_bytes(std::span(info)).subspan(offset, length);
}

tributary::util::Sha1::Digest hashOf(const std::string& info) {
  return tributary::util::sha1(std::string_view(info));
}

// Everything the assembler wants from `key` right now.
std::vector<std::uint32_t> drain(MetadataAssembler& a, std::uint64_t key, std::uint64_t now) {
  std::vector<std::uint32_t> out;
  for (int guard = 0; guard < 2000; ++guard) {
    const std::optional<std::uint32_t> next = a.nextRequest(key, now);
    if (!next) {
      break;
    }
    out.push_back(*next);
  }
  return out;
}

}  // namespace

class TestMetadataAssembler : public QObject {
  Q_OBJECT

 private slots:
  void onePieceFromOnePeer() {
    const std::string info = makeInfo(5000);
    MetadataAssembler a(hashOf(info));
    QVERIFY(!a.nextRequest(1, 0));  // no size known yet
    a.onPeerMetadataSize(1, info.size());
    QCOMPARE(a.metadataSize(), std::uint64_t{5000});
    QCOMPARE(a.pieceCount(), 1u);
    QCOMPARE(drain(a, 1, 0), std::vector<std::uint32_t>{0});
    const auto outcome = a.onData(1, 0, info.size(), pieceOf(info, 0), 1);
    QCOMPARE(outcome.result, Result::Completed);
    QVERIFY(a.isComplete());
    QCOMPARE(*a.complete(), std::string_view(info));
    QVERIFY(!a.nextRequest(1, 2));
    QCOMPARE(a.onData(1, 0, info.size(), pieceOf(info, 0), 2).result, Result::Ignored);
    QCOMPARE(a.takeMetadata(), info);
  }

  void multiPieceFromTwoPeersOutOfOrder() {
    // 100 KiB + a short last piece: 7 pieces, the last 1,234 bytes.
    const std::string info = makeInfo(6 * kMetadataPieceSize + 1234);
    MetadataAssembler a(hashOf(info));
    a.onPeerMetadataSize(1, info.size());
    a.onPeerMetadataSize(2, info.size());
    QCOMPARE(a.pieceCount(), 7u);
    const std::vector<std::uint32_t> first = drain(a, 1, 0);
    const std::vector<std::uint32_t> second = drain(a, 2, 0);
    // The work is shared, nothing is asked twice, at most 3 in flight each.
    QCOMPARE(first.size(), std::size_t{3});
    QCOMPARE(second.size(), std::size_t{3});
    std::set<std::uint32_t> asked(first.begin(), first.end());
    asked.insert(second.begin(), second.end());
    QCOMPARE(asked.size(), std::size_t{6});

    // Answers come back in reverse, each freeing room for one more request.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pending;
    for (auto p : second)
      pending.emplace_back(2, p);
    for (auto p : first)
      pending.emplace_back(1, p);
    std::reverse(pending.begin(), pending.end());
    Result last = Result::Ignored;
    for (int guard = 0; guard < 50 && !pending.empty(); ++guard) {
      const auto [key, piece] = pending.front();
      pending.erase(pending.begin());
      last = a.onData(key, piece, info.size(), pieceOf(info, piece), 10).result;
      for (std::uint32_t more : drain(a, key, 10)) {
        pending.emplace_back(key, more);
      }
    }
    QCOMPARE(last, Result::Completed);
    QVERIFY(pending.empty());
    QCOMPARE(*a.complete(), std::string_view(info));
  }

  void exactMultipleOfThePieceSize() {
    const std::string info = makeInfo(2 * kMetadataPieceSize);
    MetadataAssembler a(hashOf(info));
    a.onPeerMetadataSize(9, info.size());
    QCOMPARE(a.pieceCount(), 2u);
    QCOMPARE(a.onData(9, 1, info.size(), pieceOf(info, 1), 0).result, Result::Accepted);
    QCOMPARE(a.onData(9, 0, info.size(), pieceOf(info, 0), 0).result, Result::Completed);
  }

  void wrongLengthForItsIndex() {
    const std::string info = makeInfo(kMetadataPieceSize + 100);
    MetadataAssembler a(hashOf(info));
    a.onPeerMetadataSize(1, info.size());
    QCOMPARE(drain(a, 1, 0), (std::vector<std::uint32_t>{0, 1}));
    // A short middle piece, a full-size last piece, a one-byte-long last piece.
    const auto whole = std::as_bytes(std::span(info));
    QCOMPARE(a.onData(1, 0, info.size(), whole.first(100), 1).result, Result::BadLength);
    QCOMPARE(a.onData(1, 1, info.size(), whole.first(kMetadataPieceSize), 1).result,
             Result::BadLength);
    QCOMPARE(a.onData(1, 1, info.size(), whole.subspan(kMetadataPieceSize - 1), 1).result,
             Result::BadLength);
    QCOMPARE(a.piecesHeld(), 0u);
    // Both requests were released, so they are asked again.
    QCOMPARE(drain(a, 1, 2), (std::vector<std::uint32_t>{0, 1}));
    QCOMPARE(a.onData(1, 2, info.size(), pieceOf(info, 0), 3).result, Result::PieceOutOfRange);
    QCOMPARE(a.onData(1, 0, info.size() + 1, pieceOf(info, 0), 3).result, Result::SizeMismatch);
    QCOMPARE(a.onData(1, 0, info.size(), pieceOf(info, 0), 3).result, Result::Accepted);
    QCOMPARE(a.onData(1, 0, info.size(), pieceOf(info, 0), 3).result, Result::Ignored);
    QCOMPARE(a.onData(1, 1, info.size(), pieceOf(info, 1), 3).result, Result::Completed);
  }

  void lyingPeerIsNamedThenExcludedAndAnHonestOneFinishes() {
    const std::string info = makeInfo(3 * kMetadataPieceSize);
    std::string lie = info;
    lie[kMetadataPieceSize + 5] ^= 1;  // piece 1 is wrong
    MetadataAssembler a(hashOf(info));
    const std::uint64_t liar = 66;
    const std::uint64_t honest = 7;
    a.onPeerMetadataSize(liar, info.size());
    a.onPeerMetadataSize(honest, info.size());
    a.onData(liar, 1, info.size(), pieceOf(lie, 1), 0);
    a.onData(honest, 0, info.size(), pieceOf(info, 0), 0);
    const auto failed = a.onData(honest, 2, info.size(), pieceOf(info, 2), 0);
    QCOMPARE(failed.result, Result::HashMismatch);
    std::vector<std::uint64_t> senders = failed.failedSenders;
    std::sort(senders.begin(), senders.end());
    QCOMPARE(senders, (std::vector<std::uint64_t>{honest, liar}));
    QCOMPARE(a.piecesHeld(), 0u);
    QCOMPARE(a.failedAttempts(), 1u);
    QVERIFY(!a.isComplete());

    // The retry comes from one peer alone: the liar asks first and gets it all.
    const std::vector<std::uint32_t> toLiar = drain(a, liar, 1);
    QCOMPARE(toLiar.size(), std::size_t{3});
    QVERIFY(drain(a, honest, 1).empty());
    QCOMPARE(a.onData(honest, 0, info.size(), pieceOf(info, 0), 1).result, Result::Ignored);
    a.onData(liar, 0, info.size(), pieceOf(lie, 0), 2);
    a.onData(liar, 1, info.size(), pieceOf(lie, 1), 2);
    const auto second = a.onData(liar, 2, info.size(), pieceOf(lie, 2), 2);
    QCOMPARE(second.result, Result::HashMismatch);
    QCOMPARE(second.failedSenders, std::vector<std::uint64_t>{liar});
    QVERIFY(a.isExcluded(liar));
    QVERIFY(!a.isExcluded(honest));
    QVERIFY(drain(a, liar, 3).empty());
    QCOMPARE(a.onData(liar, 0, info.size(), pieceOf(info, 0), 3).result, Result::PeerExcluded);

    // The honest peer finishes, even though the liar reconnects under its key.
    a.onPeerGone(liar);
    a.onPeerMetadataSize(liar, info.size());
    QVERIFY(drain(a, liar, 3).empty());
    const std::vector<std::uint32_t> toHonest = drain(a, honest, 3);
    QCOMPARE(toHonest.size(), std::size_t{3});
    Result last = Result::Ignored;
    for (std::uint32_t piece : toHonest) {
      last = a.onData(honest, piece, info.size(), pieceOf(info, piece), 4).result;
    }
    QCOMPARE(last, Result::Completed);
    QCOMPARE(*a.complete(), std::string_view(info));
  }

  // A failed attempt, then the honest peer alone supplies the retry: the
  // verified dictionary proves which pieces were false, and their sender is
  // named and excluded though it failed only once.
  void verifiedDictionaryExposesTheLiar() {
    const std::string info = makeInfo(3 * kMetadataPieceSize);
    std::string lie = info;
    lie[2 * kMetadataPieceSize + 1] ^= 1;  // piece 2 is wrong
    MetadataAssembler a(hashOf(info));
    const std::uint64_t liar = 5;
    const std::uint64_t honest = 9;
    const std::uint64_t bystander = 12;  // its piece in the failed attempt was right
    a.onPeerMetadataSize(honest, info.size());
    a.onPeerMetadataSize(liar, info.size());
    a.onPeerMetadataSize(bystander, info.size());
    a.onData(bystander, 0, info.size(), pieceOf(info, 0), 0);
    a.onData(honest, 1, info.size(), pieceOf(info, 1), 0);
    QCOMPARE(a.onData(liar, 2, info.size(), pieceOf(lie, 2), 0).result, Result::HashMismatch);
    QVERIFY(!a.isExcluded(liar));

    const std::vector<std::uint32_t> toHonest = drain(a, honest, 1);
    QCOMPARE(toHonest.size(), std::size_t{3});
    MetadataAssembler::DataOutcome last;
    for (std::uint32_t piece : toHonest) {
      last = a.onData(honest, piece, info.size(), pieceOf(info, piece), 2);
    }
    QCOMPARE(last.result, Result::Completed);
    QCOMPARE(last.liars, std::vector<std::uint64_t>{liar});
    QVERIFY(a.isExcluded(liar));
    QVERIFY(!a.isExcluded(bystander));
  }

  void failedAttemptsAreBounded() {
    // Two peers that only ever send bad data. A failure counts against every
    // sender; a failure with a single sender excludes it at once.
    const std::string info = makeInfo(2 * kMetadataPieceSize);
    const std::string lie = makeInfo(2 * kMetadataPieceSize + 1).substr(1);
    MetadataAssembler a(hashOf(info), {.maxOutstandingPerPeer = 1, .maxFailedAttempts = 3});
    a.onPeerMetadataSize(1, info.size());
    a.onPeerMetadataSize(2, info.size());
    std::vector<std::uint64_t> firstSenders;
    for (std::uint64_t round = 0; round < 20 && !(a.isExcluded(1) && a.isExcluded(2)); ++round) {
      std::vector<std::pair<std::uint64_t, std::uint32_t>> asked;
      for (std::uint64_t key : {1, 2}) {
        for (std::uint32_t piece : drain(a, key, round)) {
          asked.emplace_back(key, piece);
        }
      }
      for (const auto& [key, piece] : asked) {
        const auto outcome = a.onData(key, piece, info.size(), pieceOf(lie, piece), round);
        if (outcome.result == Result::HashMismatch && firstSenders.empty()) {
          firstSenders = outcome.failedSenders;
        }
      }
    }
    QCOMPARE(firstSenders.size(), std::size_t{2});  // the first attempt was shared
    QVERIFY(a.isExcluded(1));
    QVERIFY(a.isExcluded(2));
    QCOMPARE(a.failedAttempts(), 3u);
    QVERIFY(!a.isComplete());
  }

  void rejectHandsThePieceToAnotherPeer() {
    const std::string info = makeInfo(kMetadataPieceSize + 10);
    MetadataAssembler a(hashOf(info), {.rejectBackoffMs = 10000});
    a.onPeerMetadataSize(1, info.size());
    a.onPeerMetadataSize(2, info.size());
    QCOMPARE(drain(a, 1, 0), (std::vector<std::uint32_t>{0, 1}));
    QVERIFY(drain(a, 2, 0).empty());
    a.onReject(1, 1, 100);
    a.onReject(1, 5, 100);  // not asked: harmless
    QCOMPARE(drain(a, 2, 100), std::vector<std::uint32_t>{1});
    // Peer 1 is left alone for the backoff, then asked again.
    a.onReject(1, 0, 200);
    QVERIFY(drain(a, 1, 300).empty());
    QCOMPARE(drain(a, 2, 300), std::vector<std::uint32_t>{0});
    QCOMPARE(a.onData(2, 1, info.size(), pieceOf(info, 1), 400).result, Result::Accepted);
    a.onReject(2, 0, 500);
    QVERIFY(drain(a, 2, 600).empty());
    QVERIFY(drain(a, 1, 10199).empty());
    QCOMPARE(drain(a, 1, 10200), std::vector<std::uint32_t>{0});
    QCOMPARE(a.onData(1, 0, info.size(), pieceOf(info, 0), 10300).result, Result::Completed);
  }

  void timeoutReassignsAndSlowsThePeer() {
    const std::string info = makeInfo(4 * kMetadataPieceSize);
    MetadataAssembler a(hashOf(info), {.maxOutstandingPerPeer = 3, .requestTimeoutMs = 5000});
    a.onPeerMetadataSize(1, info.size());
    QCOMPARE(drain(a, 1, 0), (std::vector<std::uint32_t>{0, 1, 2}));
    a.onPeerMetadataSize(2, info.size());
    QCOMPARE(drain(a, 2, 1000), std::vector<std::uint32_t>{3});
    QCOMPARE(a.expire(4999), std::size_t{0});
    // nextRequest expires old requests itself: the silent peer's pieces go to
    // the other, and the silent one gets one request at a time.
    QCOMPARE(drain(a, 2, 5000), (std::vector<std::uint32_t>{0, 1}));
    QCOMPARE(drain(a, 1, 5000), std::vector<std::uint32_t>{2});
    QCOMPARE(a.expire(5001), std::size_t{0});
    // A late answer is still welcome (the other peer's copy is then a duplicate).
    QCOMPARE(a.onData(1, 0, info.size(), pieceOf(info, 0), 5600).result, Result::Accepted);
    QCOMPARE(a.onData(2, 0, info.size(), pieceOf(info, 0), 5700).result, Result::Ignored);
    QCOMPARE(a.onData(2, 1, info.size(), pieceOf(info, 1), 5700).result, Result::Accepted);
    QCOMPARE(a.onData(2, 3, info.size(), pieceOf(info, 3), 5700).result, Result::Accepted);
    // Piece 2 is now late too: it goes back to the fast peer.
    QCOMPARE(a.expire(10000), std::size_t{1});
    QCOMPARE(drain(a, 2, 10000), std::vector<std::uint32_t>{2});
    QCOMPARE(a.onData(2, 2, info.size(), pieceOf(info, 2), 10001).result, Result::Completed);
  }

  void sizesOverTheCapOrZeroAreIgnored() {
    const std::string info = makeInfo(3000);
    MetadataAssembler a(hashOf(info), {.maxSize = 1 << 20});
    a.onPeerMetadataSize(1, (1 << 20) + 1);
    a.onPeerMetadataSize(2, 0);
    QCOMPARE(a.metadataSize(), std::uint64_t{0});
    QVERIFY(drain(a, 1, 0).empty());
    QVERIFY(drain(a, 2, 0).empty());
    QCOMPARE(a.onData(1, 0, (1 << 20) + 1, pieceOf(info, 0), 0).result, Result::Ignored);
    a.onPeerMetadataSize(3, info.size());
    QCOMPARE(a.metadataSize(), std::uint64_t{3000});
    QVERIFY(drain(a, 1, 0).empty());
    QCOMPARE(drain(a, 3, 0), std::vector<std::uint32_t>{0});
    QCOMPARE(a.onData(3, 0, info.size(), pieceOf(info, 0), 1).result, Result::Completed);
  }

  void firstPlausibleSizeWinsUntilItsPeersFail() {
    const std::string info = makeInfo(20000);
    MetadataAssembler a(hashOf(info));
    a.onPeerMetadataSize(1, 50000);  // wrong, but first
    a.onPeerMetadataSize(2, info.size());
    QCOMPARE(a.metadataSize(), std::uint64_t{50000});
    QVERIFY(drain(a, 2, 0).empty());  // disagrees: cannot help
    QCOMPARE(drain(a, 1, 0).size(), std::size_t{3});
    // Peer 1 never answers; once it has timed out the agreeing size takes over.
    QCOMPARE(drain(a, 2, 5000), (std::vector<std::uint32_t>{0, 1}));
    QCOMPARE(a.metadataSize(), std::uint64_t{20000});
    QCOMPARE(a.onData(2, 0, info.size(), pieceOf(info, 0), 5001).result, Result::Accepted);
    QCOMPARE(a.onData(2, 1, info.size(), pieceOf(info, 1), 5001).result, Result::Completed);
  }

  void peerGoneReleasesItsRequests() {
    const std::string info = makeInfo(2 * kMetadataPieceSize);
    MetadataAssembler a(hashOf(info), {.maxOutstandingPerPeer = 2});
    a.onPeerMetadataSize(1, info.size());
    a.onPeerMetadataSize(2, info.size());
    QCOMPARE(drain(a, 1, 0).size(), std::size_t{2});
    QVERIFY(drain(a, 2, 0).empty());
    a.onPeerGone(1);
    QCOMPARE(drain(a, 2, 1), (std::vector<std::uint32_t>{0, 1}));
  }
};

QTEST_GUILESS_MAIN(TestMetadataAssembler)
#include "tst_metadata_assembler.moc"
