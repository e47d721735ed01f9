// MainWindow over a bridge with a FakeEngine: the window builds offscreen, the
// toolbar commands the engine for the selected rows, the status bar follows
// the engine's figures.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSpinBox>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include "gui/support/WindowHarness.h"
#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TaskTableView.h"

using tributary::Error;
using tributary::ErrorCode;
using tributary::TaskId;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::ui::EngineBridge;
using tributary::ui::MainWindow;
using tributary::ui::SettingsDialog;
using Kind = FakeEngine::Command::Kind;

namespace {

struct Harness {
  FakeEngine* engine = nullptr;  // owned by the bridge
  std::unique_ptr<EngineBridge> bridge;
  std::unique_ptr<MainWindow> window;

  Harness() {
    auto fake = std::make_unique<FakeEngine>();
    engine = fake.get();
    bridge = std::make_unique<EngineBridge>(std::move(fake));
    window = std::make_unique<MainWindow>(bridge.get());
  }

  QAction* action(const char* name) const {
    return window->findChild<QAction*>(QString::fromLatin1(name));
  }

  // Three tasks, delivered from an engine thread like the real engine's.
  void deliverThreeTasks() const {
    engine->runOnEngineThread([](FakeEngine& e) {
      Update update;
      update.full = true;
      update.tasks.push_back(makeSnapshot(11, "alpha.iso", TaskState::Downloading, 1000, 100));
      update.tasks.push_back(makeSnapshot(22, "beta.iso", TaskState::Downloading, 1000, 200));
      update.tasks.push_back(makeSnapshot(33, "gamma.iso", TaskState::Paused, 1000, 300));
      e.deliver(update);
    });
  }
};

std::vector<TaskId> tasksOf(const std::vector<FakeEngine::Command>& commands) {
  std::vector<TaskId> ids;
  for (const auto& command : commands) {
    ids.push_back(command.task);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void constructsWithToolbarAndEmptyTable();
  void toolbarPauseCommandsSelectedRows();
  void resumeCommandsSelectedRows();
  void taskActionsNeedASelection();
  void statusBarShowsGlobalRates();
  void refusedSourceIsReportedInWords();
  void settingsSetsGlobalLimits();
  void pasteAddsEveryLinkInTheClipboard();
};

void TestMainWindow::initTestCase() {
  // The window reads its default download folder from QSettings.
  tributary::test::useTestSettings();
}

void TestMainWindow::constructsWithToolbarAndEmptyTable() {
  Harness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  auto* toolBar = h.window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
  QVERIFY(toolBar);
  for (const char* name : {"actionAddTorrent", "actionAddLink", "actionResume", "actionPause",
                           "actionRemove", "actionSettings"}) {
    QAction* action = h.action(name);
    QVERIFY2(action, name);
    QVERIFY2(toolBar->actions().contains(action), name);
    QVERIFY2(!action->text().isEmpty(), name);
  }
  QCOMPARE(h.window->taskModel()->rowCount(), 0);
  QCOMPARE(h.window->taskView()->model()->columnCount(),
           int{tributary::ui::TaskListModel::ColumnCount});
}

void TestMainWindow::toolbarPauseCommandsSelectedRows() {
  Harness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  h.deliverThreeTasks();
  auto* view = h.window->taskView();
  QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 3, 5000);

  // Select the first and the last row of the view (not the middle one).
  auto* selection = view->selectionModel();
  selection->select(view->model()->index(0, 0),
                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
  selection->select(view->model()->index(2, 0),
                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
  const QList<quint64> selected = view->selectedTaskIds();
  QCOMPARE(selected.size(), 2);

  QAction* pause = h.action("actionPause");
  QVERIFY(pause->isEnabled());
  auto* toolBar = h.window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
  auto* button = qobject_cast<QToolButton*>(toolBar->widgetForAction(pause));
  QVERIFY(button);
  QTest::mouseClick(button, Qt::LeftButton);

  std::vector<TaskId> expected(selected.begin(), selected.end());
  std::sort(expected.begin(), expected.end());
  QCOMPARE(tasksOf(h.engine->commandsOf(Kind::Pause)), expected);
  QVERIFY(std::find(expected.begin(), expected.end(), TaskId{22}) == expected.end());
  QVERIFY(h.engine->commandsOf(Kind::Resume).empty());
}

void TestMainWindow::resumeCommandsSelectedRows() {
  Harness h;
  h.deliverThreeTasks();
  auto* view = h.window->taskView();
  QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 3, 5000);
  view->selectRow(1);
  const QList<quint64> selected = view->selectedTaskIds();
  QCOMPARE(selected.size(), 1);
  h.action("actionResume")->trigger();
  QCOMPARE(tasksOf(h.engine->commandsOf(Kind::Resume)), std::vector<TaskId>{selected.first()});
}

void TestMainWindow::taskActionsNeedASelection() {
  Harness h;
  h.deliverThreeTasks();
  QTRY_COMPARE_WITH_TIMEOUT(h.window->taskView()->model()->rowCount(), 3, 5000);
  QVERIFY(!h.action("actionPause")->isEnabled());
  QVERIFY(!h.action("actionResume")->isEnabled());
  QVERIFY(!h.action("actionRemove")->isEnabled());
  h.window->taskView()->selectRow(0);
  QVERIFY(h.action("actionPause")->isEnabled());
  QVERIFY(h.action("actionRemove")->isEnabled());
  h.window->taskView()->clearSelection();
  QVERIFY(!h.action("actionPause")->isEnabled());
}

void TestMainWindow::statusBarShowsGlobalRates() {
  QLocale::setDefault(QLocale::c());
  Harness h;
  h.engine->runOnEngineThread([](FakeEngine& e) {
    Update update;
    update.stats.downloadRate = 2048;
    update.stats.uploadRate = 3 * 1024 * 1024;
    e.deliver(update);
  });
  auto* down = h.window->findChild<QLabel*>(QStringLiteral("globalDownloadRate"));
  auto* up = h.window->findChild<QLabel*>(QStringLiteral("globalUploadRate"));
  QVERIFY(down && up);
  QTRY_VERIFY_WITH_TIMEOUT(down->text().contains(QStringLiteral("2.0 KiB/s")), 5000);
  QVERIFY2(up->text().contains(QStringLiteral("3.0 MiB/s")), qPrintable(up->text()));
  QLocale::setDefault(QLocale::system());
}

void TestMainWindow::refusedSourceIsReportedInWords() {
  Harness h;
  h.engine->setAddHandler([](const tributary::AddParams&) -> tributary::Result<TaskId> {
    return Error{ErrorCode::NotSupported, "magnet links"};
  });
  const QString error = h.window->addSource(QStringLiteral("magnet:?xt=urn:btih:abc"));
  QCOMPARE(error, QStringLiteral("Not supported yet: magnet links"));
  QVERIFY2(h.window->statusBar()->currentMessage().contains(error),
           qPrintable(h.window->statusBar()->currentMessage()));
  const auto adds = h.engine->commandsOf(Kind::Add);
  QCOMPARE(adds.size(), std::size_t{1});
  QVERIFY(!adds[0].saveDir.empty());  // the default download folder
}

void TestMainWindow::settingsSetsGlobalLimits() {
  Harness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool sawDialog = false;
  // The dialog is modal: fill it in from the event loop it runs.
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    sawDialog = true;
    dialog->findChild<QSpinBox*>(QStringLiteral("downloadLimit"))->setValue(100);
    dialog->findChild<QSpinBox*>(QStringLiteral("uploadLimit"))->setValue(20);
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  QVERIFY(sawDialog);
  const auto limits = h.engine->commandsOf(Kind::GlobalLimits);
  QCOMPARE(limits.size(), std::size_t{1});
  QCOMPARE(limits[0].maxDownloadRate, std::uint64_t{100 * 1024});
  QCOMPARE(limits[0].maxUploadRate, std::uint64_t{20 * 1024});
}

void TestMainWindow::pasteAddsEveryLinkInTheClipboard() {
  Harness h;
  QApplication::clipboard()->setText(
      QStringLiteral("https://example.org/a.iso\n  not a link\nhttp://127.0.0.1:8080/b.bin  \n\n"
                     "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567\n"));
  QAction* paste = h.action("actionPasteLinks");
  QVERIFY(paste != nullptr);
  QCOMPARE(paste->shortcut(), QKeySequence(QKeySequence::Paste));
  paste->trigger();
  std::vector<std::string> sources;
  for (const auto& add : h.engine->commandsOf(Kind::Add)) {
    sources.push_back(add.source);
  }
  const std::vector<std::string> expected = {
      "https://example.org/a.iso", "http://127.0.0.1:8080/b.bin",
      "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"};
  QCOMPARE(sources, expected);

  QApplication::clipboard()->setText(QStringLiteral("nothing to see"));
  paste->trigger();
  QCOMPARE(h.engine->commandsOf(Kind::Add).size(), std::size_t{3});
  QVERIFY(h.window->statusBar()->currentMessage().contains(QStringLiteral("no link")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
