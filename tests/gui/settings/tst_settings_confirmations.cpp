// The two confirmations of the Interface page, in a shown main window over a
// FakeEngine. Removing: with "Ask before removing" off the Remove command
// removes at once and keeps the files, while "Remove and Delete Files" still
// asks. Quitting: with "Ask before quitting" on, File > Quit and the tray's
// Quit ask while a download runs, and do not when none runs or when it is off.
#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QMessageBox>
#include <QSettings>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <memory>

#include "gui/support/WindowHarness.h"
#include "gui/tray/TrayTestSupport.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/TrayIcon.h"

using tributary::TaskState;
using tributary::Update;
using tributary::test::CloseRecorder;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::trayAction;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::TrayIcon;
using Kind = FakeEngine::Command::Kind;

namespace {

struct BoxSeen {
  bool seen = false;
  QString text;
  bool deleteTicked = false;
};

// Answers the next modal message box with the button `role` names, from the
// event loop the box runs, and records what it showed. Shared, so a timer
// that finds no box never writes into a finished test.
std::shared_ptr<BoxSeen> answerNextBox(QObject* context, QMessageBox::ButtonRole role) {
  auto seen = std::make_shared<BoxSeen>();
  QTimer::singleShot(0, context, [role, seen] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (box == nullptr) {
      return;
    }
    seen->seen = true;
    seen->text = box->text();
    seen->deleteTicked = box->checkBox() != nullptr && box->checkBox()->isChecked();
    const QList<QAbstractButton*> buttons = box->buttons();
    const auto match = std::find_if(buttons.begin(), buttons.end(),
                                    [&](QAbstractButton* b) { return box->buttonRole(b) == role; });
    if (match != buttons.end()) {
      (*match)->click();
    } else {
      box->reject();
    }
  });
  return seen;
}

// Lets a pending answering timer run, so "no box" is known and not guessed.
void settle() {
  QCoreApplication::processEvents();
}

// Tasks 1 and 2 download unless `running` is false; 3 is paused, 4 seeds.
bool prepare(WindowHarness& h, bool running = true) {
  h.window->show();
  if (!QTest::qWaitForWindowExposed(h.window.get())) {
    return false;
  }
  const TaskState first = running ? TaskState::Downloading : TaskState::Completed;
  Update update;
  update.full = true;
  update.tasks.push_back(makeSnapshot(1, "one", first, 1000, 100));
  update.tasks.push_back(makeSnapshot(2, "two", first, 1000, 100));
  update.tasks.push_back(makeSnapshot(3, "three", TaskState::Paused, 1000, 100));
  update.tasks.push_back(makeSnapshot(4, "four", TaskState::Seeding, 1000, 1000));
  return h.deliver(update);
}

}  // namespace

class TestSettingsConfirmations : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanupTestCase();

  void removeAsksByDefault();
  void removeWithoutConfirmationKeepsFiles();
  void deletingFilesAlwaysAsks();
  void quitAsksWhileDownloading();
  void trayQuitAsksToo();
  void quitAsksNothingWhenNothingDownloads();
  void quitAsksNothingByDefault();
};

void TestSettingsConfirmations::initTestCase() {
  tributary::test::useTestSettings();
}

void TestSettingsConfirmations::init() {
  QSettings().clear();
  TrayIcon::setSystemTrayAvailableForTesting(false);
}

void TestSettingsConfirmations::cleanupTestCase() {
  TrayIcon::setSystemTrayAvailableForTesting(std::nullopt);
}

void TestSettingsConfirmations::removeAsksByDefault() {
  WindowHarness h;
  QVERIFY(prepare(h));
  QVERIFY(h.selectTask(3));
  auto box = answerNextBox(this, QMessageBox::RejectRole);
  h.action("actionRemove")->trigger();
  QVERIFY(box->seen);
  QVERIFY(!box->deleteTicked);
  QVERIFY(h.engine->commandsOf(Kind::Remove).empty());
}

