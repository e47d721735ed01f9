// DhtNodes on 127.0.0.1 (one loop, ports from bind(0)): bootstrap, routing
// tables filling up, an announced peer found by a third node, the saved table
// reloaded; and the answers a raw socket gets (204, 203, rate limit, size).
#include <QtTest>

#include <future>
#include <memory>
#include <vector>

#include "engine/dht/DhtNode.h"
#include "engine/dht/QueryResponder.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::dht;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

DhtNodeOptions loopbackOptions(std::vector<std::string> bootstrap = {}) {
  DhtNodeOptions o;
  o.bindAddress = SocketAddress::loopbackV4(0);
  o.bootstrapNodes = std::move(bootstrap);
  o.queryTimeout = 1000ms;
  o.lookupTimeout = 5s;
  return o;
}

// Polls `probe` on the loop thread until it holds or the deadline passes.
template <class F>
bool eventually(EventLoop& loop, F probe, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (runOn(loop, probe)) {
      return true;
    }
    std::this_thread::sleep_for(20ms);  // a poll interval, not a wait for readiness
  }
  return false;
}

std::string textOf(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A raw UDP socket speaking KRPC by hand, collecting what comes back.
struct RawPeer {
  explicit RawPeer(EventLoop& loop) : socket(loop) {}
  UdpSocket socket;
  std::vector<std::string> received;
};

}  // namespace

