// "Maximum active downloads" over a MainWindow and a FakeEngine: the Settings
// dialog shows it, keeps it across a re-open and a restart, hands a change to
// the running engine at once, and the engine starts with it (EngineConfig).
// Also the bridge's queue commands and the queue place it passes on.
#include <QApplication>
#include <QSettings>
#include <QSpinBox>
#include <QTest>
#include <QTimer>
#include <functional>

#include "engine/api/Engine.h"
#include "gui/support/WindowHarness.h"
#include "support/FakeEngine.h"
#include "ui/bridge/EngineOptions.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/AppSettings.h"

using namespace tributary;
using tributary::test::FakeEngine;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::EngineOptions;
using tributary::ui::SettingsDialog;
using Kind = FakeEngine::Command::Kind;

namespace {

// Opens Settings from the window's action, lets `fill` change the queue's
// spin box, then accepts or rejects; returns what the box showed on opening
// (-1 when no dialog or no box came).
int runSettings(const WindowHarness& h, const std::function<void(QSpinBox&)>& fill,
                bool accept = true) {
  QObject context;  // the timer dies with this call if no dialog ever came
  int shown = -1;
  QTimer::singleShot(0, &context, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    auto* box =
        dialog ? dialog->findChild<QSpinBox*>(QStringLiteral("maxActiveDownloads")) : nullptr;
    if (box == nullptr) {
      if (dialog) {
        dialog->reject();
      }
      return;
    }
    shown = box->value();
    fill(*box);
    accept ? dialog->accept() : dialog->reject();
  });
  h.action("actionSettings")->trigger();
  return shown;
}

std::vector<unsigned> limitsSent(const WindowHarness& h) {
  std::vector<unsigned> sent;
  for (const auto& command : h.engine->commandsOf(Kind::SetMaxActiveDownloads)) {
    sent.push_back(command.maxActiveDownloads);
  }
  return sent;
}

}  // namespace

class TestQueueSettings : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { tributary::test::useTestSettings(); }
  void init() { QSettings().clear(); }

  void defaultsAgreeWithTheEngine() {
    QCOMPARE(AppSettings().engineOptions().maxActiveDownloads,
             int(EngineConfig{}.maxActiveDownloads));
    EngineConfig config;
    config.maxActiveDownloads = 99;
    applyEngineOptions(AppSettings().engineOptions(), config);
    QCOMPARE(config.maxActiveDownloads, EngineConfig{}.maxActiveDownloads);
  }

  void outOfRangeFiguresAreBroughtIntoRange() {
    EngineOptions odd;
    odd.maxActiveDownloads = -3;
    EngineConfig config;
    applyEngineOptions(odd, config);
    QCOMPARE(config.maxActiveDownloads, 0u);
    QSettings().setValue(QStringLiteral("downloads/maxActiveDownloads"), 123456);
    QCOMPARE(AppSettings().engineOptions().maxActiveDownloads, EngineOptions::kMaxActiveDownloads);
  }

  void aChangeIsKeptAndAppliesAtOnce() {
    {
      WindowHarness h;
      QCOMPARE(runSettings(h, [](QSpinBox& box) { box.setValue(2); }), 5);
      QCOMPARE(AppSettings().engineOptions().maxActiveDownloads, 2);
      QCOMPARE(limitsSent(h), std::vector<unsigned>{2});

      // Re-opened: shown as kept; OK without a change sends nothing more.
      QCOMPARE(runSettings(h, [](QSpinBox&) {}), 2);
      QCOMPARE(limitsSent(h), std::vector<unsigned>{2});
      // Cancel keeps nothing and sends nothing.
      QCOMPARE(runSettings(
                   h, [](QSpinBox& box) { box.setValue(9); }, false),
               2);
      QCOMPARE(AppSettings().engineOptions().maxActiveDownloads, 2);
      QCOMPARE(limitsSent(h), std::vector<unsigned>{2});

      // 0 reads "Unlimited" and lifts the limit.
      QCOMPARE(runSettings(h,
                           [](QSpinBox& box) {
                             box.setValue(0);
                             QCOMPARE(box.text(), QStringLiteral("Unlimited"));
                           }),
               2);
      QCOMPARE(limitsSent(h), (std::vector<unsigned>{2, 0}));
    }
    // After a restart: shown as kept, and the engine starts with it.
    WindowHarness h;
    QCOMPARE(runSettings(
                 h, [](QSpinBox&) {}, false),
             0);
    EngineConfig config;
    applyEngineOptions(AppSettings().engineOptions(), config);
    QCOMPARE(config.maxActiveDownloads, 0u);
  }

  void bridgeSendsTheQueueCommands() {
    WindowHarness h;
    const struct {
      ui::QueueMove ui;
      QueueMove engine;
    } moves[] = {{ui::QueueMove::Up, QueueMove::Up},
                 {ui::QueueMove::Down, QueueMove::Down},
                 {ui::QueueMove::Top, QueueMove::Top},
                 {ui::QueueMove::Bottom, QueueMove::Bottom}};
    for (const auto& move : moves) {
      h.bridge->moveInQueue(42, move.ui);
    }
    const auto sent = h.engine->commandsOf(Kind::MoveInQueue);
    QCOMPARE(sent.size(), std::size_t{4});
    for (std::size_t i = 0; i < sent.size(); ++i) {
      QCOMPARE(sent[i].task, TaskId{42});
      QCOMPARE(sent[i].queueMove, moves[i].engine);
    }
    h.bridge->setMaxActiveDownloads(7);
    QCOMPARE(limitsSent(h), std::vector<unsigned>{7});
  }

  void theQueuePlaceReachesTheModel() {
    WindowHarness h;
    Update update;
    update.full = true;
    TaskSnapshot snapshot = test::makeSnapshot(3, "three", TaskState::Queued);
    snapshot.queuePosition = 4;
    update.tasks.push_back(snapshot);
    QVERIFY(h.deliver(update));
    const ui::TaskListModel* model = h.window->taskModel();
    QCOMPARE(model->rowOf(3), 0);
    QCOMPARE(model->taskAt(0).queuePosition, 4u);
    QCOMPARE(model->taskAt(0).status, ui::TaskStatus::Queued);
  }
};

QTEST_MAIN(TestQueueSettings)
#include "tst_queue_settings.moc"
