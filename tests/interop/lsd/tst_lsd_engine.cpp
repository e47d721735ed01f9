// Local Service Discovery through the whole engine: two engines in a private
// network namespace, one seeding a torrent and one downloading it with no
// tracker, no DHT and no peer address: they can only meet through their
// BEP 14 announces. sha256-verified.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <thread>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "unit/lsd/PrivateNetwork.h"

using namespace tributary;
using namespace std::chrono_literals;

namespace {

void lsdOnly(EngineConfig& config) {
  config.enableLsd = true;
  config.enableDht = false;
  config.enablePex = false;
}

bool hasLsdPeer(const TaskSnapshot& s) {
  return s.torrent &&
         std::any_of(s.torrent->peers.begin(), s.torrent->peers.end(),
                     [](const PeerSnapshot& p) { return p.source == PeerSource::Lsd; });
}

}  // namespace

class TestLsdEngine : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (const QString why = test::enterPrivateNetwork(); !why.isEmpty()) {
      QSKIP(qPrintable(why));
    }
    QCOMPARE(fixture_.create(16, 31), QString());
  }

  void peersMeetThroughLsd() {
    test::EngineSession seeder(lsdOnly);
    AddParams seed;
    seed.source = fixture_.torrentFile().toStdString();
    seed.saveDir = fixture_.contentParent().toStdString();
    seed.seedTime = 600s;
    const TaskId seedId = seeder.add(seed);
    QVERIFY(seeder.waitForSnapshot(
        seedId, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }));

    QTemporaryDir out;
    test::EngineSession leecher(lsdOnly);
    AddParams get;
    get.source = fixture_.torrentFile().toStdString();
    get.saveDir = out.path().toStdString();
    get.maxDownloadRate = 4 << 20;  // a few seconds: time to see who found whom
    const TaskId id = leecher.add(get);
    // Whichever side dialled, it did so because of an LSD announce.
    bool tagged = false;
    for (int i = 0; i < 3000 && !tagged; ++i) {  // 60 s at most
      tagged = hasLsdPeer(leecher.latest(id)) || hasLsdPeer(seeder.latest(seedId));
      if (!tagged && leecher.latest(id).state == TaskState::Completed) {
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
    QVERIFY2(tagged, "no peer tagged as found through LSD");
    auto end = leecher.waitForEnd(id, 90s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestLsdEngine)
#include "tst_lsd_engine.moc"
