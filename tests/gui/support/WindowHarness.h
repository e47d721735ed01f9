// A MainWindow over an EngineBridge over a FakeEngine, for the GUI tests that
// drive the whole window. Settings live in QStandardPaths' test location, so
// a test never reads or writes the user's own configuration.
#pragma once

#include <QAction>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <memory>

#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TaskTableView.h"

namespace tributary::test {

// Call from initTestCase(), before anything creates a QSettings. One settings
// file per test process: ctest runs the GUI tests in parallel, and with one
// shared file a test's writes showed up in another's checks.
inline void useTestSettings() {
  QStandardPaths::setTestModeEnabled(true);
  static QTemporaryDir dir;  // removed when the test process ends
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
  QSettings().clear();
}

struct WindowHarness {
  FakeEngine* engine = nullptr;  // owned by the bridge
  std::unique_ptr<ui::EngineBridge> bridge;
  std::unique_ptr<ui::MainWindow> window;

  WindowHarness() {
    auto fake = std::make_unique<FakeEngine>();
    engine = fake.get();
    bridge = std::make_unique<ui::EngineBridge>(std::move(fake));
    window = std::make_unique<ui::MainWindow>(bridge.get());
  }

  QAction* action(const char* name) const {
    return window->findChild<QAction*>(QString::fromLatin1(name));
  }

  // From an engine thread, as the real engine's loops deliver; returns once
  // the bridge has passed it on to the window.
  bool deliver(const Update& update) const {
    QSignalSpy spy(bridge.get(), &ui::EngineBridge::tasksUpdated);
    engine->runOnEngineThread([&](FakeEngine& e) { e.deliver(update); });
    return spy.wait(5000);
  }

  // Selects the view row of task `id` alone; false when it has no row.
  bool selectTask(quint64 id) const {
    ui::TaskTableView* view = window->taskView();
    for (int r = 0; r < view->model()->rowCount(); ++r) {
      const QModelIndex index = view->model()->index(r, 0);
      if (index.data(ui::TaskListModel::TaskIdRole).value<quint64>() == id) {
        view->selectRow(r);
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> addedSources() const {
    std::vector<std::string> sources;
    for (const auto& command : engine->commandsOf(FakeEngine::Command::Kind::Add)) {
      sources.push_back(command.source);
    }
    return sources;
  }
};

}  // namespace tributary::test
