// The tray's logic offscreen, with the tray's presence faked through
// TrayIcon::setSystemTrayAvailableForTesting: close and minimise to tray, the
// menu's actions and their state, the tooltip from the engine's figures and
// the notifications. tst_tray_settings covers the limits and the settings.
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>

#include "gui/support/WindowHarness.h"
#include "gui/tray/TrayTestSupport.h"
#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/models/Format.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TrayIcon.h"

using tributary::ErrorCode;
using tributary::Event;
using tributary::TaskState;
using tributary::Update;
using tributary::test::CloseRecorder;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::trayAction;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::EngineBridge;
using tributary::ui::Format;
using tributary::ui::TrayIcon;
using Kind = FakeEngine::Command::Kind;

namespace {

constexpr quint64 kKiB = 1024;

// An update carrying only the engine's figures; it reaches the window as
// statsUpdated alone.
bool deliverStats(const WindowHarness& h, const Update& update) {
  QSignalSpy spy(h.bridge.get(), &EngineBridge::statsUpdated);
  h.engine->runOnEngineThread([&](FakeEngine& e) { e.deliver(update); });
  return spy.wait(5000);
}

bool deliverEvent(const WindowHarness& h, Event::Kind kind, tributary::TaskId task,
                  ErrorCode error = ErrorCode::Ok) {
  QSignalSpy spy(h.bridge.get(), &EngineBridge::taskEvent);
  h.engine->runOnEngineThread([&](FakeEngine& e) {
    Event event;
    event.kind = kind;
    event.task = task;
    event.error = error;
    e.deliver(event);
  });
  return spy.wait(5000);
}

}  // namespace

class TestTray : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanupTestCase();

  void closeHidesIntoTheTray();
  void closeClosesWithoutATray();
  void closeClosesWhenTheSettingIsOff();
  void quitBypassesCloseToTray();
  void minimiseHidesIntoTheTrayWhenAsked();
  void triggerAndShowHideToggleTheWindow();
  void menuPausesAndResumesEverything();
  void toolTipFollowsTheEngineFigures();
  void notifiesWhenATaskCompletesOrFails();
  void noNotificationsWhenTurnedOffOrWithoutTray();
};

void TestTray::initTestCase() {
  tributary::test::useTestSettings();
}

void TestTray::init() {
  QSettings().clear();
  TrayIcon::setSystemTrayAvailableForTesting(true);
}

void TestTray::cleanupTestCase() {
  TrayIcon::setSystemTrayAvailableForTesting(std::nullopt);
}

void TestTray::closeHidesIntoTheTray() {
  WindowHarness h;
  CloseRecorder closes(h.window.get());
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  TrayIcon* tray = h.window->trayIcon();
  QVERIFY(tray->isAvailable());
  QVERIFY(tray->icon()->isVisible());
  QVERIFY(tray->hidesOnClose());  // the default where a tray exists

  QVERIFY(!h.window->close());
  QCOMPARE(closes.closes, 1);
  QVERIFY(!closes.lastAccepted);
  QVERIFY(!h.window->isVisible());
  QVERIFY(tray->icon()->isVisible());
  // The program goes on: commands still reach the engine from the tray.
  trayAction(h, "trayPauseAll")->trigger();
  QCOMPARE(h.engine->commandsOf(Kind::PauseAll).size(), std::size_t{1});
}

void TestTray::closeClosesWithoutATray() {
  TrayIcon::setSystemTrayAvailableForTesting(false);
  WindowHarness h;
  CloseRecorder closes(h.window.get());
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  TrayIcon* tray = h.window->trayIcon();
  QVERIFY(!tray->isAvailable());
  QVERIFY(tray->icon() == nullptr);
  QVERIFY(!tray->hidesOnClose());  // although the setting says so
  QVERIFY(AppSettings().closeToTray());

  QVERIFY(h.window->close());
  QVERIFY(closes.lastAccepted);
  QVERIFY(!h.window->isVisible());

  // A tray host that goes away after the start (a panel restart) does not
  // take the window with it.
  TrayIcon::setSystemTrayAvailableForTesting(true);
  WindowHarness later;
  CloseRecorder laterCloses(later.window.get());
  later.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(later.window.get()));
  QVERIFY(later.window->trayIcon()->isAvailable());
  TrayIcon::setSystemTrayAvailableForTesting(false);
  QVERIFY(later.window->close());
  QVERIFY(laterCloses.lastAccepted);
}

