// NodeId arithmetic and the Kademlia RoutingTable: bucket splitting, good /
// questionable / bad nodes, the replacement cache, closest-N, save and load.
#include <QtTest>

#include <algorithm>
#include <set>

#include "engine/dht/RoutingTable.h"

using namespace tributary;
using namespace tributary::dht;
using loop::SocketAddress;

namespace {

constexpr std::uint64_t kMinute = 60 * 1000;

NodeId zeroId() {
  return NodeId{};
}

// An id sharing exactly `prefix` leading bits with the all-zero id, then `tail`.
NodeId idWithPrefix(int prefix, std::uint8_t tail) {
  NodeId::Bytes b{};
  b[static_cast<std::size_t>(prefix / 8)] = static_cast<std::uint8_t>(0x80u >> (prefix % 8));
  b[19] = static_cast<std::uint8_t>(b[19] | tail);
  return NodeId(b);
}

NodeEntry nodeAt(const NodeId& id, std::uint16_t port) {
  return {id, SocketAddress::v4({10, 0, static_cast<std::uint8_t>(port >> 8),
                                 static_cast<std::uint8_t>(port & 0xff)},
                                port)};
}

}  // namespace

class TstDhtRouting : public QObject {
  Q_OBJECT
 private slots:
  void distanceAndPrefix() {
    const NodeId a = *NodeId::fromHex("ff00000000000000000000000000000000000000");
    const NodeId b = *NodeId::fromHex("0f00000000000000000000000000000000000000");
    QCOMPARE(a.distance(b).toHex(), std::string("f000000000000000000000000000000000000000"));
    QCOMPARE(a.commonPrefixBits(b), 0);
    QCOMPARE(a.commonPrefixBits(a), 160);
    QCOMPARE(idWithPrefix(13, 0).commonPrefixBits(zeroId()), 13);
    QVERIFY(closerTo(zeroId(), b, a));
    QVERIFY(!closerTo(zeroId(), a, b));
    QVERIFY(NodeId::random() != NodeId::random());
    for (int prefix : {0, 1, 7, 8, 100, 159}) {
      const NodeId self = NodeId::random();
      QCOMPARE(NodeId::randomWithPrefix(self, prefix).commonPrefixBits(self), prefix);
    }
    QVERIFY(!NodeId::fromHex("zz00000000000000000000000000000000000000"));
  }

  void bucketContainingSelfSplits() {
    RoutingTable table(zeroId());
    // Eight far nodes (prefix 0) fill the only bucket; the ninth, near us, splits it.
    for (std::uint8_t i = 0; i < 8; ++i) {
      table.onReply(nodeAt(idWithPrefix(0, i), 1000 + i), 0);
    }
    QCOMPARE(table.bucketCount(), std::size_t{1});
    QCOMPARE(table.size(), std::size_t{8});
    table.onReply(nodeAt(idWithPrefix(5, 0), 2000), 0);
    QCOMPARE(table.size(), std::size_t{9});
    QVERIFY(table.bucketCount() >= 2);
    // The far bucket no longer splits: a ninth far node waits as a replacement.
    table.onReply(nodeAt(idWithPrefix(0, 99), 3000), 0);
    QCOMPARE(table.size(), std::size_t{9});
    QCOMPARE(table.replacementCount(), std::size_t{1});
    QVERIFY(!table.find(idWithPrefix(0, 99)));
  }

  void ownIdIsNeverInserted() {
    const NodeId self = NodeId::random();
    RoutingTable table(self);
    table.onReply({self, SocketAddress::loopbackV4(1)}, 0);
    QCOMPARE(table.size(), std::size_t{0});
  }

  void statusFollowsBep5() {
    RoutingTable table(zeroId());
    const NodeEntry n = nodeAt(idWithPrefix(0, 1), 1);
    table.onReply(n, 0);
    QCOMPARE(table.status(*table.find(n.id), 0), NodeStatus::Good);
    QCOMPARE(table.status(*table.find(n.id), 16 * kMinute), NodeStatus::Questionable);
    // A query from a node that once answered makes it good again.
    table.onQuery(n, 16 * kMinute);
    QCOMPARE(table.status(*table.find(n.id), 16 * kMinute), NodeStatus::Good);
    table.onTimeout(n.address, 17 * kMinute);
    QCOMPARE(table.status(*table.find(n.id), 17 * kMinute), NodeStatus::Good);
    table.onTimeout(n.address, 17 * kMinute);
    QCOMPARE(table.status(*table.find(n.id), 17 * kMinute), NodeStatus::Bad);
    // A node that only queried us is questionable until it answers.
    const NodeEntry q = nodeAt(idWithPrefix(0, 2), 2);
    table.onQuery(q, 0);
    QCOMPARE(table.status(*table.find(q.id), 0), NodeStatus::Questionable);
  }

