// AddParams::alsoFrom across restarts: the session file keeps it, a file
// written before it existed still loads (without it), and a real engine
// stopped and started on the same state folder brings back a URL given with
// a torrent as that torrent's task, the URL still its origin (an HTTP source).
// No network: the origin is a closed port and the task stays paused.
#include <QtTest>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

#include "engine/session/SessionState.h"
#include "engine/storage/SealedFile.h"
#include "support/EngineSession.h"
#include "support/SourceLookup.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::sourceFor;

namespace {

constexpr char kOrigin[] = "http://127.0.0.1:9/a.bin";

std::string readAll(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// One 16 KiB piece whose data nobody has.
std::string torrentBytes() {
  return "d4:infod6:lengthi16384e4:name5:a.bin12:piece lengthi16384e6:pieces20:" +
         std::string(20, 'x') + "ee";
}

}  // namespace

class TestSessionAlsoFrom : public QObject {
  Q_OBJECT

 private slots:
  void alsoFromRoundTrips() {
    session::SessionState state;
    session::SavedTask task;
    task.params.source = "/state/torrents/ab.torrent";
    task.params.saveDir = "/home/u/Downloads";
    task.params.alsoFrom = "https://example.com/pub/";
    task.traffic = TrafficCounters{1, 2, 3, 4};
    state.tasks.push_back(task);
    Result<session::SessionState> back =
        session::decodeSessionState(session::encodeSessionState(state));
    QVERIFY2(back, back ? "" : back.error().detail.c_str());
    QCOMPARE(back.value().tasks.size(), std::size_t(1));
    QCOMPARE(back.value().tasks[0].params.alsoFrom, task.params.alsoFrom);
    QVERIFY(back.value().tasks[0] == task);
  }

  void sourcePolicyRoundTrips() {
    session::SessionState state;
    session::SavedTask task;
    task.params.source = "/state/torrents/ab.torrent";
    task.params.saveDir = "/home/u/Downloads";
    task.params.sourcePolicy = {SourcePreference::PreferCdn, 123456789};
    state.tasks.push_back(task);
    Result<session::SessionState> back =
        session::decodeSessionState(session::encodeSessionState(state));
    QVERIFY2(back, back ? "" : back.error().detail.c_str());
    QVERIFY(back.value().tasks.at(0).params.sourcePolicy == task.params.sourcePolicy);
  }

  // A record as written before alsoFrom existed: no "also-from" key.
  void fileFromBeforeAlsoFromLoads() {
    const std::string body =
        "d5:tasksld3:dir4:/tmp6:source25:https://example.com/a.iso7:trafficd2:bti5eeee1:vi1ee";
    const std::string bytes =
        storage::seal("tributary-session", session::kSessionStateVersion, body);
    Result<session::SessionState> back = session::decodeSessionState(bytes);
    QVERIFY2(back, back ? "" : back.error().detail.c_str());
    QCOMPARE(back.value().tasks.size(), std::size_t(1));
    const session::SavedTask& task = back.value().tasks[0];
    QCOMPARE(task.params.source, std::string("https://example.com/a.iso"));
    QCOMPARE(task.params.alsoFrom, std::string());
    QVERIFY(task.params.sourcePolicy == SourcePolicy{});  // nor a source policy
    QCOMPARE(task.traffic.bt, std::uint64_t(5));
  }

  void urlWithTorrentComesBackAsOneTask() {
    QTemporaryDir state;
    QTemporaryDir downloads;
    const QString torrent = downloads.filePath("t.torrent");
    std::ofstream(torrent.toStdString(), std::ios::binary) << torrentBytes();
    const auto configure = [dir = state.filePath("st").toStdString()](EngineConfig& config) {
      config.stateDir = dir;
    };
    {
      test::EngineSession session(configure);
      AddParams params;
      params.source = kOrigin;  // the URL first: add() makes the torrent the source
      params.alsoFrom = torrent.toStdString();
      params.saveDir = downloads.path().toStdString();
      params.startPaused = true;
      const TaskId id = session.add(params);
      QVERIFY(id != kInvalidTaskId);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Paused; }, 10s));
      session.stop();
    }
    Result<session::SessionState> saved =
        session::decodeSessionState(readAll(state.filePath("st/session.state")));
    QVERIFY2(saved, saved ? "" : saved.error().detail.c_str());
    QCOMPARE(saved.value().tasks.size(), std::size_t(1));
    const AddParams& kept = saved.value().tasks[0].params;
    // The .torrent is kept in the state folder like any other; the URL as given.
    QVERIFY(kept.source.starts_with(state.filePath("st/torrents/").toStdString()));
    QCOMPARE(kept.alsoFrom, std::string(kOrigin));

    QVERIFY(QFile::remove(torrent));
    test::EngineSession again(configure);
    QVERIFY(again.waitForSnapshot(
        1,
        [](const TaskSnapshot& s) {
          const SourceSnapshot* origin = sourceFor(s, kOrigin);
          return s.state == TaskState::Paused && origin != nullptr;
        },
        10s));
    const TaskSnapshot s = again.latest(1);
    QCOMPARE(s.kind, TaskKind::Torrent);
    QCOMPARE(s.name, std::string("a.bin"));
    QCOMPARE(sourceFor(s, kOrigin)->kind, SourceKind::Http);
  }
};

QTEST_GUILESS_MAIN(TestSessionAlsoFrom)
#include "tst_session_also_from.moc"
