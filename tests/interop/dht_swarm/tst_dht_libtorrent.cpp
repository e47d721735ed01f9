// Interop: a DHT of six python3-libtorrent sessions on 127.0.0.1, one of them
// announcing an info-hash. Our DhtNode, told about one session only, finds
// that peer with get_peers, and libtorrent's routing tables take our node in.
// The same again on ::1 (BEP 32): libtorrent's IPv6 DHT and our IPv6 node.
#include <sys/prctl.h>

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <future>
#include <memory>

#include "DhtSwarm.h"
#include "engine/dht/DhtNode.h"
#include "engine/loop/EventLoop.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::dht;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

constexpr char kInfoHash[] = "5a1e5a1e0123456789abcdef0123456789abcdef";

}  // namespace

class TstDhtLibtorrent : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    if (!tributary::test::DhtSwarm::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
  }

  void findsPeerAndJoinsTheirTables() { findsPeerAndJoins(false); }

  void findsPeerAndJoinsTheirTablesOverIpv6() {
    if (!tributary::test::DhtSwarm::haveIpv6Loopback()) {
      QSKIP("this machine has no ::1");
    }
    findsPeerAndJoins(true);
  }

 private:
  void findsPeerAndJoins(bool ipv6) {
    tributary::test::DhtSwarm swarm;
    QString why;
    QStringList args{"--nodes", "6", "--info-hash", kInfoHash, "--lifetime", "120"};
    if (ipv6) {
      args << "--ipv6";
    }
    QVERIFY2(swarm.start(args, why), qPrintable(why));
    const auto nodes = swarm.waitLine("NODES ", 30s);
    QVERIFY2(nodes, qPrintable(swarm.log()));
    const QStringList ports = nodes->split(' ', Qt::SkipEmptyParts);
    QCOMPARE(ports.size(), 6);
    const auto peerPort = swarm.waitLine("PEER ", 10s);
    QVERIFY2(peerPort, qPrintable(swarm.log()));
    QVERIFY2(swarm.waitLine("READY", 60s), qPrintable(swarm.log()));

    EventLoop loop("dht-interop");
    loop.start();
    std::unique_ptr<DhtNode> node;
    // Bootstrapped from the first session only, which is not the announcer.
    const auto started = runOn(loop, [&] {
      DhtNodeOptions options;
      options.bindAddress = ipv6 ? SocketAddress::loopbackV6(0) : SocketAddress::loopbackV4(0);
      options.bootstrapNodes = {(ipv6 ? "[::1]:" : "127.0.0.1:") + ports.front().toStdString()};
      options.queriesPerSecondPerIp = 1000;  // every session shares one address
      options.queryBurstPerIp = 1000;
      node = std::make_unique<DhtNode>(loop, options);
      return node->start().ok();
    });
    QVERIFY(started);
    const SocketAddress expected = ipv6 ? SocketAddress::loopbackV6(peerPort->toUShort())
                                        : SocketAddress::loopbackV4(peerPort->toUShort());

    bool found = false;
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < 30 && !found && clock.elapsed() < 40000; ++round) {
      std::promise<std::vector<SocketAddress>> result;
      auto future = result.get_future();
      runOn(loop, [&] {
        auto got = std::make_shared<std::vector<SocketAddress>>();
        node->getPeers(
            *NodeId::fromHex(kInfoHash),
            [got](const std::vector<SocketAddress>& p) {
              got->insert(got->end(), p.begin(), p.end());
            },
            [got, &result](std::size_t) { result.set_value(*got); });
      });
      QVERIFY(waitReady(future, 30s));
      const auto peers = future.get();
      found = std::find(peers.begin(), peers.end(), expected) != peers.end();
      if (!found) {
        std::this_thread::sleep_for(200ms);  // between rounds, not a readiness wait
      }
    }
    QVERIFY2(found, "our node did not find the announced peer");
    QVERIFY(runOn(loop, [&] { return node->nodeCount(); }) >= 3);

    // libtorrent's tables: the sessions we queried keep us (after pinging us back).
    const auto ourPort = runOn(loop, [&] { return node->localAddress().port(); });
    int seen = 0;
    for (int round = 0; round < 20 && seen == 0 && clock.elapsed() < 80000; ++round) {
      swarm.write(QStringLiteral("SEEN %1").arg(ourPort));
      const auto answer = swarm.waitLine("SEEN ", 20s);
      QVERIFY2(answer, qPrintable(swarm.log()));
      seen = answer->toInt();
      if (seen == 0) {
        std::this_thread::sleep_for(500ms);
      }
    }
    QVERIFY2(seen >= 1, qPrintable(swarm.log()));
    qInfo() << "our node is in" << seen << "of 6 libtorrent routing tables";

    runOn(loop, [&] { node.reset(); });
    QCOMPARE(loop.stop(), 0);
    swarm.stop();
  }
};

QTEST_GUILESS_MAIN(TstDhtLibtorrent)
#include "tst_dht_libtorrent.moc"