  void badNodeIsReplacedFromCache() {
    RoutingTable table(zeroId());
    table.onReply(nodeAt(idWithPrefix(7, 0), 999), 0);  // keeps bucket 0 from being the last
    for (std::uint8_t i = 0; i < 8; ++i) {
      table.onReply(nodeAt(idWithPrefix(0, i), 1000 + i), 0);
    }
    const NodeEntry waiting = nodeAt(idWithPrefix(0, 50), 1050);
    table.onReply(waiting, 0);
    QVERIFY(!table.find(waiting.id));
    const NodeEntry failing = nodeAt(idWithPrefix(0, 3), 1003);
    table.onTimeout(failing.address, kMinute);
    QVERIFY(table.find(failing.id));
    table.onTimeout(failing.address, kMinute);
    QVERIFY(!table.find(failing.id));
    QVERIFY(table.find(waiting.id));
  }

  void fullBucketTakesNewNodeInPlaceOfBad() {
    RoutingTable table(zeroId());
    table.onReply(nodeAt(idWithPrefix(7, 0), 999), 0);
    for (std::uint8_t i = 0; i < 8; ++i) {
      table.onReply(nodeAt(idWithPrefix(0, i), 1000 + i), 0);
    }
    const NodeEntry failing = nodeAt(idWithPrefix(0, 4), 1004);
    table.onTimeout(failing.address, 0);
    table.onTimeout(failing.address, 0);
    const NodeEntry newcomer = nodeAt(idWithPrefix(0, 60), 1060);
    table.onReply(newcomer, 0);
    QVERIFY(table.find(newcomer.id));
    QVERIFY(!table.find(failing.id));
  }

  void closestIsSortedByXor() {
    const NodeId self = NodeId::random();
    RoutingTable table(self);
    std::vector<NodeEntry> all;
    for (std::uint16_t i = 0; i < 200; ++i) {
      all.push_back(
          {NodeId::random(), SocketAddress::v4({10, 1, 0, 1}, static_cast<std::uint16_t>(1 + i))});
      table.onReply(all.back(), 0);
    }
    const NodeId target = NodeId::random();
    const auto got = table.closest(target, 8);
    QCOMPARE(got.size(), std::size_t{8});
    for (std::size_t i = 1; i < got.size(); ++i) {
      QVERIFY(closerTo(target, got[i - 1].id, got[i].id));
    }
    // Nothing kept in the table is closer than the eighth returned.
    std::size_t closerKept = 0;
    for (const NodeEntry& n : all) {
      if (table.find(n.id) && closerTo(target, n.id, got.back().id)) {
        ++closerKept;
      }
    }
    QCOMPARE(closerKept, std::size_t{7});
    QVERIFY(table.size() <= 160 * RoutingTable::kBucketSize);
  }

  void pingAndRefreshTargets() {
    RoutingTable table(zeroId());
    const NodeEntry n = nodeAt(idWithPrefix(0, 1), 1);
    table.onReply(n, 0);
    QVERIFY(table.takeNodesToPing(kMinute, 10).empty());
    QCOMPARE(table.takeNodesToPing(16 * kMinute, 10).size(), std::size_t{1});
    QVERIFY(table.takeNodesToPing(17 * kMinute, 10).empty());  // pinged lately
    QVERIFY(table.takeRefreshTargets(kMinute).empty());
    QCOMPARE(table.takeRefreshTargets(16 * kMinute).size(), table.bucketCount());
    QVERIFY(table.takeRefreshTargets(17 * kMinute).empty());
  }

  void saveAndLoad() {
    const NodeId self = NodeId::random();
    RoutingTable table(self);
    // First in, so it is in a bucket (not a replacement) whatever the random ids.
    table.onReply({NodeId::random(), *SocketAddress::parse("2001:db8::5", 77)}, 0);
    for (std::uint16_t i = 1; i <= 20; ++i) {
      table.onReply({NodeId::random(), SocketAddress::loopbackV4(i)}, 0);
    }
    const NodeId unconfirmed = NodeId::random();
    table.onQuery({unconfirmed, SocketAddress::loopbackV4(500)}, 0);  // not saved
    const auto saved = RoutingTable::deserialize(table.serialize());
    QVERIFY(saved);
    QCOMPARE(saved->self, self);
    QCOMPARE(saved->nodes.size(), table.size() - (table.find(unconfirmed) ? 1 : 0));
    QVERIFY(saved->nodes.size() >= 10);
    QVERIFY(std::any_of(saved->nodes.begin(), saved->nodes.end(),
                        [](const NodeEntry& n) { return n.address.isV6(); }));
    QVERIFY(!RoutingTable::deserialize("garbage"));
    QVERIFY(!RoutingTable::deserialize("d2:id3:abce"));
  }
};

QTEST_GUILESS_MAIN(TstDhtRouting)
#include "tst_dht_routing.moc"
