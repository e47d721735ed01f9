// The pieces of the BEP 32 dual-stack DHT that need no socket: the fan-in
// that makes one lookup of two (done once, with the total), the saved state
// holding both tables (and reading the older one-table file, and surviving
// damaged bytes), the peers a reply's "values" may carry, and "want"
// answered from the sibling node's table.
#include <QtTest>

#include <random>
#include <string>
#include <vector>

#include "engine/dht/CompactAddress.h"
#include "engine/dht/Krpc.h"
#include "engine/dht/LookupFanIn.h"
#include "engine/dht/QueryResponder.h"
#include "engine/dht/RoutingTable.h"

using namespace tributary;
using namespace tributary::dht;
using loop::SocketAddress;

namespace {

SocketAddress v6(const char* ip, std::uint16_t port) {
  return *SocketAddress::parse(ip, port);
}

// A table of `self` holding `count` confirmed nodes of one family.
RoutingTable tableWith(const NodeId& self, bool ipv6, std::uint16_t count) {
  RoutingTable table(self);
  for (std::uint16_t i = 1; i <= count; ++i) {
    const SocketAddress a = ipv6 ? v6("2001:db8::1", i)
                                 : SocketAddress::v4({10, 0, static_cast<std::uint8_t>(i), 1}, i);
    table.onReply({NodeId::random(), a}, 0);
  }
  return table;
}

std::size_t countFamily(const std::vector<NodeEntry>& nodes, SocketAddress::Family family) {
  return static_cast<std::size_t>(
      std::count_if(nodes.begin(), nodes.end(),
                    [&](const NodeEntry& n) { return n.address.family() == family; }));
}

}  // namespace

class TstDhtDualStackParts : public QObject {
  Q_OBJECT
 private slots:
  void fanInIsDoneOnceWithTheTotal() {
    std::vector<SocketAddress> peers;
    std::vector<std::size_t> dones;
    LookupFanIn fan(
        [&](const std::vector<SocketAddress>& p) { peers.insert(peers.end(), p.begin(), p.end()); },
        [&](std::size_t total) { dones.push_back(total); });
    fan.addPart();
    fan.addPart();
    fan.seal();
    fan.partPeers({SocketAddress::loopbackV4(1)});
    fan.partDone(1);
    QVERIFY(dones.empty());  // the other part still runs
    fan.partPeers({SocketAddress::loopbackV6(2), SocketAddress::loopbackV6(3)});
    fan.partDone(2);
    QCOMPARE(dones, std::vector<std::size_t>{3});
    QCOMPARE(peers.size(), std::size_t{3});
    // Late or repeated reports change nothing.
    fan.partDone(5);
    fan.partPeers({SocketAddress::loopbackV4(9)});
    QCOMPARE(dones, std::vector<std::size_t>{3});
    QCOMPARE(peers.size(), std::size_t{3});
    QVERIFY(fan.done());
  }

  void fanInWaitsForSeal() {
    int dones = 0;
    std::size_t total = 99;
    LookupFanIn fan(nullptr, [&](std::size_t t) {
      ++dones;
      total = t;
    });
    fan.addPart();
    fan.partDone(4);  // a part done before the last one started
    QCOMPARE(dones, 0);
    fan.addPart();
    fan.dropPart();  // that one could not start
    QCOMPARE(dones, 0);
    fan.seal();
    QCOMPARE(dones, 1);
    QCOMPARE(total, std::size_t{4});
    fan.seal();
    fan.dropPart();
    QCOMPARE(dones, 1);
  }

  void fanInReportsEmptyPeerListsNot() {
    int calls = 0;
    LookupFanIn fan([&](const std::vector<SocketAddress>&) { ++calls; }, nullptr);
    fan.addPart();
    fan.partPeers({});
    QCOMPARE(calls, 0);
    fan.seal();
    fan.partDone(0);  // no done callback set: nothing to call, nothing breaks
    QVERIFY(fan.done());
  }

  void savedStateKeepsBothTables() {
    const NodeId self = NodeId::random();
    const RoutingTable four = tableWith(self, false, 6);
    const RoutingTable six = tableWith(self, true, 5);
    const std::string bytes = RoutingTable::serializeTables(self, {&four, nullptr, &six});
    QVERIFY(bytes.find("6:formati2e") != std::string::npos);
    const auto saved = RoutingTable::deserialize(bytes);
    QVERIFY(saved);
    QCOMPARE(saved->self, self);
    QCOMPARE(countFamily(saved->nodes, SocketAddress::Family::V4), std::size_t{6});
    QCOMPARE(countFamily(saved->nodes, SocketAddress::Family::V6), std::size_t{5});
    // One table alone is the same format.
    const auto alone = RoutingTable::deserialize(four.serialize());
    QVERIFY(alone);
    QCOMPARE(alone->nodes.size(), std::size_t{6});
  }

  void savedStateReadsTheOldFormat() {
    // What the one-node DHT wrote before format 2: no "format" key.
    const NodeId self = NodeId::random();
    std::string nodes;
    appendCompactNode(nodes, {NodeId::random(), SocketAddress::v4({10, 1, 2, 3}, 6881)});
    appendCompactNode(nodes, {NodeId::random(), SocketAddress::v4({10, 1, 2, 4}, 6882)});
    const std::string old = "d2:id20:" + std::string(self.view()) + "5:nodes" +
                            std::to_string(nodes.size()) + ":" + nodes + "6:nodes60:e";
    const auto saved = RoutingTable::deserialize(old);
    QVERIFY(saved);
    QCOMPARE(saved->self, self);
    QCOMPARE(saved->nodes.size(), std::size_t{2});
    QCOMPARE(saved->nodes[1].address, SocketAddress::v4({10, 1, 2, 4}, 6882));
  }

