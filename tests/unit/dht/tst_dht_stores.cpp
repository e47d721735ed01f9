// TokenStore (rotating secrets, bound to the requester's IP) and PeerStore
// (announced peers: bounded per info-hash, in info-hashes and in time).
#include <QtTest>

#include "engine/dht/PeerStore.h"
#include "engine/dht/TokenStore.h"

using namespace tributary;
using namespace tributary::dht;
using loop::SocketAddress;

namespace {
constexpr std::uint64_t kMinute = 60 * 1000;
const SocketAddress kAlice = SocketAddress::v4({10, 0, 0, 1}, 1000);
const SocketAddress kBob = SocketAddress::v4({10, 0, 0, 2}, 1000);

InfoHash hashOf(std::uint32_t n) {
  NodeId::Bytes b{};
  b[0] = static_cast<std::uint8_t>(n >> 24);
  b[1] = static_cast<std::uint8_t>(n >> 16);
  b[2] = static_cast<std::uint8_t>(n >> 8);
  b[3] = static_cast<std::uint8_t>(n);
  return NodeId(b);
}
}  // namespace

class TstDhtStores : public QObject {
  Q_OBJECT
 private slots:
  void tokensAreBoundToIpAndRotate() {
    TokenStore tokens(0);
    const std::string t = tokens.tokenFor(kAlice, 0);
    QCOMPARE(t.size(), TokenStore::kTokenSize);
    QVERIFY(tokens.verify(t, kAlice, kMinute));
    QVERIFY(tokens.verify(t, kAlice.withPort(2000), kMinute));  // the IP counts, not the port
    QVERIFY(!tokens.verify(t, kBob, kMinute));
    QVERIFY(!tokens.verify("short", kAlice, kMinute));
    // One rotation later the previous secret still works; two, and it is gone.
    QVERIFY(tokens.verify(t, kAlice, 6 * kMinute));
    QVERIFY(tokens.tokenFor(kAlice, 6 * kMinute) != t);
    QVERIFY(!tokens.verify(t, kAlice, 12 * kMinute));
    // Another store (another secret) does not accept our tokens.
    TokenStore other(0);
    QVERIFY(!other.verify(tokens.tokenFor(kAlice, 12 * kMinute), kAlice, 12 * kMinute));
  }

  void peersAreStoredByFamilyAndExpire() {
    PeerStore store;
    const InfoHash ih = hashOf(1);
    store.announce(ih, kAlice, 0);
    store.announce(ih, kAlice, 0);  // refresh, not a duplicate
    store.announce(ih, *SocketAddress::parse("2001:db8::1", 5), 0);
    QCOMPARE(store.peerCount(ih), std::size_t{2});
    QCOMPARE(store.peers(ih, SocketAddress::Family::V4, 50, 0), std::vector<SocketAddress>{kAlice});
    QCOMPARE(store.peers(ih, SocketAddress::Family::V6, 50, 0).size(), std::size_t{1});
    QVERIFY(store.peers(hashOf(2), SocketAddress::Family::V4, 50, 0).empty());
    QVERIFY(store.peers(ih, SocketAddress::Family::V4, 50, 31 * kMinute).empty());
    store.expire(31 * kMinute);
    QCOMPARE(store.infoHashCount(), std::size_t{0});
  }

  void peerStoreIsBounded() {
    PeerStoreLimits limits;
    limits.maxPeersPerInfoHash = 10;
    limits.maxInfoHashes = 5;
    PeerStore store(limits);
    for (std::uint16_t i = 1; i <= 30; ++i) {
      store.announce(hashOf(1), SocketAddress::v4({10, 0, 0, 1}, i), i);
    }
    QCOMPARE(store.peerCount(hashOf(1)), std::size_t{10});
    // The newest stayed: the oldest went first.
    const auto peers = store.peers(hashOf(1), SocketAddress::Family::V4, 100, 31);
    QVERIFY(std::find(peers.begin(), peers.end(), SocketAddress::v4({10, 0, 0, 1}, 30)) !=
            peers.end());
    QCOMPARE(store.peers(hashOf(1), SocketAddress::Family::V4, 3, 31).size(), std::size_t{3});
    for (std::uint32_t h = 2; h <= 20; ++h) {
      store.announce(hashOf(h), kAlice, 100 + h);
    }
    QCOMPARE(store.infoHashCount(), std::size_t{5});
    QCOMPARE(store.peerCount(hashOf(20)), std::size_t{1});
    QCOMPARE(store.peerCount(hashOf(1)), std::size_t{0});  // least recently announced: evicted
  }
};

QTEST_GUILESS_MAIN(TstDhtStores)
#include "tst_dht_stores.moc"
