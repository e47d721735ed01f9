// The download queue through the real engine: HTTP tasks against a local
// server (support/BadHttpServer, plain routes), slowed by their own rate
// limits. A queued task shows Queued and sends no request; a slot that frees
// goes to the first queued task; a resumed task waits for a slot; moves and
// limit changes show at once.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <string>

#include "engine/api/Engine.h"
#include "support/BadHttpServer.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::BadHttpServer;
using test::EngineSession;

namespace {

constexpr std::size_t kSmall = 256 * 1024;
constexpr std::size_t kBig = 4 * 1024 * 1024;  // a minute at kSlow: never done in a test
constexpr std::uint64_t kSlow = 64 * 1024;
constexpr auto kDeadline = 20s;

std::string payload(std::size_t size, unsigned seed) {
  const QByteArray bytes = test::randomBytes(size, seed);
  return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// One connection, so a started task makes exactly one request to its path.
AddParams slowTask(const std::string& url, const QTemporaryDir& dir, std::uint64_t rate) {
  AddParams params;
  params.source = url;
  params.saveDir = dir.path().toStdString();
  params.connections = 1;
  params.maxDownloadRate = rate;
  return params;
}

bool isState(const TaskSnapshot& s, TaskState state, std::uint32_t position) {
  return s.state == state && s.queuePosition == position;
}

std::size_t connectionsOf(const TaskSnapshot& s) {
  std::size_t total = 0;
  for (const SourceSnapshot& source : s.sources) {
    total += source.connections;
  }
  return total;
}

}  // namespace

class TestDownloadQueueSession : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCOMPARE(QString::fromStdString(server_.start()), QString());
    for (const char* path : {"/a", "/b", "/c"}) {
      test::Route route;
      route.payload = payload(kBig, static_cast<unsigned>(path[1]));
      server_.setRoute(path, route);
    }
    test::Route small;
    small.payload = payload(kSmall, 7);
    server_.setRoute("/small", small);
    test::Route next;
    next.payload = payload(kSmall, 8);
    server_.setRoute("/next", next);
  }

  void theSecondWaitsUntilTheFirstFinishes() {
    QTemporaryDir dir;
    EngineSession session([](EngineConfig& c) { c.maxActiveDownloads = 1; });
    // About two seconds for the first; the second is not limited.
    const TaskId first = session.add(slowTask(server_.url("/small"), dir, 128 * 1024));
    const TaskId second = session.add(slowTask(server_.url("/next"), dir, 0));
    QVERIFY(first != kInvalidTaskId && second != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        second, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 2); }));
    QVERIFY(session.waitForSnapshot(first, [](const TaskSnapshot& s) {
      return isState(s, TaskState::Downloading, 1) && s.verifiedBytes > 0;
    }));
    // While the first downloads, the second has not asked for a byte.
    QCOMPARE(server_.requestCount("/next"), 0);
    QCOMPARE(session.latest(second).state, TaskState::Queued);
    QCOMPARE(connectionsOf(session.latest(second)), std::size_t{0});
    QVERIFY(session.latest(first).state == TaskState::Downloading);

    const auto firstEnd = session.waitForEnd(first, kDeadline);
    QVERIFY(firstEnd && firstEnd->kind == Event::Kind::Completed);
    const auto secondEnd = session.waitForEnd(second, kDeadline);
    QVERIFY(secondEnd && secondEnd->kind == Event::Kind::Completed);
    QCOMPARE(server_.requestCount("/next"), 1);
    QCOMPARE(test::fileContent(dir.filePath("next")).size(), qsizetype{kSmall});
    // Finished tasks have no place in the queue.
    QVERIFY(
        session.waitForSnapshot(first, [](const TaskSnapshot& s) { return s.queuePosition == 0; }));
    QVERIFY(session.waitForSnapshot(second,
                                    [](const TaskSnapshot& s) { return s.queuePosition == 0; }));
  }

  void pauseFreesTheSlotAndResumeWaitsForOne() {
    QTemporaryDir dir;
    EngineSession session([](EngineConfig& c) { c.maxActiveDownloads = 1; });
    const int requestsBefore = server_.requestCount("/b");
    const TaskId a = session.add(slowTask(server_.url("/a"), dir, kSlow));
    const TaskId b = session.add(slowTask(server_.url("/b"), dir, kSlow));
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 1); }));
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 2); }));
    QCOMPARE(server_.requestCount("/b"), requestsBefore);

    // The first is paused: the queued one takes its slot.
    session.engine().pause(a);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Paused, 1); }));
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 2); }));
    // Downloading already while its first request is on its way.
    QTRY_VERIFY_WITH_TIMEOUT(server_.requestCount("/b") > requestsBefore, 5000);

    // Resumed, it is back at its place but waits: the slot is taken.
    session.engine().resume(a);
    QVERIFY(session.waitForSnapshot(a, [](const TaskSnapshot& s) {
      return isState(s, TaskState::Queued, 1) && connectionsOf(s) == 0;
    }));
    QCOMPARE(session.latest(b).state, TaskState::Downloading);

    // A queued task that is paused is Paused, and no longer waits.
    session.engine().pause(a);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Paused, 1); }));
    session.engine().pause(b);
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Paused, 2); }));
    QCOMPARE(session.settledSnapshot(a).state, TaskState::Paused);

    // Resuming both: the first in the queue gets the slot.
    session.engine().resume(b);
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 2); }));
    session.engine().resume(a);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 1); }));
    session.engine().remove(b, true);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 1); }));
  }

  void movesReorderAndLimitChangesApplyAtOnce() {
    QTemporaryDir dir;
    EngineSession session([](EngineConfig& c) { c.maxActiveDownloads = 1; });
    const TaskId a = session.add(slowTask(server_.url("/a"), dir, kSlow));
    const TaskId b = session.add(slowTask(server_.url("/b"), dir, kSlow));
    const TaskId c = session.add(slowTask(server_.url("/c"), dir, kSlow));
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 1); }));
    QVERIFY(session.waitForSnapshot(
        c, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 3); }));

    // c to the top, then b one up: c, b, a. Moving starts and stops nothing.
    session.engine().moveInQueue(c, QueueMove::Top);
    session.engine().moveInQueue(b, QueueMove::Up);
    QVERIFY(session.waitForSnapshot(
        c, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 1); }));
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Queued, 2); }));
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 3); }));

    // The freed slot goes to the first queued task: c, not b.
    session.engine().pause(a);
    QVERIFY(session.waitForSnapshot(
        c, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 1); }));
    QCOMPARE(session.settledSnapshot(b).state, TaskState::Queued);

    // A higher limit starts the queued ones at once; a lower one queues the
    // active task furthest down (b, below c).
    session.engine().setMaxActiveDownloads(3);
    QVERIFY(session.waitForSnapshot(
        b, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 2); }));
    session.engine().resume(a);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 3); }));
    session.engine().setMaxActiveDownloads(1);
    QVERIFY(session.waitForSnapshot(a, [](const TaskSnapshot& s) {
      return isState(s, TaskState::Queued, 3) && connectionsOf(s) == 0;
    }));
    QVERIFY(session.waitForSnapshot(b, [](const TaskSnapshot& s) {
      return isState(s, TaskState::Queued, 2) && connectionsOf(s) == 0;
    }));
    QCOMPARE(session.latest(c).state, TaskState::Downloading);
    // 0: no limit.
    session.engine().setMaxActiveDownloads(0);
    QVERIFY(session.waitForSnapshot(
        a, [](const TaskSnapshot& s) { return isState(s, TaskState::Downloading, 3); }));
  }

 private:
  BadHttpServer server_;
};

QTEST_GUILESS_MAIN(TestDownloadQueueSession)
#include "tst_download_queue_session.moc"
