// The session's routing, with a scripted task type behind the real engine:
// commands reach the task on its own loop, state changes are published,
// removal and shutdown run the task's own stop paths.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/session/EngineImpl.h"

using namespace tributary;
using namespace std::chrono_literals;

namespace {

// What the fake tasks did, for the test thread to check.
struct Journal {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> lines;
  std::vector<Update> updates;
  std::vector<Event> events;
  std::atomic<int> wrongThread{0};

  void log(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
    changed.notify_all();
  }
  template <class Pred>
  bool waitUntil(Pred pred, std::chrono::milliseconds deadline = 5s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, deadline, [&] { return pred(); });
  }
  bool hasLine(const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }
  const TaskSnapshot* lastSnapshotOf(TaskId id) {
    for (auto u = updates.rbegin(); u != updates.rend(); ++u) {
      for (const auto& t : u->tasks) {
        if (t.id == id) {
          return &t;
        }
      }
    }
    return nullptr;
  }
};

class FakeTask final : public core::Task {
 public:
  FakeTask(const core::TaskContext& context, const AddParams& params, Journal& journal)
      : context_(context), params_(params), journal_(journal) {}
  ~FakeTask() override { journal_.log("destroyed " + std::to_string(context_.id)); }

  void start() override { note("start"), state_ = TaskState::Downloading; }
  void pause() override { note("pause"), state_ = TaskState::Paused; }
  void resume() override { note("resume"), state_ = TaskState::Downloading; }
  void setLimits(std::uint64_t down, std::uint64_t) override {
    note("limit " + std::to_string(down));
  }
  void remove(bool deleteFiles, util::UniqueFunction<void()> done) override {
    note(deleteFiles ? "remove+delete" : "remove");
    done();
  }
  void shutdown(util::UniqueFunction<void()> done) override {
    note("shutdown");
    // Saving goes through the worker pool, which must still be running.
    const bool submitted = context_.workers->submit(
        *context_.loop, [] { return 1; },
        [this, done = std::move(done)](int) mutable {
          note("saved");
          done();
        });
    if (!submitted) {
      note("pool refused");
    }
  }
  TaskSnapshot snapshot() override {
    TaskSnapshot s;
    s.name = "fake " + params_.source;
    s.state = state_;
    s.downloadRate = 1000;
    s.traffic.http = 10;
    return s;
  }

 private:
  void note(const std::string& what) {
    if (loop::EventLoop::current() != context_.loop) {
      journal_.wrongThread.fetch_add(1);
    }
    journal_.log(what + " " + std::to_string(context_.id));
  }

  core::TaskContext context_;
  AddParams params_;
  Journal& journal_;
  TaskState state_ = TaskState::Queued;
};

class FakeFactory final : public session::TaskFactory {
 public:
  explicit FakeFactory(Journal& journal) : journal_(journal) {}
  Result<Prepared> prepare(TaskKind kind, const AddParams&) override {
    if (kind == TaskKind::Magnet) {
      return Error{ErrorCode::NotSupported, "no magnets here"};
    }
    return Prepared{};
  }
  std::unique_ptr<core::Task> create(TaskKind, const core::TaskContext& context,
                                     const AddParams& params, Prepared) override {
    return std::make_unique<FakeTask>(context, params, journal_);
  }

 private:
  Journal& journal_;
};

std::unique_ptr<Engine> makeEngine(Journal& journal) {
  EngineConfig config;
  config.loopThreads = 3;
  config.workerThreads = 2;
  config.tick = 20ms;
  config.logLevel = LogLevel::Error;
  config.maxActiveDownloads = 0;  // routing, not the queue (tst_download_queue_session)
  auto engine = std::make_unique<session::EngineImpl>(
      config, std::make_unique<FakeFactory>(journal), storage::systemFileIo());
  engine->subscribe(
      [&journal](const Update& u) {
        std::lock_guard lock(journal.mutex);
        journal.updates.push_back(u);
        journal.changed.notify_all();
      },
      [&journal](const Event& e) {
        std::lock_guard lock(journal.mutex);
        journal.events.push_back(e);
        journal.changed.notify_all();
      });
  return engine;
}

AddParams paramsFor(const std::string& source) {
  AddParams p;
  p.source = source;
  p.saveDir = "/tmp";
  return p;
}

}  // namespace

class TestTaskRouting : public QObject {
  Q_OBJECT

