// The task table's keys in a shown main window over a FakeEngine: Ctrl+A
// selects every row, Space pauses or resumes the selection, Enter shows the
// current task's details, Delete asks before removing the selected tasks,
// and none of these act while the user types in the search box.
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <memory>

#include "gui/support/WindowHarness.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TaskSearchField.h"

using tributary::TaskId;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::WindowHarness;
using Kind = FakeEngine::Command::Kind;

namespace {

std::vector<TaskId> tasksOf(const std::vector<FakeEngine::Command>& commands) {
  std::vector<TaskId> ids;
  for (const auto& command : commands) {
    ids.push_back(command.task);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Four tasks; the window shown, active and the table focused.
bool prepare(WindowHarness& h) {
  h.window->show();
  if (!QTest::qWaitForWindowActive(h.window.get())) {
    return false;
  }
  Update update;
  update.full = true;
  update.tasks.push_back(makeSnapshot(1, "one", TaskState::Downloading, 1000, 100));
  update.tasks.push_back(makeSnapshot(2, "two", TaskState::Paused, 1000, 100));
  update.tasks.push_back(makeSnapshot(3, "three", TaskState::Failed, 1000, 100));
  update.tasks.push_back(makeSnapshot(4, "four", TaskState::Seeding, 1000, 1000));
  if (!h.deliver(update)) {
    return false;
  }
  h.window->taskView()->setFocus();
  return h.window->taskView()->hasFocus();
}

// Answers the next modal message box with the button `role` names, from
// the event loop the box runs; the flag records that there was one. Shared,
// so a timer that finds no box never writes into a finished test.
std::shared_ptr<bool> answerNextMessageBox(QObject* context, QMessageBox::ButtonRole role) {
  auto seen = std::make_shared<bool>(false);
  QTimer::singleShot(0, context, [role, seen] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (box == nullptr) {
      return;
    }
    *seen = true;
    for (QAbstractButton* button : box->buttons()) {
      if (box->buttonRole(button) == role) {
        button->click();
        return;
      }
    }
    box->reject();
  });
  return seen;
}

}  // namespace

class TestTaskKeyboard : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void ctrlASelectsEveryRow();
  void spacePausesAMixedSelection();
  void spaceResumesStoppedTasks();
  void enterShowsTheCurrentTasksDetails();
  void deleteAsksThenRemoves();
  void searchBoxKeepsItsKeys();
};

void TestTaskKeyboard::initTestCase() {
  tributary::test::useTestSettings();
}

void TestTaskKeyboard::ctrlASelectsEveryRow() {
  WindowHarness h;
  QVERIFY(prepare(h));
  QTest::keyClick(h.window->taskView(), Qt::Key_A, Qt::ControlModifier);
  QCOMPARE(h.window->taskView()->selectedTaskIds().size(), 4);
  QVERIFY(h.action("actionPause")->isEnabled());
}

void TestTaskKeyboard::spacePausesAMixedSelection() {
  WindowHarness h;
  QVERIFY(prepare(h));
  auto* view = h.window->taskView();
  QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
  QTest::keyClick(view, Qt::Key_Space);
  // One running task is enough to pause them all; nothing is resumed.
  QCOMPARE(tasksOf(h.engine->commandsOf(Kind::Pause)), (std::vector<TaskId>{1, 2, 3, 4}));
  QVERIFY(h.engine->commandsOf(Kind::Resume).empty());
  // Space changes no selection, as the table's own Space would.
  QCOMPARE(view->selectedTaskIds().size(), 4);
}

void TestTaskKeyboard::spaceResumesStoppedTasks() {
  WindowHarness h;
  QVERIFY(prepare(h));
  auto* view = h.window->taskView();
  // The paused and the failed task: both stopped, so Space resumes both.
  QVERIFY(h.selectTask(2));
  const QModelIndex failed = [&] {
    for (int r = 0; r < view->model()->rowCount(); ++r) {
      const QModelIndex index = view->model()->index(r, 0);
      if (index.data(tributary::ui::TaskListModel::TaskIdRole).value<quint64>() == 3) {
        return index;
      }
    }
    return QModelIndex();
  }();
  QVERIFY(failed.isValid());
  view->selectionModel()->select(failed, QItemSelectionModel::Select | QItemSelectionModel::Rows);
  QTest::keyClick(view, Qt::Key_Space);
  QCOMPARE(tasksOf(h.engine->commandsOf(Kind::Resume)), (std::vector<TaskId>{2, 3}));
  QVERIFY(h.engine->commandsOf(Kind::Pause).empty());

  // Nothing selected: Space does nothing.
  view->clearSelection();
  QTest::keyClick(view, Qt::Key_Space);
  QCOMPARE(h.engine->commandsOf(Kind::Resume).size(), std::size_t{2});
  QVERIFY(h.engine->commandsOf(Kind::Pause).empty());
}

