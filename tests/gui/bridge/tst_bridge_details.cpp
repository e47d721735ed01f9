// EngineBridge's details path: the watched task's peers, trackers, files and
// sources arrive as TaskDetails after each update that changed it (and only
// for that task); any task's latest details can be read at once from the
// bridge's own copy, which forgets removed tasks.
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include "gui/support/TorrentScript.h"
#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"

using tributary::ErrorCode;
using tributary::PeerSnapshot;
using tributary::PeerSource;
using tributary::SourceSnapshot;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makePeer;
using tributary::test::makeSnapshot;
using tributary::test::makeTorrentSnapshot;
using tributary::ui::EngineBridge;
using tributary::ui::PeerOrigin;
using tributary::ui::PeerTransport;
using tributary::ui::SourceKind;
using tributary::ui::SourceState;
using tributary::ui::TaskDetails;
using tributary::ui::TaskKind;
using tributary::ui::TrackerStatus;

namespace {

struct Harness {
  FakeEngine* engine = nullptr;  // owned by the bridge
  std::unique_ptr<EngineBridge> bridge;

  Harness() {
    auto fake = std::make_unique<FakeEngine>();
    engine = fake.get();
    bridge = std::make_unique<EngineBridge>(std::move(fake));
  }

  // Delivers from an engine thread and waits until the bridge has drained it.
  bool deliver(const Update& update) {
    QSignalSpy spy(bridge.get(), &EngineBridge::tasksUpdated);
    engine->runOnEngineThread([&](FakeEngine& e) { e.deliver(update); });
    return spy.wait(5000);
  }
};

Update torrentUpdate(bool full = true) {
  Update update;
  update.full = full;
  PeerSnapshot utp = makePeer("10.0.0.2:51413", "Transmission 3.00", 1.0, 4096, "DUP");
  utp.transport = PeerSnapshot::Transport::Utp;
  utp.source = PeerSource::Dht;
  utp.hashFailures = 2;
  update.tasks.push_back(makeTorrentSnapshot(
      7, "linux", {makePeer("10.0.0.1:6881", "qBittorrent 4.6.3", 0.5, 1024), utp}));
  auto http = makeSnapshot(9, "a.iso", TaskState::Downloading, 1000, 10, 5);
  SourceSnapshot origin;
  origin.url = "https://example.org/a.iso";
  origin.state = SourceSnapshot::State::Active;
  origin.connections = 4;
  SourceSnapshot mirror;
  mirror.url = "https://cdn.example.net/a.iso";
  mirror.kind = tributary::SourceKind::Cdn;
  mirror.state = SourceSnapshot::State::Dropped;
  mirror.error = ErrorCode::HttpNotFound;
  http.sources = {origin, mirror};
  update.tasks.push_back(http);
  return update;
}

}  // namespace

class TestBridgeDetails : public QObject {
  Q_OBJECT

 private slots:
  void watchedTaskDetailsFollowUpdates();
  void unwatchedTasksSendNoDetails();
  void detailsCarryEveryPart();
  void detailsOfAnyTaskAreReadAtOnce();
  void removedTasksAreForgotten();
};

void TestBridgeDetails::watchedTaskDetailsFollowUpdates() {
  Harness h;
  h.bridge->watchDetails(7);
  QCOMPARE(h.bridge->watchedDetails(), quint64{7});
  QList<TaskDetails> seen;
  connect(h.bridge.get(), &EngineBridge::taskDetailsUpdated, this,
          [&](const TaskDetails& details) { seen.append(details); });
  QVERIFY(h.deliver(torrentUpdate()));
  QCOMPARE(seen.size(), 1);
  QCOMPARE(seen[0].task.id, quint64{7});
  QVERIFY(seen[0].torrent.has_value());
  QCOMPARE(seen[0].torrent->peers.size(), 2);

  // The next tick drops a peer: the details say so.
  Update next;
  next.tasks.push_back(makeTorrentSnapshot(7, "linux", {makePeer("10.0.0.1:6881", "qB", 0.6, 9)}));
  QVERIFY(h.deliver(next));
  QCOMPARE(seen.size(), 2);
  QCOMPARE(seen[1].torrent->peers.size(), 1);
  QCOMPARE(seen[1].torrent->peers[0].downloadRate, quint64{9});
}

void TestBridgeDetails::unwatchedTasksSendNoDetails() {
  Harness h;
  QSignalSpy details(h.bridge.get(), &EngineBridge::taskDetailsUpdated);
  QVERIFY(h.deliver(torrentUpdate()));
  QCOMPARE(details.count(), 0);  // nothing watched

  h.bridge->watchDetails(9);
  Update onlySeven;
  onlySeven.tasks.push_back(makeTorrentSnapshot(7, "linux", {}));
  QVERIFY(h.deliver(onlySeven));
  QCOMPARE(details.count(), 0);  // the watched task did not change
}

