// Leaks and races (issue 8, item 4): a torrent (from a python3-libtorrent
// seeder) and an HTTP task (from nginx) are paused and resumed 200 times each
// while they download, then left to finish, checked by sha256, and the engine
// shut down. The same binary runs under ASan (build-asan), under valgrind
// memcheck (tst_churn_valgrind, label long) and under TSan: what this test
// checks by itself is that the tasks survive the churn; the tools check that
// nothing leaks, and no memory is touched after it is freed.
//
// The gaps between the commands are random and mostly shorter than a
// connect, so pauses land at every stage of a source's life: dialling, in the
// handshake, mid-request, mid-piece. The PRNG seed is printed;
// TRIBUTARY_CHURN_SEED=N replays a run. TRIBUTARY_TEST_TIME_SCALE=N stretches
// every deadline N times (valgrind runs the engine ~30x slower).
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"
#include "support/TestFiles.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr int kCycles = 200;
// A resumed torrent dials its seeder again only after the peer's retry delay
// (2 s after we closed it), so each checkpoint costs ~2 s.
constexpr int kCheckpointEvery = 50;
constexpr int kBtMiB = 16;
constexpr qsizetype kHttpBytes = 16 * 1024 * 1024 + 4321;
// The servers' own limits keep a fresh connection from taking the whole file
// in its first burst (nginx lets a connection send a second's worth at once).
constexpr char kNginxRatePerConnection[] = "1m";
constexpr qint64 kSeederUploadLimit = 8 << 20;
// During the cycles the engine itself holds each task to this, so 200
// cycles cannot finish either task; lifted afterwards so the rest takes
// seconds.
constexpr std::uint64_t kCycleRate = 512 * 1024;
// Most gaps are shorter than a loopback connect and handshake.
constexpr std::array<int, 8> kGapsMs = {0, 0, 0, 1, 2, 5, 10, 25};

unsigned churnSeed() {
  bool ok = false;
  const unsigned fixed = qEnvironmentVariableIntValue("TRIBUTARY_CHURN_SEED", &ok);
  return ok ? fixed : std::random_device{}();
}

int timeScale() {
  bool ok = false;
  const int scale = qEnvironmentVariableIntValue("TRIBUTARY_TEST_TIME_SCALE", &ok);
  return ok && scale > 1 ? scale : 1;
}

std::chrono::milliseconds scaled(std::chrono::milliseconds d) {
  return d * timeScale();
}

bool isPaused(const TaskSnapshot& s) {
  return s.state == TaskState::Paused;
}

// Counts the engine's updates and keeps each task's latest state, so a test
// can ask for a state seen in an update built after a command was posted
// (EngineSession keeps the latest snapshot, which may predate the command).
class StateWatcher {
 public:
  explicit StateWatcher(Engine& engine) : engine_(engine) {
    subscription_ = engine_.subscribe(
        [this](const Update& u) {
          std::lock_guard lock(mutex_);
          ++updates_;
          for (const auto& t : u.tasks) {
            states_[t.id] = t.state;
          }
          changed_.notify_all();
        },
        [](const Event&) {});
  }
  ~StateWatcher() { engine_.unsubscribe(subscription_); }
  StateWatcher(const StateWatcher&) = delete;
  StateWatcher& operator=(const StateWatcher&) = delete;

  std::uint64_t updates() {
    std::lock_guard lock(mutex_);
    return updates_;
  }
  // True once `id` is in `state` in an update at least two after `mark`:
  // the one after `mark` may have been built before the command ran.
  bool waitForState(TaskId id, TaskState state, std::uint64_t mark,
                    std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      auto it = states_.find(id);
      return updates_ >= mark + 2 && it != states_.end() && it->second == state;
    });
  }

 private:
  Engine& engine_;
  SubscriptionId subscription_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t updates_ = 0;
  std::map<TaskId, TaskState> states_;
};

}  // namespace

