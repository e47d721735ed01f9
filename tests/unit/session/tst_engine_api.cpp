// The engine as app/ and ui/ see it: start, subscribe, get pushed updates at
// the tick, commands that answer at once, clean shutdown.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/api/Engine.h"

using namespace tributary;
using namespace std::chrono_literals;

namespace {

// Collects what the engine pushes, from its threads, for the test thread.
struct Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Update> updates;
  std::vector<std::thread::id> threads;

  void onUpdate(const Update& update) {
    std::lock_guard lock(mutex);
    updates.push_back(update);
    threads.push_back(std::this_thread::get_id());
    changed.notify_all();
  }
  bool waitFor(std::size_t count, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, deadline, [&] { return updates.size() >= count; });
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return updates.size();
  }
};

EngineConfig quickConfig() {
  EngineConfig config;
  config.loopThreads = 2;
  config.workerThreads = 2;
  config.tick = 20ms;
  config.logLevel = LogLevel::Warning;
  return config;
}

}  // namespace

class TestEngineApi : public QObject {
  Q_OBJECT

 private:
  // A file named .torrent that holds something else.
  QString notATorrent() {
    const QString path = scratch_.filePath("notes.torrent");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
      file.write("d4:infoi3ee");  // bencode, but no torrent
    }
    return path;
  }
  QTemporaryDir scratch_;

 private slots:
  void firstUpdateIsFullThenDeltasAtTheTick() {
    Inbox inbox;  // outlives the engine that calls into it
    auto engine = Engine::create(quickConfig());
    engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
    QVERIFY(inbox.waitFor(4, 5s));
    std::lock_guard lock(inbox.mutex);
    QVERIFY(inbox.updates[0].full);
    QVERIFY(!inbox.updates[1].full);
    QCOMPARE(inbox.updates[0].stats.loopThreads, 2u);
    for (std::size_t i = 1; i < inbox.updates.size(); ++i) {
      QVERIFY(inbox.updates[i].sequence > inbox.updates[i - 1].sequence);
      QVERIFY(inbox.threads[i] != std::this_thread::get_id());  // pushed from an engine thread
    }
  }

  void limitsShowInTheStats() {
    Inbox inbox;  // outlives the engine that calls into it
    auto engine = Engine::create(quickConfig());
    engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
    engine->setGlobalLimits(1000, 2000);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      QVERIFY(inbox.waitFor(inbox.size() + 1, 5s));
      std::lock_guard lock(inbox.mutex);
      const auto& stats = inbox.updates.back().stats;
      seen = stats.maxDownloadRate == 1000 && stats.maxUploadRate == 2000;
    }
    QVERIFY(seen);
  }

  // Each loop's sampler reports once a second; an idle engine is far from busy.
  void loopBusyShowsInTheStats() {
    Inbox inbox;  // outlives the engine that calls into it
    auto engine = Engine::create(quickConfig());
    engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    std::vector<double> busy;
    while (busy.empty() && std::chrono::steady_clock::now() < deadline) {
      QVERIFY(inbox.waitFor(inbox.size() + 1, 5s));
      std::lock_guard lock(inbox.mutex);
      busy = inbox.updates.back().stats.loopBusy;
    }
    QCOMPARE(busy.size(), std::size_t{2});
    for (const double b : busy) {
      QVERIFY2(b >= 0.0 && b < 0.9, qPrintable(QString::number(b)));
    }
  }

  void addAnswersAtOnce_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dir");
    QTest::addColumn<int>("code");
    QTest::newRow("empty") << ""
                           << "/tmp" << int(ErrorCode::InvalidArgument);
    QTest::newRow("no dir") << "http://127.0.0.1/a"
                            << "" << int(ErrorCode::InvalidArgument);
    QTest::newRow("ftp") << "ftp://127.0.0.1/a"
                         << "/tmp" << int(ErrorCode::NotSupported);
    QTest::newRow("bad url") << "http://"
                             << "/tmp" << int(ErrorCode::InvalidArgument);
    QTest::newRow("bad port") << "http://127.0.0.1:99999/a"
                              << "/tmp" << int(ErrorCode::InvalidArgument);
    // A magnet is parsed by add() itself: one without a usable info-hash is refused at once.
    QTest::newRow("magnet without btih") << "magnet:?dn=nothing"
                                         << "/tmp" << int(ErrorCode::InvalidMagnet);
    QTest::newRow("magnet short btih") << "magnet:?xt=urn:btih:0123456789abcdef"
                                       << "/tmp" << int(ErrorCode::InvalidMagnet);
    QTest::newRow("magnet v2 only")
        << "magnet:?xt=urn:btmh:"
           "1220caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e"
        << "/tmp" << int(ErrorCode::NotSupported);
    // A .torrent is read and parsed by add() itself: a bad one is refused at once.
    QTest::newRow("missing torrent") << "/nonexistent/x.torrent"
                                     << "/tmp" << int(ErrorCode::FileMissing);
    QTest::newRow("not a torrent") << notATorrent() << "/tmp" << int(ErrorCode::InvalidTorrent);
  }

  void addAnswersAtOnce() {
    QFETCH(QString, source);
    QFETCH(QString, dir);
    QFETCH(int, code);
    auto engine = Engine::create(quickConfig());
    AddParams params;
    params.source = source.toStdString();
    params.saveDir = dir.toStdString();
    const auto result = engine->add(params);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error().code), code);
    QVERIFY(!result.error().toString().empty());
  }

  void httpTasksAreAcceptedAndReported() {
    Inbox inbox;  // outlives the engine that calls into it
    auto engine = Engine::create(quickConfig());
    engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
    AddParams params;
    params.source = "http://127.0.0.1:1/file.bin";  // nothing listens on port 1
    params.saveDir = QDir::tempPath().toStdString();
    params.startPaused = true;
    const auto id = engine->add(params);
    QVERIFY(id.ok());
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      QVERIFY(inbox.waitFor(inbox.size() + 1, 5s));
      std::lock_guard lock(inbox.mutex);
      for (const auto& t : inbox.updates.back().tasks) {
        seen |= t.id == id.value() && t.name == "file.bin" && t.kind == TaskKind::Http &&
                t.state == TaskState::Paused;
      }
    }
    QVERIFY(seen);
  }

  void unsubscribeStopsCallbacks() {
    Inbox inbox;  // outlives the engine that calls into it
    auto engine = Engine::create(quickConfig());
    const SubscriptionId id = engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
    QVERIFY(inbox.waitFor(2, 5s));
    engine->unsubscribe(id);
    const std::size_t after = inbox.size();
    std::this_thread::sleep_for(200ms);  // ten ticks: none may arrive
    QCOMPARE(inbox.size(), after);
  }

  void unsubscribeFromInsideTheCallback() {
    auto engine = Engine::create(quickConfig());
    std::atomic<int> calls{0};
    std::atomic<SubscriptionId> id{0};
    Engine* raw = engine.get();
    id = engine->subscribe(
        [&](const Update&) {
          if (calls.fetch_add(1) == 0) {
            while (id.load() == 0) {
              std::this_thread::yield();
            }
            raw->unsubscribe(id.load());
          }
        },
        {});
    std::this_thread::sleep_for(200ms);
    QCOMPARE(calls.load(), 1);
  }

  void manyStartsAndStopsLeaveNothingBehind() {
    for (int i = 0; i < 25; ++i) {
      Inbox inbox;
      auto engine = Engine::create(quickConfig());
      engine->subscribe([&](const Update& u) { inbox.onUpdate(u); }, {});
      engine->pause(42);  // unknown task: logged and ignored
      if (i % 5 == 0) {
        QVERIFY(inbox.waitFor(1, 5s));
      }
      engine.reset();  // joins every thread
    }
  }
};

QTEST_GUILESS_MAIN(TestEngineApi)
#include "tst_engine_api.moc"
