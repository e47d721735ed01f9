// DualStackDht (BEP 32) on 127.0.0.1 and ::1, one loop, ports from bind(0):
// three dual-stack DHTs find each other on both families, one lookup finds
// an announced peer on both and ends once with the total, "want" gets both
// families from one node, the IPv6 node asks for n6, and the saved state
// brings both tables back. Skipped where the machine has no ::1; the
// IPv4-only cases (a damaged saved state, no IPv6 node) run everywhere.
#include <QtTest>

#include <atomic>
#include <future>
#include <memory>
#include <set>
#include <vector>

#include "engine/dht/DualStackDht.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::dht;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

DualStackDhtOptions loopbackOptions(std::vector<std::string> bootstrap = {}, bool ipv6 = true) {
  DualStackDhtOptions o;
  o.node.bindAddress = SocketAddress::loopbackV4(0);
  o.node.bootstrapNodes = std::move(bootstrap);
  o.node.queryTimeout = 1000ms;
  o.node.lookupTimeout = 5s;
  o.node.queriesPerSecondPerIp = 1000;  // everyone shares one address
  o.node.queryBurstPerIp = 1000;
  o.bindV6 = ipv6 ? SocketAddress::loopbackV6(0) : SocketAddress();
  return o;
}

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

struct RawPeer {
  explicit RawPeer(EventLoop& loop) : socket(loop) {}
  UdpSocket socket;
  std::vector<KrpcMessage> received;
};

// Destroys on the loop's thread, also when a failed check leaves the test early.
template <class T>
struct OnLoopDeleter {
  EventLoop* loop = nullptr;
  void operator()(T* object) const {
    runOn(*loop, [object] { delete object; });
  }
};
using Dht = std::unique_ptr<DualStackDht, OnLoopDeleter<DualStackDht>>;
using Raw = std::unique_ptr<RawPeer, OnLoopDeleter<RawPeer>>;

struct LookupResult {
  std::vector<SocketAddress> peers;
  std::size_t total = 0;
  int dones = 0;
};

}  // namespace