void TestBridgeDetails::detailsCarryEveryPart() {
  Harness h;
  QVERIFY(h.deliver(torrentUpdate()));
  const std::optional<TaskDetails> torrent = h.bridge->taskDetails(7);
  QVERIFY(torrent.has_value());
  QCOMPARE(torrent->task.kind, TaskKind::Torrent);
  QCOMPARE(torrent->task.name, QStringLiteral("linux"));
  const auto& info = *torrent->torrent;
  QCOMPARE(info.infoHashHex, QStringLiteral("0123456789abcdef0123456789abcdef01234567"));
  QCOMPARE(info.pieceCount, quint32{256});
  QCOMPARE(info.pieceLength, quint64{256 * 1024});
  QCOMPARE(info.piecesHave, quint32{96});
  QCOMPARE(info.comment, QStringLiteral("<b>not bold</b>"));
  QCOMPARE(info.createdBy, QStringLiteral("mktorrent 1.1"));
  QCOMPARE(info.wastedBytes, quint64{16384});
  QCOMPARE(info.pieceMap.size(), 256);

  const auto& utp = info.peers[1];
  QCOMPARE(utp.address, QStringLiteral("10.0.0.2:51413"));
  QCOMPARE(utp.transport, PeerTransport::Utp);
  QCOMPARE(utp.origin, PeerOrigin::Dht);
  QCOMPARE(utp.flags, QStringLiteral("DUP"));
  QCOMPARE(utp.client, QStringLiteral("Transmission 3.00"));
  QCOMPARE(utp.peerIdPrefix, QStringLiteral("-qB4630-"));
  QCOMPARE(utp.progress, 1.0);
  QCOMPARE(utp.downloadRate, quint64{4096});
  QCOMPARE(utp.uploadRate, quint64{512});
  QCOMPARE(utp.downloaded, quint64{4096 * 40});
  QCOMPARE(utp.uploaded, quint64{4096 * 5});
  QCOMPARE(utp.relevance, 1.0);
  QCOMPARE(utp.rttMs, quint32{23});
  QCOMPARE(utp.hashFailures, quint32{2});
  QCOMPARE(utp.requestsOut, quint32{12});
  QCOMPARE(utp.requestsIn, quint32{1});
  QCOMPARE(utp.connectedAtUnix, qint64{1700000100});

  QCOMPARE(info.trackers.size(), 2);
  QCOMPARE(info.trackers[0].status, TrackerStatus::Working);
  QCOMPARE(info.trackers[0].seeds, qint64{2});
  QCOMPARE(info.trackers[1].status, TrackerStatus::Failed);
  QCOMPARE(info.trackers[1].tier, quint32{1});
  QCOMPARE(info.trackers[1].seeds, qint64{-1});
  QCOMPARE(info.trackers[1].message, QStringLiteral("<i>connection refused</i>"));
  QCOMPARE(info.files.size(), 2);
  QCOMPARE(info.files[0].path, QStringLiteral("linux/disc.iso"));
  QCOMPARE(info.files[0].doneBytes, quint64{20} << 20);

  const std::optional<TaskDetails> http = h.bridge->taskDetails(9);
  QVERIFY(http.has_value());
  QVERIFY(!http->torrent.has_value());
  QCOMPARE(http->sources.size(), 2);
  QCOMPARE(http->sources[0].kind, SourceKind::Http);
  QCOMPARE(http->sources[0].state, SourceState::Active);
  QCOMPARE(http->sources[0].connections, quint32{4});
  QVERIFY(http->sources[0].errorText.isEmpty());
  QCOMPARE(http->sources[1].kind, SourceKind::Cdn);
  QCOMPARE(http->sources[1].state, SourceState::Dropped);
  QCOMPARE(http->sources[1].errorText, QStringLiteral("Not found on the server (HTTP 404)"));
}

void TestBridgeDetails::detailsOfAnyTaskAreReadAtOnce() {
  Harness h;
  QVERIFY(!h.bridge->taskDetails(7).has_value());
  QVERIFY(h.deliver(torrentUpdate()));
  // A later delta about task 9 only: task 7's details stay the last ones seen.
  Update delta;
  delta.tasks.push_back(makeSnapshot(9, "a.iso", TaskState::Paused));
  QVERIFY(h.deliver(delta));
  QCOMPARE(h.bridge->taskDetails(9)->task.status, tributary::ui::TaskStatus::Paused);
  QCOMPARE(h.bridge->taskDetails(7)->torrent->peers.size(), 2);
}

void TestBridgeDetails::removedTasksAreForgotten() {
  Harness h;
  QVERIFY(h.deliver(torrentUpdate()));
  Update removal;
  removal.removed.push_back(9);
  QVERIFY(h.deliver(removal));
  QVERIFY(!h.bridge->taskDetails(9).has_value());
  QVERIFY(h.bridge->taskDetails(7).has_value());

  // A full update names every task: one it leaves out is gone.
  Update full;
  full.full = true;
  full.tasks.push_back(makeSnapshot(11, "b.iso"));
  QVERIFY(h.deliver(full));
  QVERIFY(!h.bridge->taskDetails(7).has_value());
  QVERIFY(h.bridge->taskDetails(11).has_value());
}

QTEST_GUILESS_MAIN(TestBridgeDetails)
#include "tst_bridge_details.moc"