  void damagedStateLoadsAsNothing() {
    const NodeId self = NodeId::random();
    const RoutingTable four = tableWith(self, false, 8);
    const RoutingTable six = tableWith(self, true, 8);
    const std::string good = RoutingTable::serializeTables(self, {&four, &six});
    // Every truncation: refused, never a crash (the whole-file parse is strict).
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      QVERIFY(!RoutingTable::deserialize(std::string_view(good).substr(0, cut)));
    }
    // Flipped bytes: whatever loads is bounded and well formed.
    std::mt19937 rng(42);
    for (int round = 0; round < 2000; ++round) {
      std::string bad = good;
      bad[rng() % bad.size()] = static_cast<char>(rng());
      if (auto saved = RoutingTable::deserialize(bad)) {
        QVERIFY(saved->nodes.size() <= 16);
        for (const NodeEntry& n : saved->nodes) {
          QVERIFY(n.address.isValid() && n.address.port() != 0);
        }
      }
    }
    QVERIFY(!RoutingTable::deserialize("d6:formati3e2:id20:01234567890123456789e"));  // newer
    QVERIFY(!RoutingTable::deserialize("d6:format1:22:id20:01234567890123456789e"));
    // A list of the wrong length costs that family only.
    std::string v6nodes;
    appendCompactNode(v6nodes, {NodeId::random(), v6("2001:db8::5", 5)});
    const auto partial =
        RoutingTable::deserialize("d6:formati2e2:id20:012345678901234567895:nodes3:abc6:nodes6" +
                                  std::to_string(v6nodes.size()) + ":" + v6nodes + "e");
    QVERIFY(partial);
    QCOMPARE(partial->nodes.size(), std::size_t{1});
    QVERIFY(partial->nodes[0].address.isV6());
  }

  void valuesAreUsablePeers() {
    QCOMPARE(usablePeer(SocketAddress::v4({10, 0, 0, 1}, 80)),
             std::optional(SocketAddress::v4({10, 0, 0, 1}, 80)));
    QCOMPARE(usablePeer(v6("2001:db8::7", 81)), std::optional(v6("2001:db8::7", 81)));
    // An IPv4-mapped IPv6 value (18 bytes) is the IPv4 peer.
    QCOMPARE(usablePeer(v6("::ffff:10.0.0.2", 82)),
             std::optional(SocketAddress::v4({10, 0, 0, 2}, 82)));
    QVERIFY(!usablePeer(SocketAddress::v4({10, 0, 0, 1}, 0)));
    QVERIFY(!usablePeer(SocketAddress::anyV4(80)));
    QVERIFY(!usablePeer(SocketAddress::anyV6(80)));
    QVERIFY(!usablePeer(SocketAddress::v4({239, 1, 1, 1}, 80)));
    QVERIFY(!usablePeer(v6("ff02::1", 80)));
    QVERIFY(!usablePeer(v6("::ffff:0.0.0.0", 80)));
    QVERIFY(!usablePeer(SocketAddress()));
    // Through the codec: an 18-byte value parses as IPv6.
    std::string compact;
    appendCompactPeer(compact, v6("2001:db8::9", 6881));
    QCOMPARE(compact.size(), kCompactPeerV6);
    QCOMPARE(parseCompactPeer(compact), std::optional(v6("2001:db8::9", 6881)));
  }

  void wantIsAnsweredFromTheSiblingTable() {
    const NodeId self = NodeId::random();
    RoutingTable four = tableWith(self, false, 8);
    const RoutingTable six = tableWith(self, true, 8);
    TokenStore tokens(0);
    PeerStore peers;
    KrpcMessage q;
    q.transactionId = "ww";
    q.query.method = KrpcMethod::FindNode;
    q.query.id = NodeId::random();
    q.query.target = NodeId::random();
    const SocketAddress from = SocketAddress::v4({10, 9, 9, 9}, 9);
    const auto ask = [&](bool n4, bool n6, const RoutingTable* sibling) {
      q.query.wantV4 = n4;
      q.query.wantV6 = n6;
      QueryResponderContext ctx{four, tokens, peers, SocketAddress::Family::V4, "TR", sibling};
      KrpcDecodeFailure failure;
      return decodeKrpc(answerQuery(q, from, ctx, 0), failure);
    };
    using F = SocketAddress::Family;
    // No "want": the socket's family.
    auto plain = ask(false, false, &six);
    QVERIFY(plain);
    QCOMPARE(countFamily(plain->response.nodes, F::V4), std::size_t{8});
    QCOMPARE(countFamily(plain->response.nodes, F::V6), std::size_t{0});
    // Both, with the sibling: "nodes" and "nodes6".
    auto both = ask(true, true, &six);
    QVERIFY(both);
    QCOMPARE(countFamily(both->response.nodes, F::V4), std::size_t{8});
    QCOMPARE(countFamily(both->response.nodes, F::V6), std::size_t{8});
    // Only n6 on the IPv4 socket.
    auto only6 = ask(false, true, &six);
    QVERIFY(only6);
    QCOMPARE(countFamily(only6->response.nodes, F::V4), std::size_t{0});
    QCOMPARE(countFamily(only6->response.nodes, F::V6), std::size_t{8});
    // A node without a sibling answers with what it has: its own family.
    auto alone = ask(true, true, nullptr);
    QVERIFY(alone);
    QCOMPARE(countFamily(alone->response.nodes, F::V4), std::size_t{8});
    QCOMPARE(countFamily(alone->response.nodes, F::V6), std::size_t{0});
  }
};

QTEST_GUILESS_MAIN(TstDhtDualStackParts)
#include "tst_dht_dual_stack_parts.moc"
