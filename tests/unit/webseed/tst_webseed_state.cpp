// bt::WebSeed, the per-seed books of a torrent task: bytes cut into the
// picker's 16 KiB blocks whatever the chunks, a range that does not start at
// a piece, too many bytes refused, failures in a row with back-off (bytes in
// between reset them), a busy server waited for but never dropped, a block
// that ends the fetch taking no more bytes, what the snapshot shows (an
// origin URL as HTTP), and which URLs fit a torrent's layout as its origin.
#include <QtTest>

#include <string>
#include <tuple>
#include <vector>

#include "engine/bt/Metainfo.h"
#include "engine/bt/WebSeed.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

class IdleClient final : public WebSeedClient {
 public:
  void fetch(std::uint64_t, std::uint64_t, Handler) override {}
  void cancel() override {}
  void pauseReading() override {}
  void resumeReading() override {}
};

constexpr std::uint32_t kPiece = 64 * 1024;
constexpr std::uint32_t kBlock = 16 * 1024;

WebSeed makeSeed() {
  return WebSeed(7, "http://seed.example/", WebSeedStyle::GetRight, WebSeed::Role::Cdn,
                 std::make_unique<IdleClient>());
}

using Blocks = std::vector<std::tuple<std::uint32_t, std::uint32_t, std::size_t, char>>;

}  // namespace

class TstWebSeedState : public QObject {
  Q_OBJECT
 private slots:
  void cutsBytesIntoBlocks() {
    WebSeed seed = makeSeed();
    // From the second block of piece 1 to the middle of piece 2's last block
    // (the end of a short last piece).
    const std::uint64_t begin = kPiece + kBlock;
    const std::uint64_t end = 2 * kPiece + 3 * kBlock + 100;
    seed.begin({begin, end});
    QVERIFY(seed.fetching());
    QVERIFY(seed.covers(1, kPiece) && seed.covers(2, kPiece) && !seed.covers(0, kPiece) &&
            !seed.covers(3, kPiece));
    std::string bytes(end - begin, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      bytes[i] = static_cast<char>((begin + i) / kBlock);  // each block its own value
    }
    Blocks got;
    const auto onBlock = [&](std::uint32_t piece, std::uint32_t offset,
                             std::span<const std::byte> block) {
      got.emplace_back(piece, offset, block.size(), static_cast<char>(block.front()));
    };
    // Odd chunks: 7000 bytes at a time.
    for (std::size_t at = 0; at < bytes.size(); at += 7000) {
      const std::size_t n = std::min<std::size_t>(7000, bytes.size() - at);
      QVERIFY(
          seed.take(std::as_bytes(std::span<const char>(bytes.data() + at, n)), kPiece, onBlock));
    }
    const Blocks expected = {
        {1, kBlock, kBlock, 5},   {1, 2 * kBlock, kBlock, 6}, {1, 3 * kBlock, kBlock, 7},
        {2, 0, kBlock, 8},        {2, kBlock, kBlock, 9},     {2, 2 * kBlock, kBlock, 10},
        {2, 3 * kBlock, 100, 11},
    };
    QVERIFY(got == expected);
    // The run is over: one byte more is refused, nothing taken.
    const char extra = 0;
    QVERIFY(!seed.take(std::as_bytes(std::span<const char>(&extra, 1)), kPiece, onBlock));
    QCOMPARE(got.size(), expected.size());
  }

  void tooManyBytesAreRefusedWhole() {
    WebSeed seed = makeSeed();
    seed.begin({0, kBlock});
    std::string bytes(kBlock + 1, 'x');
    int blocks = 0;
    QVERIFY(
        !seed.take(std::as_bytes(std::span<const char>(bytes)), kPiece,
                   [&](std::uint32_t, std::uint32_t, std::span<const std::byte>) { ++blocks; }));
    QCOMPARE(blocks, 0);
  }

  // A block that ends the fetch (a peer overtook the seed) drops the rest
  // of the chunk: only what was taken is counted.
  void blockThatEndsTheFetchTakesNoMore() {
    WebSeed seed = makeSeed();
    seed.begin({0, 4 * kBlock});
    const std::string bytes(kBlock + 5000, 'x');
    int blocks = 0;
    const std::optional<std::size_t> taken =
        seed.take(std::as_bytes(std::span<const char>(bytes)), kPiece,
                  [&](std::uint32_t, std::uint32_t, std::span<const std::byte>) {
                    ++blocks;
                    seed.end();
                  });
    QVERIFY(taken.has_value());
    QCOMPARE(*taken, std::size_t{kBlock});
    QCOMPARE(blocks, 1);
    QVERIFY(!seed.fetching());
    // Without an end, all of it.
    seed.begin({0, 4 * kBlock});
    QCOMPARE(seed.take(std::as_bytes(std::span<const char>(bytes)), kPiece,
                       [](std::uint32_t, std::uint32_t, std::span<const std::byte>) {}),
             std::optional<std::size_t>(bytes.size()));
  }

  // The origin URL's bytes are HTTP; every other seed's are CDN.
  void originIsAnHttpSource() {
    WebSeed origin(8, "http://origin.example/a.iso", WebSeedStyle::GetRight, WebSeed::Role::Origin,
                   std::make_unique<IdleClient>());
    QVERIFY(origin.origin());
    QCOMPARE(origin.sourceSnapshot(0).kind, SourceKind::Http);
    QCOMPARE(origin.peerSnapshot(0).client, std::string("Origin URL"));
    QVERIFY(!makeSeed().origin());
    QCOMPARE(makeSeed().sourceSnapshot(0).kind, SourceKind::Cdn);
  }

