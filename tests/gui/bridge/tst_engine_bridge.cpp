// EngineBridge with a FakeEngine: engine-thread callbacks arrive as queued
// signals on the GUI thread, commands reach the engine, bursts coalesce.
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <thread>

#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/bridge/UpdateInbox.h"

using tributary::Error;
using tributary::ErrorCode;
using tributary::Event;
using tributary::TaskId;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::ui::EngineBridge;
using tributary::ui::GlobalStats;
using tributary::ui::TaskEventInfo;
using tributary::ui::TaskRow;
using tributary::ui::TaskStatus;
using tributary::ui::UpdateInbox;

namespace {

struct Harness {
  FakeEngine* engine = nullptr;  // owned by the bridge
  std::unique_ptr<EngineBridge> bridge;

  Harness() {
    auto fake = std::make_unique<FakeEngine>();
    engine = fake.get();
    bridge = std::make_unique<EngineBridge>(std::move(fake));
  }
};

Update delta(TaskId id, std::uint64_t verified) {
  Update update;
  update.tasks.push_back(makeSnapshot(id, "task", TaskState::Downloading, 1'000'000, verified));
  return update;
}

}  // namespace

class TestEngineBridge : public QObject {
  Q_OBJECT

 private slots:
  void subscribesOnConstruction();
  void deliversSnapshotOnGuiThread();
  void deliversStatsAndEvents();
  void commandsReachEngine();
  void addSourceReportsEngineErrorsInWords();
  void addSourceRejectsEmptyInput();
  void burstArrivesAsOneDeliveryWithLatestValues();
  void burstWhileGuiRunsNeverBacklogs();
  void destructionUnsubscribesBeforeEngineDies();
  void inboxAsksForOneDrainUntilTaken();
  void inboxFullUpdateReplacesPending();
  void inboxRemovalCancelsPendingChange();
};

void TestEngineBridge::subscribesOnConstruction() {
  Harness h;
  QCOMPARE(h.engine->subscriberCount(), std::size_t{1});
  QVERIFY(h.bridge->hasEngine());
}

void TestEngineBridge::deliversSnapshotOnGuiThread() {
  Harness h;
  int deliveries = 0;
  QThread* slotThread = nullptr;
  QList<TaskRow> rows;
  bool wasFull = false;
  connect(h.bridge.get(), &EngineBridge::tasksUpdated, this,
          [&](const QList<TaskRow>& changed, const QList<quint64>&, bool full) {
            ++deliveries;
            slotThread = QThread::currentThread();
            rows = changed;
            wasFull = full;
          });

  const std::thread::id engineThread = h.engine->runOnEngineThread([](FakeEngine& engine) {
    Update update;
    update.full = true;
    update.tasks.push_back(makeSnapshot(7, "ubuntu.iso", TaskState::Downloading, 4096, 1024, 512));
    update.tasks.push_back(makeSnapshot(9, "debian.iso", TaskState::Paused));
    engine.deliver(update);
  });
  QVERIFY(engineThread != std::this_thread::get_id());
  // Queued, not direct: nothing arrives until the GUI thread's loop runs.
  QCOMPARE(deliveries, 0);

  QTRY_COMPARE_WITH_TIMEOUT(deliveries, 1, 5000);
  QCOMPARE(slotThread, qApp->thread());
  QVERIFY(wasFull);
  QCOMPARE(rows.size(), 2);
  QCOMPARE(rows[0].id, quint64{7});
  QCOMPARE(rows[0].name, QStringLiteral("ubuntu.iso"));
  QCOMPARE(rows[0].status, TaskStatus::Downloading);
  QCOMPARE(rows[0].totalBytes, quint64{4096});
  QVERIFY(rows[0].sizeKnown);
  QCOMPARE(rows[0].verifiedBytes, quint64{1024});
  QCOMPARE(rows[0].downloadRate, quint64{512});
  QCOMPARE(rows[1].id, quint64{9});
  QCOMPARE(rows[1].status, TaskStatus::Paused);
  QVERIFY(!rows[1].sizeKnown);
}

