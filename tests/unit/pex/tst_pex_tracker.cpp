// PexTracker: each message to a peer carries only what changed since the last
// one, at most 50 added and 50 dropped (the rest waits for later messages),
// never the recipient itself, never a peer it was not told about as dropped,
// and a peer whose flags changed is announced again.
#include <QtTest>

#include "engine/bt/PexTracker.h"

using namespace tributary;
using namespace tributary::bt;
using loop::SocketAddress;

namespace {

SocketAddress peerV4(int i) {
  return SocketAddress::v4(
      {10, 0, static_cast<std::uint8_t>(i / 250), static_cast<std::uint8_t>(i % 250 + 1)}, 6881);
}

SocketAddress peerV6(int i) {
  std::array<std::uint8_t, 16> bytes{0x20, 0x01, 0x0d, 0xb8};
  bytes[14] = static_cast<std::uint8_t>(i >> 8);
  bytes[15] = static_cast<std::uint8_t>(i & 0xff);
  return SocketAddress::v6(bytes, 51413);
}

std::vector<PexPeer> peers(int first, int count, std::uint8_t flags = 0) {
  std::vector<PexPeer> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back({peerV4(i), flags});
  }
  return out;
}

}  // namespace

class TestPexTracker : public QObject {
  Q_OBJECT

 private slots:
  void firstMessageAddsEveryPeerThenNothingChanges() {
    PexTracker tracker;
    std::vector<PexPeer> connected = peers(0, 3, kPexSeed);
    connected.push_back({peerV6(1), kPexSupportsUtp});
    const PexMessage first = tracker.nextMessage(connected);
    QVERIFY(first.added == connected);
    QVERIFY(first.dropped.empty());
    QCOMPARE(tracker.advertisedCount(), std::size_t{4});
    QVERIFY(tracker.nextMessage(connected).empty());
  }

  void goneAdvertisedPeersAreDropped() {
    PexTracker tracker;
    (void)tracker.nextMessage(peers(0, 5));
    std::vector<PexPeer> now = peers(1, 3);  // 0 and 4 left
    now.push_back({peerV4(9), 0});           // 9 arrived
    const PexMessage m = tracker.nextMessage(now);
    QVERIFY(m.added == (std::vector<PexPeer>{{peerV4(9), 0}}));
    QVERIFY(m.dropped == (std::vector<SocketAddress>{peerV4(0), peerV4(4)}));
    QVERIFY(tracker.nextMessage(now).empty());
    // A peer that comes back is added again.
    now.push_back({peerV4(0), 0});
    QVERIFY(tracker.nextMessage(now).added == (std::vector<PexPeer>{{peerV4(0), 0}}));
  }

  void addedIsCappedAndTheRestWaits() {
    PexTracker tracker;
    const std::vector<PexPeer> connected = peers(0, 120);
    std::vector<PexPeer> seen;
    for (const std::size_t want : {std::size_t{50}, std::size_t{50}, std::size_t{20}}) {
      const PexMessage m = tracker.nextMessage(connected);
      QCOMPARE(m.added.size(), want);
      QVERIFY(m.dropped.empty());
      seen.insert(seen.end(), m.added.begin(), m.added.end());
    }
    QVERIFY(seen == connected);  // each once, in the caller's order
    QVERIFY(tracker.nextMessage(connected).empty());
  }

  void capCountsBothFamiliesTogether() {
    PexTracker tracker;
    std::vector<PexPeer> connected;
    for (int i = 0; i < 40; ++i) {
      connected.push_back({peerV4(i), 0});
      connected.push_back({peerV6(i), 0});
    }
    QCOMPARE(tracker.nextMessage(connected).added.size(), kMaxPexAddedPerMessage);
    QCOMPARE(tracker.nextMessage(connected).added.size(), std::size_t{30});
    const PexMessage gone = tracker.nextMessage({});
    QCOMPARE(gone.dropped.size(), kMaxPexDroppedPerMessage);
    QCOMPARE(tracker.nextMessage({}).dropped.size(), std::size_t{30});
    QVERIFY(tracker.nextMessage({}).empty());
    QCOMPARE(tracker.advertisedCount(), std::size_t{0});
  }