class TstDhtNode : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

  std::unique_ptr<DhtNode> makeNode(DhtNodeOptions options) {
    return runOn(*loop_, [&] {
      auto node = std::make_unique<DhtNode>(*loop_, std::move(options));
      const auto started = node->start();
      return started ? std::move(node) : nullptr;
    });
  }
  void destroy(std::unique_ptr<DhtNode>& node) {
    runOn(*loop_, [&] { node.reset(); });
  }
  // Runs get_peers rounds from `node` until `peer` is among the answers (the
  // announce_peer that stores it may land a moment after the announcer's lookup ended).
  bool findsPeer(DhtNode& node, const InfoHash& infoHash, const SocketAddress& peer) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (int round = 0; round < 50 && std::chrono::steady_clock::now() < deadline; ++round) {
      std::promise<std::vector<SocketAddress>> result;
      auto future = result.get_future();
      runOn(*loop_, [&] {
        auto got = std::make_shared<std::vector<SocketAddress>>();
        node.getPeers(
            infoHash,
            [got](const std::vector<SocketAddress>& p) {
              got->insert(got->end(), p.begin(), p.end());
            },
            [got, &result](std::size_t) { result.set_value(*got); });
      });
      if (!waitReady(future, 10s)) {
        return false;
      }
      const auto peers = future.get();
      if (std::find(peers.begin(), peers.end(), peer) != peers.end()) {
        return true;
      }
      std::this_thread::sleep_for(50ms);  // between rounds, not a readiness wait
    }
    return false;
  }
  std::string address(DhtNode& node) {
    return runOn(*loop_, [&] { return node.localAddress().toString(); });
  }

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("dht");
    loop_->start();
  }
  void cleanup() { QCOMPARE(loop_->stop(), 0); }

  void threeNodesFindAnAnnouncedPeer() {
    auto a = makeNode(loopbackOptions());
    QVERIFY(a);
    auto b = makeNode(loopbackOptions({address(*a)}));
    auto c = makeNode(loopbackOptions({address(*a)}));
    QVERIFY(b && c);
    // Each learns the others: b and c through a's answers and their own lookups.
    QVERIFY(eventually(
        *loop_, [&] { return a->nodeCount() >= 2 && b->nodeCount() >= 2 && c->nodeCount() >= 2; }));

    const InfoHash infoHash = NodeId::random();
    std::promise<std::size_t> announced;
    auto announcedDone = announced.get_future();
    runOn(*loop_, [&] {
      b->announce(infoHash, 7001, false, nullptr,
                  [&](std::size_t found) { announced.set_value(found); });
    });
    QVERIFY(waitReady(announcedDone, 10s));
    // The announce_peer queries are out; wait until a stored it.
    QVERIFY(eventually(*loop_, [&] { return a->stats().queriesAnswered > 0; }));

    const bool found = findsPeer(*c, infoHash, SocketAddress::loopbackV4(7001));
    QVERIFY2(found, "c did not find the peer b announced");

    destroy(a);
    destroy(b);
    destroy(c);
  }

  void impliedPortUsesSourcePort() {
    auto a = makeNode(loopbackOptions());
    QVERIFY(a);
    auto b = makeNode(loopbackOptions({address(*a)}));
    auto c = makeNode(loopbackOptions({address(*a)}));
    QVERIFY(b && c);
    QVERIFY(eventually(*loop_, [&] { return b->nodeCount() >= 1 && c->nodeCount() >= 1; }));
    const InfoHash infoHash = NodeId::random();
    std::promise<void> done;
    auto f = done.get_future();
    runOn(*loop_,
          [&] { b->announce(infoHash, 0, true, nullptr, [&](std::size_t) { done.set_value(); }); });
    QVERIFY(waitReady(f, 10s));
    const std::uint16_t bPort = runOn(*loop_, [&] { return b->localAddress().port(); });
    QVERIFY(findsPeer(*c, infoHash, SocketAddress::loopbackV4(bPort)));
    destroy(a);
    destroy(b);
    destroy(c);
  }

  void savedTableIsReloaded() {
    auto a = makeNode(loopbackOptions());
    auto b = makeNode(loopbackOptions({address(*a)}));
    QVERIFY(a && b);
    QVERIFY(eventually(*loop_, [&] { return b->nodeCount() >= 1; }));
    const std::string saved = runOn(*loop_, [&] { return b->saveState(); });
    const NodeId oldId = runOn(*loop_, [&] { return b->id(); });
    destroy(b);
    DhtNodeOptions options = loopbackOptions();  // no bootstrap: only the saved table
    options.savedState = saved;
    auto again = makeNode(options);
    QVERIFY(again);
    QCOMPARE(runOn(*loop_, [&] { return again->id(); }), oldId);
    QVERIFY(eventually(*loop_, [&] { return again->nodeCount() >= 1; }));
    destroy(again);
    destroy(a);
  }

  void rawQueriesGetTheRightAnswers() {
    DhtNodeOptions options = loopbackOptions();
    options.queriesPerSecondPerIp = 1;
    options.queryBurstPerIp = 5;
    auto a = makeNode(options);
    QVERIFY(a);
    std::unique_ptr<RawPeer> rawPeer =
        runOn(*loop_, [&] { return std::make_unique<RawPeer>(*loop_); });
    RawPeer& raw = *rawPeer;
    const SocketAddress target = runOn(*loop_, [&] { return a->localAddress(); });
    QVERIFY(runOn(*loop_, [&] { return raw.socket.bind(SocketAddress::loopbackV4(0)).ok(); }));
    runOn(*loop_, [&] {
      raw.socket.setOnReceive([&](const SocketAddress&, std::span<const std::byte> bytes) {
        // The node pings us back (we are new to it): keep only its answers.
        KrpcDecodeFailure failure;
        const auto m = decodeKrpc(textOf(bytes), failure);
        if (!m || m->kind != KrpcKind::Query) {
          raw.received.push_back(textOf(bytes));
        }
      });
      const std::string id(20, 'q');
      const std::string unknown = "d1:ad2:id20:" + id + "e1:q4:vote1:t2:u11:y1:qe";
      const std::string malformed = "d1:ad2:id3:abce1:q4:ping1:t2:m11:y1:qe";
      (void)raw.socket.send(target, std::as_bytes(std::span(unknown)));
      (void)raw.socket.send(target, std::as_bytes(std::span(malformed)));
      // A flood: only the burst is answered.
      for (int i = 0; i < 50; ++i) {
        const std::string ping =
            "d1:ad2:id20:" + id + "e1:q4:ping1:t2:p" + static_cast<char>('A' + i % 26) + "1:y1:qe";
        (void)raw.socket.send(target, std::as_bytes(std::span(ping)));
      }
    });
    QVERIFY(eventually(*loop_, [&] { return raw.received.size() >= 5; }));
    std::this_thread::sleep_for(300ms);  // time for any excess answer to show up (it must not)
    const auto got = runOn(*loop_, [&] { return raw.received; });
    QCOMPARE(got.size(), std::size_t{5});
    KrpcDecodeFailure failure;
    const auto first = decodeKrpc(got[0], failure);
    QVERIFY(first && first->kind == KrpcKind::Error);
    QCOMPARE(first->error.code, kKrpcMethodUnknown);
    const auto second = decodeKrpc(got[1], failure);
    QVERIFY(second && second->kind == KrpcKind::Error);
    QCOMPARE(second->error.code, kKrpcProtocolError);
    QCOMPARE(second->transactionId, std::string("m1"));
    runOn(*loop_, [&] { rawPeer.reset(); });
    destroy(a);
  }

  void answersStayBounded() {
    RoutingTable table(NodeId::random());
    for (std::uint16_t i = 1; i <= 100; ++i) {
      table.onReply({NodeId::random(), *SocketAddress::parse("2001:db8::1", i)}, 0);
      table.onReply({NodeId::random(), SocketAddress::v4({10, 0, 0, 1}, i)}, 0);
    }
    TokenStore tokens(0);
    PeerStore peers;
    const InfoHash ih = NodeId::random();
    for (std::uint16_t i = 1; i <= 100; ++i) {
      peers.announce(ih, *SocketAddress::parse("2001:db8::2", i), 0);
    }
    QueryResponderContext ctx{table, tokens, peers, SocketAddress::Family::V6, "TR"};
    KrpcMessage q;
    q.transactionId = "tt";
    q.query.method = KrpcMethod::GetPeers;
    q.query.infoHash = ih;
    q.query.wantV4 = q.query.wantV6 = true;
    const auto from = *SocketAddress::parse("2001:db8::9", 9);
    const std::string wire = answerQuery(q, from, ctx, 0);
    QVERIFY(wire.size() <= kMaxAnswerBytes);
    KrpcDecodeFailure failure;
    const auto answer = decodeKrpc(wire, failure);
    QVERIFY(answer);
    QVERIFY(!answer->response.values.empty());
    QCOMPARE(answer->response.nodes.size(), std::size_t{16});
    QVERIFY(tokens.verify(answer->response.token, from, 0));
  }
};

QTEST_GUILESS_MAIN(TstDhtNode)
#include "tst_dht_node.moc"