class TstDhtDualStack : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;
  bool haveV6_ = false;

  Dht make(DualStackDhtOptions options) {
    Dht dht(runOn(*loop_,
                  [&] {
                    auto made = std::make_unique<DualStackDht>(*loop_, std::move(options));
                    return made->start() ? made.release() : nullptr;
                  }),
            OnLoopDeleter<DualStackDht>{loop_.get()});
    return dht;
  }
  void destroy(Dht& dht) { dht.reset(); }
  std::vector<std::string> addressesOf(DualStackDht& dht) {
    return runOn(*loop_, [&] {
      std::vector<std::string> out;
      for (DhtNode* node : {dht.v4(), dht.v6()}) {
        if (node) {
          out.push_back(node->localAddress().toString());
        }
      }
      return out;
    });
  }
  std::size_t count(DualStackDht& dht, bool ipv6) {
    return runOn(*loop_, [&] {
      DhtNode* node = ipv6 ? dht.v6() : dht.v4();
      return node ? node->nodeCount() : std::size_t{0};
    });
  }
  // One getPeers round; waits for its done callback and a little after it
  // for a second one (there must be none).
  std::optional<LookupResult> lookupOnce(DualStackDht& dht, const InfoHash& infoHash) {
    auto result = std::make_shared<LookupResult>();
    auto promise = std::make_shared<std::promise<void>>();
    auto future = promise->get_future();
    const auto id = runOn(*loop_, [&] {
      return dht.getPeers(
          infoHash,
          [result](const std::vector<SocketAddress>& p) {
            result->peers.insert(result->peers.end(), p.begin(), p.end());
          },
          [result, promise](std::size_t total) {
            result->total = total;
            if (++result->dones == 1) {
              promise->set_value();
            }
          });
    });
    if (id == 0 || !waitReady(future, 10s)) {
      return std::nullopt;
    }
    return runOn(*loop_, [&] { return *result; });
  }

 private slots:
  void initTestCase() {
    loop_ = std::make_unique<EventLoop>("dht-dual");
    loop_->start();
    haveV6_ = runOn(*loop_, [&] {
      UdpSocket probe(*loop_);
      return probe.bind(SocketAddress::loopbackV6(0)).ok();
    });
  }
  void cleanupTestCase() { QCOMPARE(loop_->stop(), 0); }

  void lookupRunsOnBothFamiliesAndEndsOnce() {
    if (!haveV6_) {
      QSKIP("this machine has no ::1");
    }
    auto a = make(loopbackOptions());
    QVERIFY(a);
    QVERIFY(runOn(*loop_, [&] { return a->v4() && a->v6(); }));
    // Both nodes share one id (BEP 32).
    QVERIFY(
        runOn(*loop_, [&] { return a->v4()->id() == a->v6()->id() && a->id() == a->v4()->id(); }));
    auto b = make(loopbackOptions(addressesOf(*a)));
    auto c = make(loopbackOptions(addressesOf(*a)));
    QVERIFY(b && c);
    QVERIFY(eventually(*loop_, [&] {
      for (DualStackDht* d : {a.get(), b.get(), c.get()}) {
        if (d->v4()->nodeCount() < 2 || d->v6()->nodeCount() < 2) {
          return false;
        }
      }
      return true;
    }));
    QCOMPARE(runOn(*loop_, [&] { return a->nodeCount(); }), count(*a, false) + count(*a, true));

    const InfoHash infoHash = NodeId::random();
    auto announced = std::make_shared<std::promise<void>>();
    auto announcedDone = announced->get_future();
    QVERIFY(runOn(*loop_, [&] {
              return c->announce(infoHash, 7001, false, nullptr,
                                 [announced](std::size_t) { announced->set_value(); });
            }) != 0);
    QVERIFY(waitReady(announcedDone, 10s));

    const std::set<SocketAddress> wanted{SocketAddress::loopbackV4(7001),
                                         SocketAddress::loopbackV6(7001)};
    std::optional<LookupResult> found;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (int round = 0; round < 50 && std::chrono::steady_clock::now() < deadline; ++round) {
      found = lookupOnce(*b, infoHash);
      QVERIFY(found);
      const std::set<SocketAddress> got(found->peers.begin(), found->peers.end());
      if (got == wanted) {
        break;
      }
      found.reset();
      std::this_thread::sleep_for(50ms);  // the announce may land after its lookup ended
    }
    QVERIFY2(found, "b did not find c's announce on both families");
    QCOMPARE(found->total, std::size_t{2});
    std::this_thread::sleep_for(200ms);  // time for a second done callback to show up (it must not)
    QCOMPARE(found->dones, 1);

    destroy(a);
    destroy(b);
    destroy(c);
  }

  void wantGetsBothFamiliesAndTheV6NodeAsksForN6() {
    if (!haveV6_) {
      QSKIP("this machine has no ::1");
    }
    auto a = make(loopbackOptions());
    QVERIFY(a);
    auto b = make(loopbackOptions(addressesOf(*a)));
    QVERIFY(b);
    // Confirmed (b answered a's ping) on both: only those are handed out.
    QVERIFY(eventually(*loop_, [&] {
      return a->v4()->stats().goodNodes >= 1 && a->v6()->stats().goodNodes >= 1;
    }));

    Raw raw4(runOn(*loop_, [&] { return new RawPeer(*loop_); }), {loop_.get()});
    Raw raw6(runOn(*loop_, [&] { return new RawPeer(*loop_); }), {loop_.get()});
    const SocketAddress a4 = runOn(*loop_, [&] { return a->v4()->localAddress(); });
    QVERIFY(runOn(*loop_, [&] {
      for (RawPeer* raw : {raw4.get(), raw6.get()}) {
        raw->socket.setOnReceive([raw](const SocketAddress&, std::span<const std::byte> bytes) {
          KrpcDecodeFailure failure;
          if (auto m = decodeKrpc(textOf(bytes), failure)) {
            raw->received.push_back(std::move(*m));
          }
        });
      }
      return raw4->socket.bind(SocketAddress::loopbackV4(0)).ok() &&
             raw6->socket.bind(SocketAddress::loopbackV6(0)).ok();
    }));
    // find_node to the IPv4 node, asking for both families.
    const std::string id(20, 'w');
    runOn(*loop_, [&] {
      const std::string both = "d1:ad2:id20:" + id + "6:target20:" + std::string(20, 'x') +
                               "4:wantl2:n42:n6ee1:q9:find_node1:t2:w11:y1:qe";
      (void)raw4->socket.send(a4, std::as_bytes(std::span(both)));
    });
    QVERIFY(eventually(*loop_, [&] {
      return std::any_of(raw4->received.begin(), raw4->received.end(),
                         [](const KrpcMessage& m) { return m.kind == KrpcKind::Response; });
    }));
    const KrpcMessage answer = runOn(*loop_, [&] {
      return *std::find_if(raw4->received.begin(), raw4->received.end(),
                           [](const KrpcMessage& m) { return m.kind == KrpcKind::Response; });
    });
    QVERIFY(std::any_of(answer.response.nodes.begin(), answer.response.nodes.end(),
                        [](const NodeEntry& n) { return n.address.isV4(); }));
    QVERIFY(std::any_of(answer.response.nodes.begin(), answer.response.nodes.end(),
                        [](const NodeEntry& n) { return n.address.isV6(); }));

    // A new DHT bootstrapping from our raw IPv6 socket: its find_node says "want": ["n6"].
    const std::string raw6Address =
        runOn(*loop_, [&] { return raw6->socket.localAddress().toString(); });
    auto d = make(loopbackOptions({raw6Address}));
    QVERIFY(d);
    QVERIFY(eventually(*loop_, [&] {
      return std::any_of(raw6->received.begin(), raw6->received.end(), [](const KrpcMessage& m) {
        return m.kind == KrpcKind::Query && m.query.method == KrpcMethod::FindNode;
      });
    }));
    const KrpcMessage query = runOn(*loop_, [&] {
      return *std::find_if(raw6->received.begin(), raw6->received.end(),
                           [](const KrpcMessage& m) { return m.kind == KrpcKind::Query; });
    });
    QVERIFY(query.query.wantV6);
    QVERIFY(!query.query.wantV4);

    raw4.reset();
    raw6.reset();
    destroy(d);
    destroy(a);
    destroy(b);
  }

  void savedStateBringsBothTablesBack() {
    if (!haveV6_) {
      QSKIP("this machine has no ::1");
    }
    auto a = make(loopbackOptions());
    QVERIFY(a);
    auto b = make(loopbackOptions(addressesOf(*a)));
    QVERIFY(b);
    QVERIFY(
        eventually(*loop_, [&] { return b->v4()->nodeCount() >= 1 && b->v6()->nodeCount() >= 1; }));
    const std::string saved = runOn(*loop_, [&] { return b->saveState(); });
    const NodeId oldId = runOn(*loop_, [&] { return b->id(); });
    destroy(b);
    DualStackDhtOptions options = loopbackOptions();  // no bootstrap: only the saved tables
    options.node.savedState = saved;
    auto again = make(options);
    QVERIFY(again);
    QCOMPARE(runOn(*loop_, [&] { return again->id(); }), oldId);
    QCOMPARE(runOn(*loop_, [&] { return again->v6()->id(); }), oldId);
    QVERIFY(eventually(
        *loop_, [&] { return again->v4()->nodeCount() >= 1 && again->v6()->nodeCount() >= 1; }));
    destroy(again);
    destroy(a);
  }

  void damagedStateAndNoIpv6StillRun() {
    DualStackDhtOptions options = loopbackOptions({}, false);
    options.node.savedState = "d6:formati2e2:id20:0123";  // cut short
    auto a = make(options);
    QVERIFY(a);
    QVERIFY(runOn(*loop_, [&] { return a->v4() != nullptr && a->v6() == nullptr; }));
    QCOMPARE(runOn(*loop_, [&] { return a->nodeCount(); }), std::size_t{0});
    QVERIFY(runOn(*loop_, [&] { return a->port(); }) != 0);
    // A lookup on an empty table still ends, once, after the call returns.
    const auto result = lookupOnce(*a, NodeId::random());
    QVERIFY(result);
    QCOMPARE(result->total, std::size_t{0});
    QCOMPARE(result->dones, 1);
    auto b = make(loopbackOptions(addressesOf(*a), false));
    QVERIFY(b);
    QVERIFY(eventually(*loop_, [&] { return a->nodeCount() >= 1; }));
    // A saved state of this DHT alone has no IPv6 node in it.
    const auto saved = RoutingTable::deserialize(runOn(*loop_, [&] { return a->saveState(); }));
    QVERIFY(saved);
    QVERIFY(std::none_of(saved->nodes.begin(), saved->nodes.end(),
                         [](const NodeEntry& n) { return n.address.isV6(); }));
    destroy(a);
    destroy(b);
  }

  void anIpv6AddressThatCannotBeBoundLeavesIpv4() {
    DualStackDhtOptions options = loopbackOptions();
    // Not an address of this host: bind fails whatever the machine has.
    options.bindV6 = *SocketAddress::parse("2001:db8::1234", 0);
    auto a = make(options);
    QVERIFY(a);
    QVERIFY(runOn(*loop_, [&] { return a->v4() != nullptr && a->v6() == nullptr; }));
    // A PORT message's node of either family goes nowhere it cannot (no crash, no v6 node).
    runOn(*loop_, [&] {
      a->addNode(SocketAddress::loopbackV6(9));
      a->addNode(*SocketAddress::parse("::ffff:127.0.0.1", 9));
    });
    destroy(a);
  }
};

QTEST_GUILESS_MAIN(TstDhtDualStack)
#include "tst_dht_dual_stack.moc"