  // BEP 19's layouts: a single file's origin is any URL, a multi-file
  // torrent's the folder holding its top folder (a query may follow).
  void originMustFitTheLayout() {
    bt::Metainfo meta;
    meta.name = "set";
    QVERIFY(!originLayoutError(meta, "http://example.com/set.iso"));
    meta.multiFile = true;
    QVERIFY(!originLayoutError(meta, "http://example.com/pub/"));
    QVERIFY(!originLayoutError(meta, "https://example.com/pub/?token=1"));
    const std::optional<Error> file = originLayoutError(meta, "http://example.com/pub/set.zip");
    QVERIFY(file);
    QCOMPARE(file->code, ErrorCode::InvalidArgument);
    QVERIFY2(file->detail.find("\"set/\"") != std::string::npos, file->detail.c_str());
    QVERIFY(originLayoutError(meta, "not a url/"));
  }

  void failuresInARowDropTheSeed() {
    WebSeed seed = makeSeed();
    std::uint64_t now = 1000;
    for (unsigned i = 1; i < WebSeed::kMaxFailures; ++i) {
      QVERIFY(!seed.failed(now, std::chrono::milliseconds{0}));
      QVERIFY(!seed.ready(now));  // backing off
      now += 60'000;
      QVERIFY(seed.ready(now));
    }
    QVERIFY(seed.failed(now, std::chrono::milliseconds{0}));
  }

  // A whole block starts the count over; a byte and a reset each time does
  // not, or a hostile server would be retried for ever.
  void wholeBlocksResetTheFailures() {
    WebSeed seed = makeSeed();
    for (unsigned i = 1; i < WebSeed::kMaxFailures; ++i) {
      QVERIFY(!seed.failed(0, std::chrono::milliseconds{0}));
    }
    seed.begin({0, 2 * kBlock});
    const std::vector<char> block(kBlock, 1);
    QVERIFY(seed.take(std::as_bytes(std::span<const char>(block)), kPiece,
                      [](std::uint32_t, std::uint32_t, std::span<const std::byte>) {}));
    seed.end();
    QVERIFY(!seed.failed(0, std::chrono::milliseconds{0}));  // the count started over
  }

  void aByteAtATimeDoesNotResetTheFailures() {
    WebSeed seed = makeSeed();
    for (unsigned i = 1; i < WebSeed::kMaxFailures; ++i) {
      seed.begin({0, kBlock});
      const char byte = 1;
      QVERIFY(seed.take(std::as_bytes(std::span<const char>(&byte, 1)), kPiece,
                        [](std::uint32_t, std::uint32_t, std::span<const std::byte>) {}));
      seed.end();
      QVERIFY(!seed.failed(0, std::chrono::milliseconds{0}));
    }
    seed.begin({0, kBlock});
    seed.end();
    QVERIFY(seed.failed(0, std::chrono::milliseconds{0}));  // dropped: kMaxFailures in a row
  }

  void busyServerIsWaitedForNotDropped() {
    WebSeed seed = makeSeed();
    std::uint64_t now = 0;
    for (int i = 0; i < 20; ++i) {
      seed.busy(now, std::chrono::seconds(30));
      QVERIFY(!seed.ready(now + 29'000));
      now += 30'000;
      QVERIFY(seed.ready(now));
    }
    QVERIFY(!seed.dropped());
    QVERIFY(!seed.failed(now, std::chrono::milliseconds{0}));
  }

  void snapshots() {
    WebSeed seed = makeSeed();
    QCOMPARE(seed.sourceSnapshot(0).state, SourceSnapshot::State::Idle);
    seed.begin({0, kBlock});
    QCOMPARE(seed.sourceSnapshot(0).state, SourceSnapshot::State::Connecting);
    const std::string bytes(100, 'x');
    QVERIFY(seed.take(std::as_bytes(std::span<const char>(bytes)), kPiece,
                      [](std::uint32_t, std::uint32_t, std::span<const std::byte>) {}));
    seed.countBytes(100, 10);
    const SourceSnapshot active = seed.sourceSnapshot(10);
    QCOMPARE(active.state, SourceSnapshot::State::Active);
    QCOMPARE(active.kind, SourceKind::Cdn);
    QCOMPARE(active.downloaded, 100u);
    QCOMPARE(active.connections, 1u);
    const PeerSnapshot peer = seed.peerSnapshot(10);
    QCOMPARE(peer.source, PeerSource::WebSeed);
    QCOMPARE(peer.transport, PeerSnapshot::Transport::Web);
    QCOMPARE(peer.address, std::string("http://seed.example/"));
    seed.drop({ErrorCode::ChecksumMismatch, "bad piece"});
    const SourceSnapshot dropped = seed.sourceSnapshot(20);
    QCOMPARE(dropped.state, SourceSnapshot::State::Dropped);
    QCOMPARE(dropped.error, ErrorCode::ChecksumMismatch);
    QCOMPARE(dropped.errorDetail, std::string("bad piece"));
    QVERIFY(!seed.fetching() && !seed.ready(1'000'000));
  }
};

QTEST_GUILESS_MAIN(TstWebSeedState)
#include "tst_webseed_state.moc"