void TestTray::closeClosesWhenTheSettingIsOff() {
  AppSettings().setCloseToTray(false);
  WindowHarness h;
  CloseRecorder closes(h.window.get());
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(h.window->trayIcon()->isAvailable());
  QVERIFY(h.window->close());
  QVERIFY(closes.lastAccepted);
}

void TestTray::quitBypassesCloseToTray() {
  for (const char* path : {"tray", "file menu"}) {
    WindowHarness h;
    CloseRecorder closes(h.window.get());
    h.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
    QVERIFY(h.window->trayIcon()->hidesOnClose());
    if (qstrcmp(path, "tray") == 0) {
      QSignalSpy quit(h.window->trayIcon(), &TrayIcon::quitRequested);
      trayAction(h, "trayQuit")->trigger();
      QCOMPARE(quit.size(), 1);
    } else {
      h.action("actionQuit")->trigger();
    }
    QVERIFY2(closes.closes == 1 && closes.lastAccepted, path);
    QVERIFY(!h.window->isVisible());
  }
  // Quitting from the hidden state closes for real too.
  WindowHarness h;
  CloseRecorder closes(h.window.get());
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  h.window->close();
  QVERIFY(!closes.lastAccepted);
  trayAction(h, "trayQuit")->trigger();
  QCOMPARE(closes.closes, 2);
  QVERIFY(closes.lastAccepted);
}

void TestTray::minimiseHidesIntoTheTrayWhenAsked() {
  {
    WindowHarness h;  // off by default: minimising only minimises
    h.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
    h.window->showMinimized();
    QVERIFY(h.window->isMinimized());
    QCoreApplication::processEvents();
    QVERIFY(h.window->isVisible());
  }
  AppSettings().setMinimizeToTray(true);
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  h.window->showMinimized();
  QVERIFY(QTest::qWaitFor([&] { return !h.window->isVisible(); }, 5000));
  // Shown again from the tray, it is no longer minimised.
  h.window->trayIcon()->showHideAction()->trigger();
  QVERIFY(h.window->isVisible());
  QVERIFY(!h.window->isMinimized());
}

void TestTray::triggerAndShowHideToggleTheWindow() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  QAction* showHide = tray->showHideAction();
  QCOMPARE(showHide->text(), TrayIcon::tr("&Show Window"));
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QCOMPARE(showHide->text(), TrayIcon::tr("&Hide Window"));

  // A left click on the icon is a Trigger.
  emit tray->icon()->activated(QSystemTrayIcon::Trigger);
  QVERIFY(!h.window->isVisible());
  QCOMPARE(showHide->text(), TrayIcon::tr("&Show Window"));
  emit tray->icon()->activated(QSystemTrayIcon::Trigger);
  QVERIFY(h.window->isVisible());
  // Other activations (the context menu opening) leave the window alone.
  emit tray->icon()->activated(QSystemTrayIcon::Context);
  QVERIFY(h.window->isVisible());

  showHide->trigger();
  QVERIFY(!h.window->isVisible());
  showHide->trigger();
  QVERIFY(h.window->isVisible());
  QCOMPARE(showHide->text(), TrayIcon::tr("&Hide Window"));
}

