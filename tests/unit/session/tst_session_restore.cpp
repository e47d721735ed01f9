// The task list survives a restart (EngineConfig::stateDir): a real engine is
// stopped and started again on the same state folder, and every task comes
// back as it was (paused stays paused, queue order, added time, limits and
// priorities), removed ones stay removed, a damaged list falls back on its
// backup, and a torrent comes back even when its .torrent file is gone.
// No network: the HTTP task points at a closed port and stays paused, the
// torrent has no peers.
#include <QtTest>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

#include "engine/session/SessionState.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr char kMagnet[] =
    "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=restored";

std::string readAll(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const QString& path, const std::string& bytes) {
  std::ofstream(path.toStdString(), std::ios::binary | std::ios::trunc) << bytes;
}

// One 16 KiB piece whose data nobody has: the task just waits for peers.
std::string torrentBytes() {
  return "d4:infod6:lengthi16384e4:name5:a.bin12:piece lengthi16384e6:pieces20:" +
         std::string(20, 'x') + "ee";
}

}  // namespace

class TestSessionRestore : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    state_ = std::make_unique<QTemporaryDir>();
    downloads_ = std::make_unique<QTemporaryDir>();
    torrentFile_ = downloads_->filePath("t.torrent");
    writeAll(torrentFile_, torrentBytes());
  }

  void tasksComeBackAsTheyWere() {
    std::int64_t addedAt[3] = {};
    {
      Session session(configure());
      const TaskId http = session.add(httpParams());
      const TaskId torrent = session.add(torrentParams());
      const TaskId magnet = session.add(magnetParams());
      QVERIFY(http != kInvalidTaskId && torrent != kInvalidTaskId && magnet != kInvalidTaskId);
      session.engine().setTaskLimits(torrent, 5000, 6000);
      session.engine().setFilePriorities(torrent, {2});
      session.engine().moveInQueue(magnet, QueueMove::Top);
      QVERIFY(session.waitForSnapshot(
          magnet, [](const TaskSnapshot& s) { return s.queuePosition == 1; }, 10s));
      addedAt[0] = session.latest(magnet).addedAtUnix;
      addedAt[1] = session.latest(http).addedAtUnix;
      addedAt[2] = session.latest(torrent).addedAtUnix;
      // A second apart: a restored task that took "now" as its added time
      // would show it.
      QTest::qWait(1100);
      session.stop();
    }
    // What was saved at exit, as the file says.
    Result<session::SessionState> saved = session::decodeSessionState(readAll(statePath()));
    QVERIFY2(saved, saved ? "" : saved.error().detail.c_str());
    QCOMPARE(saved.value().tasks.size(), std::size_t(3));
    const AddParams& savedTorrent = saved.value().tasks[2].params;
    QCOMPARE(savedTorrent.maxDownloadRate, std::uint64_t(5000));
    QCOMPARE(savedTorrent.maxUploadRate, std::uint64_t(6000));
    QCOMPARE(savedTorrent.filePriorities, std::vector<std::uint8_t>{2});
    QVERIFY(savedTorrent.source.starts_with(state_->filePath("st/torrents/").toStdString()));

    QVERIFY(QFile::remove(torrentFile_));  // the copy in the state folder carries it
    Session again(configure());
    // Restored first, in queue order, so they are tasks 1, 2, 3.
    for (TaskId id : {1, 2, 3}) {
      QVERIFY2(again.waitForSnapshot(
                   id, [](const TaskSnapshot&) { return true; }, 10s),
               qPrintable(QString("task %1 did not come back").arg(id)));
    }
    const TaskSnapshot magnet = again.latest(1);
    QCOMPARE(magnet.kind, TaskKind::Magnet);
    QCOMPARE(magnet.source, std::string(kMagnet));
    QVERIFY(again.waitForSnapshot(1, [](const TaskSnapshot& s) {
      return s.state == TaskState::Paused && s.queuePosition == 1;
    }));
    QCOMPARE(again.latest(1).addedAtUnix, addedAt[0]);
    const TaskSnapshot http = again.latest(2);
    QCOMPARE(http.kind, TaskKind::Http);
    QCOMPARE(http.source, httpParams().source);
    QCOMPARE(http.saveDir, downloads_->path().toStdString());
    QVERIFY(again.waitForSnapshot(2, [](const TaskSnapshot& s) {
      return s.state == TaskState::Paused && s.queuePosition == 2;
    }));
    QCOMPARE(again.latest(2).addedAtUnix, addedAt[1]);
    QCOMPARE(again.latest(3).kind, TaskKind::Torrent);
    QVERIFY(again.waitForSnapshot(3, [](const TaskSnapshot& s) {
      return s.state == TaskState::Downloading && s.queuePosition == 3 && s.torrent &&
             s.name == "a.bin";
    }));
    QCOMPARE(again.latest(3).addedAtUnix, addedAt[2]);
  }

  void removedTasksStayRemoved() {
    {
      Session session(configure());
      session.add(httpParams());
      const TaskId torrent = session.add(torrentParams());
      QVERIFY(session.waitForSnapshot(torrent, [](const TaskSnapshot&) { return true; }));
      QCOMPARE(QDir(state_->filePath("st/torrents")).entryList(QDir::Files).size(), 1);
      session.engine().remove(torrent, false);
      QVERIFY(session.waitForEvent(torrent, {Event::Kind::Removed}, 10s));
      session.stop();
    }
    // Our copy of its .torrent went with it.
    QCOMPARE(QDir(state_->filePath("st/torrents")).entryList(QDir::Files).size(), 0);
    Session again(configure());
    QVERIFY(
        again.waitForSnapshot(1, [](const TaskSnapshot& s) { return s.kind == TaskKind::Http; }));
    QVERIFY(!again.waitForSnapshot(
        2, [](const TaskSnapshot&) { return true; }, 1s));
  }

  // The main file damaged: the backup (written at exit) has the list. Both
  // damaged: the engine starts empty, and works.
  void damagedListFallsBackOnItsBackup() {
    {
      Session session(configure());
      session.add(httpParams());
      session.stop();
    }
    std::string bytes = readAll(statePath());
    bytes[bytes.size() / 2] ^= 0x01;
    writeAll(statePath(), bytes);
    {
      Session again(configure());
      QVERIFY(
          again.waitForSnapshot(1, [](const TaskSnapshot& s) { return s.kind == TaskKind::Http; }));
      again.stop();  // writes both again, intact
    }
    writeAll(statePath(), "junk");
    writeAll(statePath() + ".bak", std::string(100, '\0'));
    Session empty(configure());
    QVERIFY(!empty.waitForSnapshot(
        1, [](const TaskSnapshot&) { return true; }, 1s));
    QCOMPARE(empty.add(httpParams()), TaskId(1));
  }

  // Saved while running (not only at exit): a crash loses at most a few seconds.
  void savedWhileRunning() {
    Session session(configure());
    session.add(httpParams());
    QDeadlineTimer deadline(10s);
    std::size_t tasks = 0;
    while (!deadline.hasExpired() && tasks == 0) {
      if (auto state = session::decodeSessionState(readAll(statePath()))) {
        tasks = state.value().tasks.size();
      }
      QTest::qWait(100);
    }
    QCOMPARE(tasks, std::size_t(1));
  }

 private:
  std::function<void(EngineConfig&)> configure() const {
    return [dir = state_->filePath("st").toStdString()](EngineConfig& config) {
      config.stateDir = dir;
    };
  }
  QString statePath() const { return state_->filePath("st/session.state"); }

  AddParams httpParams() const {
    AddParams p;
    p.source = "http://127.0.0.1:9/never.bin";  // paused: never dialled
    p.saveDir = downloads_->path().toStdString();
    p.mirrors = {"http://127.0.0.1:9/mirror.bin"};
    p.startPaused = true;
    return p;
  }
  AddParams torrentParams() const {
    AddParams p;
    p.source = torrentFile_.toStdString();
    p.saveDir = downloads_->path().toStdString();
    return p;
  }
  AddParams magnetParams() const {
    AddParams p;
    p.source = kMagnet;
    p.saveDir = downloads_->path().toStdString();
    p.startPaused = true;
    return p;
  }

  std::unique_ptr<QTemporaryDir> state_;
  std::unique_ptr<QTemporaryDir> downloads_;
  QString torrentFile_;
};

QTEST_GUILESS_MAIN(TestSessionRestore)
#include "tst_session_restore.moc"