void TestSettingsConfirmations::removeWithoutConfirmationKeepsFiles() {
  AppSettings().setAskBeforeRemoving(false);
  WindowHarness h;
  QVERIFY(prepare(h));
  QVERIFY(h.selectTask(3));
  auto box = answerNextBox(this, QMessageBox::DestructiveRole);
  h.action("actionRemove")->trigger();
  settle();
  QVERIFY(!box->seen);
  const auto removes = h.engine->commandsOf(Kind::Remove);
  QCOMPARE(removes.size(), std::size_t{1});
  QCOMPARE(removes.front().task, tributary::TaskId{3});
  QVERIFY(!removes.front().deleteFiles);
}

void TestSettingsConfirmations::deletingFilesAlwaysAsks() {
  AppSettings().setAskBeforeRemoving(false);
  WindowHarness h;
  QVERIFY(prepare(h));
  QVERIFY(h.selectTask(3));
  QAction* removeWithFiles = h.action("actionRemoveWithFiles");
  QVERIFY(removeWithFiles != nullptr);
  QVERIFY(removeWithFiles->isEnabled());

  auto box = answerNextBox(this, QMessageBox::RejectRole);
  removeWithFiles->trigger();
  QVERIFY(box->seen);
  QVERIFY(box->deleteTicked);  // the box says what is about to happen
  QVERIFY(h.engine->commandsOf(Kind::Remove).empty());

  box = answerNextBox(this, QMessageBox::DestructiveRole);
  removeWithFiles->trigger();
  QVERIFY(box->seen);
  const auto removes = h.engine->commandsOf(Kind::Remove);
  QCOMPARE(removes.size(), std::size_t{1});
  QCOMPARE(removes.front().task, tributary::TaskId{3});
  QVERIFY(removes.front().deleteFiles);
}

void TestSettingsConfirmations::quitAsksWhileDownloading() {
  AppSettings().setAskBeforeQuitting(true);
  WindowHarness h;
  QVERIFY(prepare(h));
  auto box = answerNextBox(this, QMessageBox::RejectRole);
  h.action("actionQuit")->trigger();
  QVERIFY(box->seen);
  QVERIFY2(box->text.contains(QLatin1Char('2')), qPrintable(box->text));  // both running ones
  QVERIFY(h.window->isVisible());  // cancelled: the program goes on

  box = answerNextBox(this, QMessageBox::AcceptRole);
  h.action("actionQuit")->trigger();
  QVERIFY(box->seen);
  QVERIFY(!h.window->isVisible());
}

void TestSettingsConfirmations::trayQuitAsksToo() {
  TrayIcon::setSystemTrayAvailableForTesting(true);
  AppSettings().setAskBeforeQuitting(true);
  WindowHarness h;
  CloseRecorder closes(h.window.get());
  QVERIFY(prepare(h));
  // Closing into the tray is not quitting: downloads go on, nothing asks.
  auto box = answerNextBox(this, QMessageBox::RejectRole);
  h.window->close();
  settle();
  QVERIFY(!box->seen);
  QVERIFY(!h.window->isVisible());

  // Hidden in the tray, both are invisible: the close event tells them apart.
  box = answerNextBox(this, QMessageBox::RejectRole);
  trayAction(h, "trayQuit")->trigger();
  QVERIFY(box->seen);
  QCOMPARE(closes.closes, 2);
  QVERIFY(!closes.lastAccepted);

  box = answerNextBox(this, QMessageBox::AcceptRole);
  trayAction(h, "trayQuit")->trigger();
  QVERIFY(box->seen);
  QCOMPARE(closes.closes, 3);
  QVERIFY(closes.lastAccepted);
}

void TestSettingsConfirmations::quitAsksNothingWhenNothingDownloads() {
  AppSettings().setAskBeforeQuitting(true);
  WindowHarness h;
  QVERIFY(prepare(h, false));  // paused, seeding and completed only
  auto box = answerNextBox(this, QMessageBox::RejectRole);
  h.action("actionQuit")->trigger();
  settle();
  QVERIFY(!box->seen);
  QVERIFY(!h.window->isVisible());
}

void TestSettingsConfirmations::quitAsksNothingByDefault() {
  WindowHarness h;
  QVERIFY(prepare(h));
  auto box = answerNextBox(this, QMessageBox::RejectRole);
  h.action("actionQuit")->trigger();
  settle();
  QVERIFY(!box->seen);
  QVERIFY(!h.window->isVisible());
}

QTEST_MAIN(TestSettingsConfirmations)
#include "tst_settings_confirmations.moc"