class TestChurn : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    QCOMPARE(fixture_.create(kBtMiB, 8), QString());
    httpPayload_ = test::randomBytes(kHttpBytes, 9);
    QFile file(root_.filePath("churn.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(httpPayload_), httpPayload_.size());
    file.close();

    test::NginxOptions options;
    options.rootDir = root_.path();
    options.extraServerDirectives =
        QStringLiteral("limit_rate %1;").arg(QLatin1String(kNginxRatePerConnection));
    nginx_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(nginx_->start(), QString());

    test::LibtorrentPeerOptions seed;
    seed.torrentFile = fixture_.torrentFile();
    seed.dataDir = fixture_.contentParent();
    seed.trustData = true;
    seed.uploadLimit = kSeederUploadLimit;
    seeder_ = std::make_unique<test::LibtorrentPeer>(seed);
    QCOMPARE(seeder_->start(), QString());
  }

  void pauseResumeTwoHundredTimes() {
    const unsigned seed = churnSeed();
    qInfo("TRIBUTARY_CHURN_SEED=%u", seed);
    std::mt19937 rng(seed);
    QTemporaryDir out;
    Session session;

    AddParams torrent;
    torrent.source = fixture_.torrentFile().toStdString();
    torrent.saveDir = out.path().toStdString();
    torrent.peers = {seeder_->address().toStdString()};
    torrent.maxDownloadRate = kCycleRate;
    AddParams http;
    http.source = (nginx_->baseUrl() + QStringLiteral("/churn.bin")).toStdString();
    http.saveDir = out.path().toStdString();
    http.connections = 8;
    http.maxDownloadRate = kCycleRate;
    const std::array<TaskId, 2> ids = {session.add(torrent), session.add(http)};
    QVERIFY(ids[0] != kInvalidTaskId && ids[1] != kInvalidTaskId);
    for (TaskId id : ids) {
      QVERIFY2(
          session.waitForSnapshot(
              id, [](const TaskSnapshot& s) { return s.traffic.downloaded() > 0; }, scaled(20s)),
          "no byte arrived before the churn");
    }

    auto watcher = std::make_unique<StateWatcher>(session.engine());
    const auto gap = [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(kGapsMs[rng() % kGapsMs.size()]));
    };
    QElapsedTimer clock;
    clock.start();
    QDeadlineTimer budget(scaled(45s));
    for (int cycle = 1; cycle <= kCycles; ++cycle) {
      QVERIFY2(!budget.hasExpired(), qPrintable(QStringLiteral("only %1 cycles").arg(cycle)));
      // Either order: pausing one task must not disturb the other.
      const bool swap = rng() % 2 == 0;
      const std::uint64_t mark = watcher->updates();
      session.engine().pause(ids[swap ? 1 : 0]);
      session.engine().pause(ids[swap ? 0 : 1]);
      gap();
      if (cycle % kCheckpointEvery == 0) {
        checkpoint(session, *watcher, mark, ids, cycle);
        if (QTest::currentTestFailed()) {
          return;
        }
        continue;
      }
      session.engine().resume(ids[0]);
      session.engine().resume(ids[1]);
      gap();
    }

    qInfo("%d cycles in %lld ms", kCycles, clock.restart());
    // The churn happened while both were downloading: neither is done yet.
    for (TaskId id : ids) {
      const TaskSnapshot s = session.latest(id);
      QVERIFY2(s.verifiedBytes < s.totalBytes,
               qPrintable(QStringLiteral("task %1 finished during the cycles").arg(id)));
      QCOMPARE(session.eventCount(id, Event::Kind::Failed), 0);
      session.engine().setTaskLimits(id, 0, 0);
    }
    for (TaskId id : ids) {
      const auto end = session.waitForEnd(id, scaled(60s));
      QVERIFY2(end, qPrintable(QStringLiteral("task %1 did not finish").arg(id)));
      QVERIFY2(end->kind == Event::Kind::Completed, end->message.c_str());
    }
    qInfo("finished %lld ms later", clock.elapsed());
    watcher.reset();  // it unsubscribes: before the engine goes
    QCOMPARE(fixture_.verify(out.path()), QString());
    QCOMPARE(test::sha256Of(out.filePath("churn.bin")),
             QCryptographicHash::hash(httpPayload_, QCryptographicHash::Sha256).toHex());
    session.stop();
  }

 private:
  // Both tasks are seen paused, then seen receiving again after the resume:
  // the commands are not just queued but carried out, and the cycles so far
  // left the tasks able to download.
  void checkpoint(Session& session, StateWatcher& watcher, std::uint64_t mark,
                  const std::array<TaskId, 2>& ids, int cycle) {
    for (TaskId id : ids) {
      QVERIFY2(watcher.waitForState(id, TaskState::Paused, mark, scaled(10s)),
               qPrintable(QStringLiteral("task %1 not paused at cycle %2").arg(id).arg(cycle)));
    }
    std::array<std::uint64_t, 2> before{};
    for (std::size_t i = 0; i < ids.size(); ++i) {
      before[i] = session.latest(ids[i]).traffic.downloaded();
      session.engine().resume(ids[i]);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::uint64_t had = before[i];
      QVERIFY2(
          session.waitForSnapshot(
              ids[i],
              [had](const TaskSnapshot& s) { return !isPaused(s) && s.traffic.downloaded() > had; },
              scaled(15s)),
          qPrintable(QStringLiteral("task %1 stalled after cycle %2").arg(ids[i]).arg(cycle)));
    }
  }

  test::TorrentFixture fixture_;
  QTemporaryDir root_;
  QByteArray httpPayload_;
  std::unique_ptr<test::NginxServer> nginx_;
  std::unique_ptr<test::LibtorrentPeer> seeder_;
};

QTEST_GUILESS_MAIN(TestChurn)
#include "tst_churn.moc"
