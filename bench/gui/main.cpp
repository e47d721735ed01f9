// bench_gui_tasks: issue 5's GUI acceptance figures with scripted snapshots.
//   - open: from creating the main window to its first paint with every task
//     in the table (the full update already delivered);
//   - updates: the GUI thread's CPU time (getrusage RUSAGE_THREAD) per second
//     of wall time while the engine side sends an update every 500 ms in
//     which CHANGED tasks changed (rates, progress, peers), for SECONDS.
// The scripted engine runs on its own thread, as the real one does, so only
// the GUI's share is counted.
//
//   TASKS=10000 CHANGED=10000 SECONDS=20 SORT=5 build/bench/gui/bench_gui_tasks
//
// SORT=N sorts the table by column N (descending) first: 5 is the download
// rate, which every update changes, so the proxy re-sorts on every update.
//
// Offscreen unless QT_QPA_PLATFORM says otherwise (Xvfb: QT_QPA_PLATFORM=xcb).
#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/resource.h>

#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TaskTableView.h"

using namespace tributary;

namespace {

int envInt(const char* name, int fallback) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before any thread
  return value != nullptr ? std::atoi(value) : fallback;
}

double threadCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

TaskSnapshot scriptedTask(int i, int tick) {
  TaskSnapshot s;
  s.id = static_cast<TaskId>(i + 1);
  s.kind = i % 3 == 0 ? TaskKind::Http : TaskKind::Torrent;
  s.name = "scripted download " + std::to_string(i) + (i % 7 == 0 ? ".iso" : ".mkv");
  s.saveDir = "/tmp/downloads";
  s.source = "https://example.invalid/" + std::to_string(i);
  s.totalBytes = 700ull * 1024 * 1024 + static_cast<std::uint64_t>(i) * 4096;
  s.sizeKnown = true;
  const int phase = i % 5;  // a mix of states, as a long-lived list has
  s.state = phase == 0   ? TaskState::Downloading
            : phase == 1 ? TaskState::Seeding
            : phase == 2 ? TaskState::Completed
            : phase == 3 ? TaskState::Paused
                         : TaskState::Downloading;
  s.verifiedBytes = std::min<std::uint64_t>(
      s.totalBytes, static_cast<std::uint64_t>(tick + i % 97) * 3 * 1024 * 1024);
  s.downloadRate = static_cast<std::uint64_t>((i * 7919 + tick * 104729) % 5'000'000);
  s.uploadRate = static_cast<std::uint64_t>((i * 31 + tick * 17) % 500'000);
  s.traffic.bt = s.verifiedBytes / 2;
  s.traffic.http = s.verifiedBytes / 4;
  s.traffic.cdn = s.verifiedBytes - s.traffic.bt - s.traffic.http;
  s.peers = static_cast<unsigned>((i + tick) % 60);
  s.seeds = s.peers / 3;
  s.addedAtUnix = 1'790'000'000 + i;
  return s;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  const int tasks = envInt("TASKS", 10000);
  const int changed = envInt("CHANGED", tasks);
  const int seconds = envInt("SECONDS", 20);
  const int sortColumn = envInt("SORT", -1);
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // never the user's settings

  auto fake = std::make_unique<test::FakeEngine>();
  test::FakeEngine* engine = fake.get();
  ui::EngineBridge bridge(std::move(fake));

  Update full;
  full.full = true;
  for (int i = 0; i < tasks; ++i) {
    full.tasks.push_back(scriptedTask(i, 0));
  }
  QElapsedTimer open;
  open.start();
  ui::MainWindow window(&bridge);
  engine->runOnEngineThread([&](test::FakeEngine& e) { e.deliver(full); });
  // Until the model holds every task, then one paint of the window.
  while (window.taskModel()->rowCount() < tasks && open.elapsed() < 60'000) {
    QApplication::processEvents(QEventLoop::AllEvents, 10);
  }
  if (sortColumn >= 0) {
    window.taskView()->sortByColumn(sortColumn, Qt::DescendingOrder);
  }
  window.show();
  window.repaint();
  QApplication::processEvents();
  const double openSeconds = static_cast<double>(open.nsecsElapsed()) / 1e9;

  int tick = 1;
  const double cpuStart = threadCpuSeconds();
  QElapsedTimer wall;
  wall.start();
  QTimer updates;
  QObject::connect(&updates, &QTimer::timeout, [&] {
    // Built and delivered on the engine's thread, as the real engine does
    // (the GUI thread sleeps meanwhile: not counted).
    engine->runOnEngineThread([tick, changed, tasks](test::FakeEngine& e) {
      Update update;
      update.sequence = static_cast<std::uint64_t>(tick);
      for (int i = 0; i < changed; ++i) {
        update.tasks.push_back(scriptedTask((i * 7) % tasks, tick));
      }
      e.deliver(update);
    });
    ++tick;
    if (wall.elapsed() >= seconds * 1000) {
      QApplication::quit();
    }
  });
  updates.start(500);
  QApplication::exec();
  const double cpu = threadCpuSeconds() - cpuStart;
  const double elapsed = static_cast<double>(wall.nsecsElapsed()) / 1e9;
  std::printf("tasks %d, changed per update %d, rows %d, sorted by column %d\n", tasks, changed,
              window.taskModel()->rowCount(), sortColumn);
  std::printf("open with every task painted: %.3f s\n", openSeconds);
  std::printf("GUI thread during updates at 2 Hz: %.3f CPU s in %.1f s = %.1f%% of one core\n", cpu,
              elapsed, 100.0 * cpu / elapsed);
  return 0;
}