void TestTray::menuPausesAndResumesEverything() {
  WindowHarness h;
  QMenu* menu = h.window->trayIcon()->menu();
  QCOMPARE(h.window->trayIcon()->icon()->contextMenu(), menu);
  QStringList names;
  for (QAction* action : menu->actions()) {
    if (!action->isSeparator()) {
      names << action->objectName();
      QVERIFY2(action->isEnabled(), qPrintable(action->objectName()));
    }
  }
  QCOMPARE(names, QStringList({"trayShowHide", "trayPauseAll", "trayResumeAll", "trayAltLimits",
                               "trayQuit"}));
  QVERIFY(trayAction(h, "trayAltLimits")->isCheckable());
  QVERIFY(!trayAction(h, "trayAltLimits")->isChecked());

  trayAction(h, "trayPauseAll")->trigger();
  trayAction(h, "trayResumeAll")->trigger();
  const auto commands = h.engine->commands();
  QCOMPARE(commands.size(), std::size_t{2});
  QCOMPARE(commands[0].kind, Kind::PauseAll);
  QCOMPARE(commands[1].kind, Kind::ResumeAll);
}

void TestTray::toolTipFollowsTheEngineFigures() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  QVERIFY(tray->toolTip().contains(TrayIcon::tr("Download: %1").arg(Format::rate(0))));

  Update update;
  update.stats.downloadRate = 1536 * kKiB;
  update.stats.uploadRate = 20 * kKiB;
  update.stats.maxUploadRate = 50 * kKiB;
  QVERIFY(deliverStats(h, update));
  const QString expected = QStringList({TrayIcon::tr("Tributary"),
                                        TrayIcon::tr("Download: %1").arg(Format::rate(1536 * kKiB)),
                                        TrayIcon::tr("Upload: %1 (limit %2)")
                                            .arg(Format::rate(20 * kKiB), Format::rate(50 * kKiB))})
                               .join('\n');
  QCOMPARE(tray->toolTip(), expected);
  QCOMPARE(tray->icon()->toolTip(), expected);
  QVERIFY(expected.contains(QStringLiteral("1.5 MiB/s")));

  update.stats.downloadRate = 0;
  QVERIFY(deliverStats(h, update));
  QVERIFY(tray->toolTip().contains(TrayIcon::tr("Download: %1").arg(Format::rate(0))));
}

void TestTray::notifiesWhenATaskCompletesOrFails() {
  WindowHarness h;
  Update update;
  update.full = true;
  update.tasks.push_back(makeSnapshot(7, "alpha.iso", TaskState::Downloading, 1000, 100));
  QVERIFY(h.deliver(update));
  QSignalSpy messages(h.window->trayIcon(), &TrayIcon::messageShown);

  QVERIFY(deliverEvent(h, Event::Kind::Added, 7));
  QVERIFY(deliverEvent(h, Event::Kind::Completed, 7));
  QCOMPARE(messages.size(), 1);
  QCOMPARE(messages[0][0].toString(), TrayIcon::tr("Download finished"));
  QCOMPARE(messages[0][1].toString(), QStringLiteral("alpha.iso"));

  QVERIFY(deliverEvent(h, Event::Kind::Failed, 7, ErrorCode::DiskFull));
  QCOMPARE(messages.size(), 2);
  QCOMPARE(messages[1][0].toString(), TrayIcon::tr("Download failed"));
  const QString body = messages[1][1].toString();
  QVERIFY2(body.startsWith(QStringLiteral("alpha.iso: ")) && body.size() > 11, qPrintable(body));
}

void TestTray::noNotificationsWhenTurnedOffOrWithoutTray() {
  AppSettings().setNotifyWhenDone(false);
  {
    WindowHarness h;
    QSignalSpy messages(h.window->trayIcon(), &TrayIcon::messageShown);
    QVERIFY(deliverEvent(h, Event::Kind::Completed, 7));
    QVERIFY(deliverEvent(h, Event::Kind::Failed, 7, ErrorCode::DiskFull));
    QCOMPARE(messages.size(), 0);
  }
  AppSettings().setNotifyWhenDone(true);
  TrayIcon::setSystemTrayAvailableForTesting(false);
  WindowHarness h;
  QSignalSpy messages(h.window->trayIcon(), &TrayIcon::messageShown);
  QVERIFY(deliverEvent(h, Event::Kind::Completed, 7));
  QCOMPARE(messages.size(), 0);
}

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