void TestEngineBridge::deliversStatsAndEvents() {
  Harness h;
  QList<GlobalStats> stats;
  QList<TaskEventInfo> events;
  QList<QThread*> threads;
  connect(h.bridge.get(), &EngineBridge::statsUpdated, this, [&](const GlobalStats& s) {
    stats.append(s);
    threads.append(QThread::currentThread());
  });
  connect(h.bridge.get(), &EngineBridge::taskEvent, this, [&](const TaskEventInfo& e) {
    events.append(e);
    threads.append(QThread::currentThread());
  });

  h.engine->runOnEngineThread([](FakeEngine& engine) {
    Update update;
    update.stats.downloadRate = 2048;
    update.stats.uploadRate = 64;
    update.stats.maxDownloadRate = 100'000;
    update.stats.traffic.cdn = 5;
    engine.deliver(update);
    Event completed;
    completed.kind = Event::Kind::Completed;
    completed.task = 3;
    engine.deliver(completed);
    Event failed;
    failed.kind = Event::Kind::Failed;
    failed.task = 4;
    failed.error = ErrorCode::ConnectionRefused;
    failed.message = "127.0.0.1:9";
    engine.deliver(failed);
  });

  QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 5000);
  QCOMPARE(stats.size(), 1);
  QCOMPARE(stats[0].downloadRate, quint64{2048});
  QCOMPARE(stats[0].uploadRate, quint64{64});
  QCOMPARE(stats[0].maxDownloadRate, quint64{100'000});
  QCOMPARE(stats[0].traffic.cdn, quint64{5});
  QCOMPARE(events[0].kind, TaskEventInfo::Kind::Completed);
  QCOMPARE(events[0].task, quint64{3});
  QVERIFY(events[0].errorText.isEmpty());
  QCOMPARE(events[1].kind, TaskEventInfo::Kind::Failed);
  QCOMPARE(events[1].errorText, QStringLiteral("Connection refused"));
  QCOMPARE(events[1].detail, QStringLiteral("127.0.0.1:9"));
  for (QThread* thread : threads) {
    QCOMPARE(thread, qApp->thread());
  }
}

void TestEngineBridge::commandsReachEngine() {
  Harness h;
  h.bridge->pause(3);
  h.bridge->resume(4);
  h.bridge->remove(5, true);
  h.bridge->pauseAll();
  h.bridge->resumeAll();
  h.bridge->setGlobalLimits(100, 200);
  const auto result = h.bridge->addSource(QStringLiteral("  https://example.test/a.iso \n"),
                                          QStringLiteral("/tmp/dl"));
  QVERIFY(result.ok());
  QVERIFY(result.error.isEmpty());

  using Kind = FakeEngine::Command::Kind;
  const auto commands = h.engine->commands();
  QCOMPARE(commands.size(), std::size_t{7});
  QCOMPARE(commands[0].kind, Kind::Pause);
  QCOMPARE(commands[0].task, TaskId{3});
  QCOMPARE(commands[1].kind, Kind::Resume);
  QCOMPARE(commands[1].task, TaskId{4});
  QCOMPARE(commands[2].kind, Kind::Remove);
  QCOMPARE(commands[2].task, TaskId{5});
  QVERIFY(commands[2].deleteFiles);
  QCOMPARE(commands[3].kind, Kind::PauseAll);
  QCOMPARE(commands[4].kind, Kind::ResumeAll);
  QCOMPARE(commands[5].kind, Kind::GlobalLimits);
  QCOMPARE(commands[5].maxDownloadRate, std::uint64_t{100});
  QCOMPARE(commands[5].maxUploadRate, std::uint64_t{200});
  QCOMPARE(commands[6].kind, Kind::Add);
  QCOMPARE(commands[6].source, std::string("https://example.test/a.iso"));
  QCOMPARE(commands[6].saveDir, std::string("/tmp/dl"));
  QCOMPARE(result.id, quint64{commands[6].task});
}

void TestEngineBridge::addSourceReportsEngineErrorsInWords() {
  Harness h;
  h.engine->setAddHandler([](const tributary::AddParams&) -> tributary::Result<TaskId> {
    return Error{ErrorCode::NotSupported, "magnet links"};
  });
  const auto result =
      h.bridge->addSource(QStringLiteral("magnet:?xt=urn:btih:abc"), QStringLiteral("/tmp"));
  QVERIFY(!result.ok());
  QCOMPARE(result.error, QStringLiteral("Not supported yet: magnet links"));
}

void TestEngineBridge::addSourceRejectsEmptyInput() {
  Harness h;
  const auto result = h.bridge->addSource(QStringLiteral("   "), QStringLiteral("/tmp"));
  QVERIFY(!result.ok());
  QVERIFY(!result.error.isEmpty());
  QVERIFY(h.engine->commands().empty());
}

void TestEngineBridge::burstArrivesAsOneDeliveryWithLatestValues() {
  Harness h;
  int deliveries = 0;
  QHash<quint64, TaskRow> latest;
  QList<quint64> removedSeen;
  connect(h.bridge.get(), &EngineBridge::tasksUpdated, this,
          [&](const QList<TaskRow>& changed, const QList<quint64>& removed, bool) {
            ++deliveries;
            for (const TaskRow& row : changed) {
              latest.insert(row.id, row);
            }
            removedSeen += removed;
          });

  constexpr int kUpdates = 1000;
  // The GUI thread is blocked in the join meanwhile, exactly the "slow GUI"
  // the coalescing exists for.
  h.engine->runOnEngineThread([](FakeEngine& engine) {
    for (int i = 1; i <= kUpdates; ++i) {
      Update update = delta(1, static_cast<std::uint64_t>(i));
      if (i % 2 == 0) {
        update.tasks.push_back(makeSnapshot(2, "even", TaskState::Seeding, 10, i));
      }
      if (i == 500) {
        update.tasks.push_back(makeSnapshot(3, "short-lived"));
      }
      if (i == 600) {
        update.removed.push_back(3);
      }
      engine.deliver(update);
    }
  });

  QTRY_VERIFY_WITH_TIMEOUT(deliveries > 0, 5000);
  QCoreApplication::processEvents();  // a stray second drain would run here
  QCOMPARE(deliveries, 1);
  QCOMPARE(latest.size(), 2);
  QCOMPARE(latest[1].verifiedBytes, quint64{kUpdates});
  QCOMPARE(latest[2].verifiedBytes, quint64{kUpdates});
  QVERIFY(!latest.contains(3));
  QCOMPARE(removedSeen, QList<quint64>{3});
}

void TestEngineBridge::burstWhileGuiRunsNeverBacklogs() {
  Harness h;
  std::atomic<int> deliveries{0};
  quint64 lastVerified = 0;
  bool monotonic = true;
  connect(h.bridge.get(), &EngineBridge::tasksUpdated, this,
          [&](const QList<TaskRow>& changed, const QList<quint64>&, bool) {
            ++deliveries;
            for (const TaskRow& row : changed) {
              monotonic = monotonic && row.verifiedBytes > lastVerified;
              lastVerified = row.verifiedBytes;
            }
          });

  constexpr int kUpdates = 1000;
  FakeEngine* engine = h.engine;
  std::thread pusher([engine] {
    for (int i = 1; i <= kUpdates; ++i) {
      engine->deliver(delta(1, static_cast<std::uint64_t>(i)));
    }
  });
  QTRY_COMPARE_WITH_TIMEOUT(lastVerified, quint64{kUpdates}, 10000);
  pusher.join();
  QCoreApplication::processEvents();
  // Each delivery carries only the newest state; never an older one after a newer.
  QVERIFY(monotonic);
  QVERIFY(deliveries.load() >= 1);
  QVERIFY2(deliveries.load() <= kUpdates, qPrintable(QString::number(deliveries.load())));
}

void TestEngineBridge::destructionUnsubscribesBeforeEngineDies() {
  auto fake = std::make_unique<FakeEngine>();
  FakeEngine* engine = fake.get();
  std::size_t subscribersAtDeath = 99;
  engine->setOnDestroyed([&](std::size_t subscribers) { subscribersAtDeath = subscribers; });
  {
    EngineBridge bridge(std::move(fake));
    engine->runOnEngineThread([](FakeEngine& e) { e.deliver(delta(1, 1)); });
    // A drain is now posted; destroying the bridge must discard it safely.
  }
  QCOMPARE(subscribersAtDeath, std::size_t{0});
  QCoreApplication::processEvents();
}

void TestEngineBridge::inboxAsksForOneDrainUntilTaken() {
  UpdateInbox inbox;
  QVERIFY(inbox.push(delta(1, 1)));
  QVERIFY(!inbox.push(delta(1, 2)));
  QVERIFY(!inbox.push(Event{}));
  UpdateInbox::Batch batch = inbox.take();
  QCOMPARE(batch.tasks.size(), std::size_t{1});
  QCOMPARE(batch.tasks[0].verifiedBytes, std::uint64_t{2});
  QCOMPARE(batch.events.size(), std::size_t{1});
  QVERIFY(batch.stats.has_value());
  QVERIFY(inbox.take().empty());
  QVERIFY(inbox.push(delta(1, 3)));
}

void TestEngineBridge::inboxFullUpdateReplacesPending() {
  UpdateInbox inbox;
  (void)inbox.push(delta(5, 1));
  Update removal;
  removal.removed.push_back(6);
  (void)inbox.push(removal);
  Update full;
  full.full = true;
  full.tasks.push_back(makeSnapshot(2, "b"));
  full.tasks.push_back(makeSnapshot(1, "a"));
  (void)inbox.push(full);
  (void)inbox.push(delta(1, 7));
  UpdateInbox::Batch batch = inbox.take();
  QVERIFY(batch.full);
  QVERIFY(batch.removed.empty());
  QCOMPARE(batch.tasks.size(), std::size_t{2});
  QCOMPARE(batch.tasks[0].id, TaskId{1});
  QCOMPARE(batch.tasks[0].verifiedBytes, std::uint64_t{7});
  QCOMPARE(batch.tasks[1].id, TaskId{2});
  QVERIFY(!inbox.take().full);
}

void TestEngineBridge::inboxRemovalCancelsPendingChange() {
  UpdateInbox inbox;
  (void)inbox.push(delta(4, 1));
  Update removal;
  removal.removed.push_back(4);
  (void)inbox.push(removal);
  UpdateInbox::Batch batch = inbox.take();
  QVERIFY(batch.tasks.empty());
  QCOMPARE(batch.removed, std::vector<TaskId>{4});
}

QTEST_GUILESS_MAIN(TestEngineBridge)
#include "tst_engine_bridge.moc"