void TestTaskKeyboard::enterShowsTheCurrentTasksDetails() {
  WindowHarness h;
  QVERIFY(prepare(h));
  auto* view = h.window->taskView();
  // The current row, not yet selected (as after Ctrl+arrow keys).
  QVERIFY(h.selectTask(1));
  int rowOfFour = -1;
  for (int r = 0; r < view->model()->rowCount(); ++r) {
    if (view->model()
            ->index(r, 0)
            .data(tributary::ui::TaskListModel::TaskIdRole)
            .value<quint64>() == 4) {
      rowOfFour = r;
    }
  }
  QVERIFY(rowOfFour >= 0);
  view->selectionModel()->setCurrentIndex(view->model()->index(rowOfFour, 0),
                                          QItemSelectionModel::NoUpdate);
  QTest::keyClick(view, Qt::Key_Return);
  QCOMPARE(view->selectedTaskIds(), (QList<quint64>{4}));
  QCOMPARE(h.bridge->watchedDetails(), quint64{4});
  tributary::ui::TaskDetailsPanel* details = h.window->detailsPanel();
  QWidget* focus = QApplication::focusWidget();
  QVERIFY2(focus == details || details->isAncestorOf(focus),
           focus ? focus->metaObject()->className() : "no focus");
  // Enter neither pauses nor resumes.
  QVERIFY(h.engine->commandsOf(Kind::Pause).empty());
  QVERIFY(h.engine->commandsOf(Kind::Resume).empty());
}

void TestTaskKeyboard::deleteAsksThenRemoves() {
  WindowHarness h;
  QVERIFY(prepare(h));
  auto* view = h.window->taskView();
  QVERIFY(h.selectTask(3));

  auto asked = answerNextMessageBox(this, QMessageBox::RejectRole);
  QTest::keyClick(view, Qt::Key_Delete);
  QVERIFY(*asked);
  QVERIFY(h.engine->commandsOf(Kind::Remove).empty());  // cancelled
  // Shortcuts go to the active window; a window manager hands it back once
  // the box closes, the offscreen platform needs to be asked.
  h.window->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(h.window.get()));

  asked = answerNextMessageBox(this, QMessageBox::DestructiveRole);
  QTest::keyClick(view, Qt::Key_Delete);
  QVERIFY(*asked);
  const auto removes = h.engine->commandsOf(Kind::Remove);
  QCOMPARE(tasksOf(removes), std::vector<TaskId>{3});
  QVERIFY(!removes.front().deleteFiles);  // files are kept unless the box is ticked
}

void TestTaskKeyboard::searchBoxKeepsItsKeys() {
  WindowHarness h;
  QVERIFY(prepare(h));
  QTest::keyClick(h.window->taskView(), Qt::Key_A, Qt::ControlModifier);
  auto* field = h.window->findChild<tributary::ui::TaskSearchField*>(QStringLiteral("taskSearch"));
  QVERIFY(field);
  // Ctrl+F reaches the search box from the table.
  QTest::keyClick(h.window->taskView(), Qt::Key_F, Qt::ControlModifier);
  QTRY_VERIFY_WITH_TIMEOUT(field->hasFocus(), 2000);

  auto asked = answerNextMessageBox(this, QMessageBox::DestructiveRole);
  QTest::keyClicks(field, QStringLiteral("o t"));
  QTest::keyClick(field, Qt::Key_Backspace);
  QTest::keyClick(field, Qt::Key_Home);
  QTest::keyClick(field, Qt::Key_Delete);
  QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
  QCOMPARE(field->selectedText(), QStringLiteral(" "));
  QTest::qWait(20);  // lets the answering timer run if no box did
  QVERIFY(!*asked);
  QVERIFY(h.engine->commandsOf(Kind::Remove).empty());
  QVERIFY(h.engine->commandsOf(Kind::Pause).empty());
  QCOMPARE(h.window->taskView()->selectedTaskIds().size(), 4);
}

QTEST_MAIN(TestTaskKeyboard)
#include "tst_task_keyboard.moc"