  void droppedIsCappedAndTheRestWaits() {
    PexTracker tracker;
    const std::vector<PexPeer> all = peers(0, 120);
    for (int i = 0; i < 3; ++i) {
      (void)tracker.nextMessage(all);
    }
    QCOMPARE(tracker.advertisedCount(), std::size_t{120});
    const std::vector<PexPeer> few = peers(0, 10);
    std::size_t dropped = 0;
    for (const std::size_t want : {std::size_t{50}, std::size_t{50}, std::size_t{10}}) {
      const PexMessage m = tracker.nextMessage(few);
      QCOMPARE(m.dropped.size(), want);
      QVERIFY(m.added.empty());
      dropped += m.dropped.size();
    }
    QCOMPARE(dropped, std::size_t{110});
    QCOMPARE(tracker.advertisedCount(), std::size_t{10});
    QVERIFY(tracker.nextMessage(few).empty());
  }

  void aPeerGoneBeforeItWasToldIsNotDropped() {
    PexTracker tracker;
    (void)tracker.nextMessage(peers(0, 60));  // 50 told, 10 pending
    const PexMessage m = tracker.nextMessage(peers(0, 50));
    QVERIFY(m.empty());
  }

  void recipientAndUnusableAddressesAreNeverSent() {
    PexTracker tracker(peerV4(1));
    std::vector<PexPeer> connected = peers(0, 3);
    connected.push_back({SocketAddress::v4({10, 0, 0, 9}, 0), 0});      // no port
    connected.push_back({SocketAddress::anyV4(6881), 0});               // unspecified
    connected.push_back({SocketAddress::v4({224, 0, 0, 1}, 6881), 0});  // multicast
    connected.push_back({SocketAddress(), 0});
    const PexMessage m = tracker.nextMessage(connected);
    QVERIFY(m.added == (std::vector<PexPeer>{{peerV4(0), 0}, {peerV4(2), 0}}));
    // The recipient at another port is another peer.
    const std::vector<PexPeer> later = {{peerV4(0), 0}, {peerV4(1).withPort(1), 0}};
    const PexMessage other = tracker.nextMessage(later);
    QVERIFY(other.added == (std::vector<PexPeer>{{peerV4(1).withPort(1), 0}}));
    QVERIFY(other.dropped == (std::vector<SocketAddress>{peerV4(2)}));
  }

  void changedFlagsAreAnnouncedAgain() {
    PexTracker tracker;
    (void)tracker.nextMessage(peers(0, 2));
    std::vector<PexPeer> now = peers(0, 2);
    now[1].flags = kPexSeed;
    const PexMessage m = tracker.nextMessage(now);
    QVERIFY(m.added == (std::vector<PexPeer>{{peerV4(1), kPexSeed}}));
    QVERIFY(m.dropped.empty());
    QVERIFY(tracker.nextMessage(now).empty());
  }

  void duplicateEntriesCountOnce() {
    PexTracker tracker;
    const std::vector<PexPeer> connected = {
        {peerV4(0), kPexSeed}, {peerV4(0), 0}, {peerV4(0), kPexSeed}, {peerV4(1), 0}};
    const PexMessage m = tracker.nextMessage(connected);
    QVERIFY(m.added == (std::vector<PexPeer>{{peerV4(0), kPexSeed}, {peerV4(1), 0}}));
    QVERIFY(tracker.nextMessage(connected).empty());  // and no flapping between the flags
  }

  void messagesEncodeWithinTheCaps() {
    PexTracker tracker;
    std::vector<PexPeer> connected;
    for (int i = 0; i < 200; ++i) {
      connected.push_back({i % 2 ? peerV6(i) : peerV4(i), static_cast<std::uint8_t>(i % 32)});
    }
    std::size_t told = 0;
    for (int round = 0; round < 10; ++round) {  // bounded: 200 peers need 4 messages
      const PexMessage m = tracker.nextMessage(connected);
      if (m.empty()) {
        break;
      }
      const std::string bytes = encodePexMessage(m);
      const Result<PexMessage> back =
          parsePexMessage({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()});
      QVERIFY(back.ok());
      QCOMPARE(back.value().added.size(), m.added.size());  // nothing cut by the encoder
      told += m.added.size();
    }
    QCOMPARE(told, connected.size());
  }
};

QTEST_GUILESS_MAIN(TestPexTracker)
#include "tst_pex_tracker.moc"