 private slots:
  void commandsReachTheTaskOnItsLoop() {
    Journal journal;
    auto engine = makeEngine(journal);
    auto id = engine->add(paramsFor("http://127.0.0.1/a"));
    QVERIFY(id.ok());
    const TaskId t = id.value();
    QVERIFY(journal.waitUntil([&] { return journal.hasLine("start " + std::to_string(t)); }));
    QVERIFY(journal.waitUntil([&] {
      const TaskSnapshot* s = journal.lastSnapshotOf(t);
      return s != nullptr && s->state == TaskState::Downloading;
    }));
    engine->pause(t);
    QVERIFY(journal.waitUntil([&] {
      const TaskSnapshot* s = journal.lastSnapshotOf(t);
      return s != nullptr && s->state == TaskState::Paused;
    }));
    engine->setTaskLimits(t, 5000, 0);
    engine->resume(t);
    QVERIFY(journal.waitUntil([&] {
      return journal.hasLine("limit 5000 " + std::to_string(t)) &&
             journal.hasLine("resume " + std::to_string(t));
    }));
    std::lock_guard lock(journal.mutex);
    QCOMPARE(journal.wrongThread.load(), 0);
    QCOMPARE(journal.lastSnapshotOf(t)->name, std::string("fake http://127.0.0.1/a"));
    QVERIFY(!journal.events.empty());
    QCOMPARE(journal.events.front().kind, Event::Kind::Added);
    QCOMPARE(journal.events.front().task, t);
  }

  void refusedKindsNeverReachALoop() {
    Journal journal;
    auto engine = makeEngine(journal);
    auto refused = engine->add(paramsFor("magnet:?xt=urn:btih:abc"));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::NotSupported);
    std::this_thread::sleep_for(50ms);
    std::lock_guard lock(journal.mutex);
    QVERIFY(journal.events.empty());
  }

  void removeStopsPublishingAndDestroysTheTask() {
    Journal journal;
    auto engine = makeEngine(journal);
    const TaskId t = engine->add(paramsFor("a.torrent")).value();
    QVERIFY(journal.waitUntil([&] { return journal.lastSnapshotOf(t) != nullptr; }));
    engine->remove(t, true);
    QVERIFY(journal.waitUntil([&] {
      bool removedSeen = false;
      for (const auto& u : journal.updates) {
        removedSeen |= std::find(u.removed.begin(), u.removed.end(), t) != u.removed.end();
      }
      return removedSeen && journal.hasLine("destroyed " + std::to_string(t));
    }));
    std::lock_guard lock(journal.mutex);
    QVERIFY(journal.hasLine("remove+delete " + std::to_string(t)));
    QCOMPARE(journal.events.back().kind, Event::Kind::Removed);
  }

  void statsSumTheTasks() {
    Journal journal;
    auto engine = makeEngine(journal);
    for (int i = 0; i < 4; ++i) {
      QVERIFY(engine->add(paramsFor("http://127.0.0.1/" + std::to_string(i))).ok());
    }
    QVERIFY(journal.waitUntil([&] {
      return !journal.updates.empty() && journal.updates.back().stats.downloadRate == 4000 &&
             journal.updates.back().stats.traffic.http == 40;
    }));
  }

  void shutdownLetsEveryTaskSaveThroughThePool() {
    Journal journal;
    std::vector<TaskId> ids;
    {
      auto engine = makeEngine(journal);
      for (int i = 0; i < 6; ++i) {
        ids.push_back(engine->add(paramsFor("http://127.0.0.1/" + std::to_string(i))).value());
      }
      QVERIFY(journal.waitUntil([&] {
        return std::all_of(ids.begin(), ids.end(),
                           [&](TaskId t) { return journal.hasLine("start " + std::to_string(t)); });
      }));
      engine->pauseAll();
    }
    std::lock_guard lock(journal.mutex);
    for (TaskId t : ids) {
      const std::string n = std::to_string(t);
      QVERIFY2(journal.hasLine("pause " + n), n.c_str());
      QVERIFY2(journal.hasLine("saved " + n), n.c_str());
      QVERIFY2(journal.hasLine("destroyed " + n), n.c_str());
    }
    QCOMPARE(journal.wrongThread.load(), 0);
  }

  void unknownIdsAreHarmless() {
    Journal journal;
    auto engine = makeEngine(journal);
    engine->pause(999);
    engine->resume(999);
    engine->remove(999, false);
    engine->setTaskLimits(999, 1, 1);
    std::this_thread::sleep_for(50ms);
    std::lock_guard lock(journal.mutex);
    QVERIFY(journal.events.empty());
  }
};

QTEST_GUILESS_MAIN(TestTaskRouting)
#include "tst_task_routing.moc"
