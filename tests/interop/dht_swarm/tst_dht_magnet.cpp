// A magnet with no tracker and no peer address: the whole engine finds the
// seeder through a DHT of python3-libtorrent sessions on 127.0.0.1 (the one
// session we are told about does not hold the announce), fetches the
// metadata from it and then the content, sha256-verified. Then the same
// through an IPv6 DHT alone (BEP 32): the sessions and the seeder on ::1
// only, our engine told about one of them as "[::1]:port".
#include <QtTest>

#include <algorithm>
#include <chrono>

#include "../bt_download/TorrentFixture.h"
#include "DhtSwarm.h"
#include "engine/api/Engine.h"
#include "engine/dht/RoutingTable.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;

class TestDhtMagnet : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::DhtSwarm::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 23), QString());
  }

  void magnetThroughDhtAlone() { magnetThroughDht(false); }

  void magnetThroughIpv6DhtAlone() {
    if (!test::DhtSwarm::haveIpv6Loopback()) {
      QSKIP("this machine has no ::1");
    }
    magnetThroughDht(true);
  }

 private:
  void magnetThroughDht(bool ipv6) {
    const QString infoHash = test::TorrentFixture::infoHashOf(fixture_.torrentFile());
    QVERIFY(!infoHash.isEmpty());
    test::DhtSwarm swarm;
    QString why;
    QStringList args{"--nodes",     "6",
                     "--info-hash", infoHash,
                     "--torrent",   fixture_.torrentFile(),
                     "--data",      fixture_.contentParent(),
                     "--lifetime",  "150"};
    if (ipv6) {
      args << "--ipv6";
    }
    QVERIFY2(swarm.start(args, why), qPrintable(why));
    const std::optional<QString> nodes = swarm.waitLine("NODES", 30s);
    QVERIFY2(nodes, qPrintable(swarm.log()));
    const QStringList ports = nodes->split(' ', Qt::SkipEmptyParts);
    QVERIFY(ports.size() == 6);
    QVERIFY2(swarm.waitLine("READY", 60s), qPrintable(swarm.log()));

    QTemporaryDir out;
    // The routing tables' file starts damaged: the DHT bootstraps as if it were absent.
    QTemporaryDir stateDir;
    const QString stateFile = stateDir.filePath("dht.state");
    {
      QFile damaged(stateFile);
      QVERIFY(damaged.open(QIODevice::WriteOnly));
      damaged.write("d6:formati2e2:id20:\x01\x02 cut short");
    }
    test::EngineSession session([&](EngineConfig& config) {
      config.enableDht = true;
      config.dhtStateFile = stateFile.toStdString();
      // Not the seeder. On IPv6, only our IPv6 node can use it: the IPv4 one stays empty.
      config.dhtBootstrap = {(ipv6 ? "[::1]:" : "127.0.0.1:") + ports.first().toStdString()};
    });
    AddParams params;
    params.source = QStringLiteral("magnet:?xt=urn:btih:%1").arg(infoHash).toStdString();
    params.saveDir = out.path().toStdString();
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    auto metadata =
        session.waitForEvent(id, {Event::Kind::MetadataReceived, Event::Kind::Failed}, 60s);
    QVERIFY2(metadata && metadata->kind == Event::Kind::MetadataReceived,
             metadata ? metadata->message.c_str() : "no metadata through the DHT in time");
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
    const TaskSnapshot s = session.latest(id);
    QVERIFY(s.torrent.has_value());
    QVERIFY(s.torrent->trackers.empty());
    // The engine's DHT knows the swarm's nodes (the status bar's figure).
    QVERIFY(session.waitForStats([](const EngineStats& stats) { return stats.dhtNodes >= 3; }));

    // At exit the file gets the swarm's nodes, in the family they were met on.
    session.stop();
    QFile saved(stateFile);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray bytes = saved.readAll();
    const auto table = dht::RoutingTable::deserialize(std::string_view(bytes.data(), bytes.size()));
    QVERIFY(table);
    const auto family = ipv6 ? loop::SocketAddress::Family::V6 : loop::SocketAddress::Family::V4;
    QVERIFY(std::count_if(table->nodes.begin(), table->nodes.end(), [&](const dht::NodeEntry& n) {
              return n.address.family() == family;
            }) >= 3);
  }

  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestDhtMagnet)
#include "tst_dht_magnet.moc"
