// The tray under a real tray host: Xvfb with trayer on it (TrayHost), Qt on
// the xcb platform. Closing the window hides it while the icon stays embedded
// in the tray; clicks on the icon and on its menu drive the window and the
// engine; a finished download shows a balloon; Quit ends QApplication::exec().
// It chooses its own platform, so it ignores the offscreen default of the GUI
// tests, and skips when Xvfb or trayer is not installed.
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QScreen>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>
#include <QTimer>
#include <QWindow>

#include "gui/support/WindowHarness.h"
#include "gui/tray/TrayHost.h"
#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TrayIcon.h"

using tributary::Event;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::TrayHost;
using tributary::test::WindowHarness;
using tributary::ui::EngineBridge;
using tributary::ui::TrayIcon;
using Kind = FakeEngine::Command::Kind;

namespace {

constexpr int kWaitMs = 10000;
constexpr int kTrayHeight = 24;  // trayer's --height

// Qt's own X11 tray icon window, which the tray host embeds (XEmbed).
QWidget* trayIconWindow() {
  for (QWidget* widget : QApplication::topLevelWidgets()) {
    if (widget->objectName() == QLatin1String("QSystemTrayIconSys")) {
      return widget;
    }
  }
  return nullptr;
}

QWidget* visibleBalloon() {
  for (QWidget* widget : QApplication::topLevelWidgets()) {
    if (widget->inherits("QBalloonTip") && widget->isVisible()) {
      return widget;
    }
  }
  return nullptr;
}

// Embedded means reparented into trayer's panel, a strip along the top edge
// at the right. Before that Qt's icon window sits alone at 0,0.
bool embedded(const TrayIcon* tray) {
  const QRect geometry = tray->icon()->geometry();
  const int screenWidth = QGuiApplication::primaryScreen()->geometry().width();
  return !geometry.isEmpty() && geometry.left() >= screenWidth / 2 && geometry.top() >= 0 &&
         geometry.bottom() < kTrayHeight + 2;
}

QAction* menuAction(const TrayIcon* tray, const char* name) {
  return tray->menu()->findChild<QAction*>(QString::fromLatin1(name));
}

// A right click on the icon opens the menu; a left click on the item picks it.
bool pickFromTrayMenu(const TrayIcon* tray, const char* name) {
  QWidget* icon = trayIconWindow();
  if (icon == nullptr) {
    return false;
  }
  QTest::mouseClick(icon, Qt::RightButton, {}, icon->rect().center());
  QMenu* menu = tray->menu();
  if (!QTest::qWaitFor([&] { return menu->isVisible(); }, kWaitMs) ||
      !QTest::qWaitForWindowExposed(menu)) {
    return false;
  }
  QAction* action = menuAction(tray, name);
  QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
  return QTest::qWaitFor([&] { return !menu->isVisible(); }, kWaitMs);
}

}  // namespace

class TestTrayXcb : public QObject {
  Q_OBJECT

 public:
  explicit TestTrayXcb(const TrayHost& host) : host_(host) {}

 private slots:
  void initTestCase();
  void closeHidesTheWindowBesideItsIcon();
  void clicksAndMenuDriveTheWindowAndTheEngine();
  void finishedDownloadShowsABalloon();
  void quitFromTheTrayMenuEndsTheApp();  // last: it leaves exec()

 private:
  const TrayHost& host_;
};

void TestTrayXcb::initTestCase() {
  if (!host_.skipReason().isEmpty()) {
    QSKIP(qPrintable(host_.skipReason()));
  }
  QVERIFY2(host_.error().isEmpty(), qPrintable(host_.error()));
  QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
  tributary::test::useTestSettings();
  // trayer owns the tray selection once it is up.
  QVERIFY2(QTest::qWaitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, kWaitMs),
           qPrintable(QStringLiteral("trayer did not become the system tray on %1")
                          .arg(QString::fromLatin1(host_.display()))));
  QVERIFY(TrayIcon::systemTrayAvailable());
}

void TestTrayXcb::closeHidesTheWindowBesideItsIcon() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  QVERIFY(tray->isAvailable());
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY2(QTest::qWaitFor([&] { return embedded(tray); }, kWaitMs),
           qPrintable(QStringLiteral("icon geometry %1,%2 %3x%4")
                          .arg(tray->icon()->geometry().x())
                          .arg(tray->icon()->geometry().y())
                          .arg(tray->icon()->geometry().width())
                          .arg(tray->icon()->geometry().height())));

  QVERIFY(!h.window->close());
  QVERIFY(!h.window->isVisible());
  QVERIFY(QTest::qWaitFor([&] { return !h.window->windowHandle()->isExposed(); }, kWaitMs));
  QVERIFY(trayIconWindow() != nullptr && trayIconWindow()->isVisible());
  QVERIFY(embedded(tray));
}

void TestTrayXcb::clicksAndMenuDriveTheWindowAndTheEngine() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(QTest::qWaitFor([&] { return embedded(tray); }, kWaitMs));

  QVERIFY(pickFromTrayMenu(tray, "trayPauseAll"));
  QVERIFY(
      QTest::qWaitFor([&] { return h.engine->commandsOf(Kind::PauseAll).size() == 1; }, kWaitMs));
  QVERIFY(pickFromTrayMenu(tray, "trayResumeAll"));
  QVERIFY(
      QTest::qWaitFor([&] { return h.engine->commandsOf(Kind::ResumeAll).size() == 1; }, kWaitMs));

  QCOMPARE(menuAction(tray, "trayShowHide")->text(), TrayIcon::tr("&Hide Window"));
  QVERIFY(pickFromTrayMenu(tray, "trayShowHide"));
  QVERIFY(!h.window->isVisible());
  QCOMPARE(menuAction(tray, "trayShowHide")->text(), TrayIcon::tr("&Show Window"));
  QVERIFY(pickFromTrayMenu(tray, "trayShowHide"));
  QVERIFY(h.window->isVisible());
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));

  // A left click on the icon toggles the window.
  QTest::mouseClick(trayIconWindow(), Qt::LeftButton, {}, trayIconWindow()->rect().center());
  QVERIFY(!h.window->isVisible());
  QTest::mouseClick(trayIconWindow(), Qt::LeftButton, {}, trayIconWindow()->rect().center());
  QVERIFY(h.window->isVisible());
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
}

void TestTrayXcb::finishedDownloadShowsABalloon() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  QVERIFY(QTest::qWaitFor([&] { return embedded(tray); }, kWaitMs));
  Update update;
  update.full = true;
  update.tasks.push_back(makeSnapshot(5, "delta.iso", TaskState::Downloading, 1000, 100));
  QVERIFY(h.deliver(update));
  QSignalSpy events(h.bridge.get(), &EngineBridge::taskEvent);
  h.engine->runOnEngineThread([](FakeEngine& e) {
    Event event;
    event.kind = Event::Kind::Completed;
    event.task = 5;
    e.deliver(event);
  });
  QVERIFY(events.wait(kWaitMs));
  QVERIFY(QTest::qWaitFor([] { return visibleBalloon() != nullptr; }, kWaitMs));
  QStringList texts;
  for (const QLabel* label : visibleBalloon()->findChildren<QLabel*>()) {
    texts << label->text();
  }
  QVERIFY2(texts.contains(QStringLiteral("delta.iso")), qPrintable(texts.join('|')));
  QVERIFY2(texts.contains(TrayIcon::tr("Download finished")), qPrintable(texts.join('|')));
  // A click dismisses it.
  QSignalSpy clicked(tray->icon(), &QSystemTrayIcon::messageClicked);
  QTest::mouseClick(visibleBalloon(), Qt::LeftButton);
  QVERIFY(QTest::qWaitFor([] { return visibleBalloon() == nullptr; }, kWaitMs));
  QCOMPARE(clicked.size(), 1);
}

void TestTrayXcb::quitFromTheTrayMenuEndsTheApp() {
  WindowHarness h;
  TrayIcon* tray = h.window->trayIcon();
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(QTest::qWaitFor([&] { return embedded(tray); }, kWaitMs));
  QVERIFY(!h.window->close());  // into the tray; the application runs on

  // From inside exec(), as in the real program: open the menu, pick Quit.
  bool picked = false;
  QTimer::singleShot(0, this, [&] { picked = pickFromTrayMenu(tray, "trayQuit"); });
  // Bounds exec() if Quit does not end it: a distinct exit code fails below.
  QTimer guard;
  guard.setSingleShot(true);
  connect(&guard, &QTimer::timeout, this, [] { QCoreApplication::exit(2); });
  guard.start(kWaitMs * 2);
  const int code = QApplication::exec();
  guard.stop();
  QVERIFY(picked);
  QCOMPARE(code, 0);
  QVERIFY(!h.window->isVisible());
}

// Xvfb and trayer must be up before QApplication connects to the display.
int main(int argc, char* argv[]) {
  TrayHost host;
  if (host.start()) {
    qputenv("QT_QPA_PLATFORM", "xcb");
    qputenv("DISPLAY", host.display());
    // Qt prefers a StatusNotifier tray on the session bus over the X11 one,
    // and libdbus would autolaunch a bus daemon for a display without one.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tributary-test-bus");
    qunsetenv("QT_QPA_PLATFORMTHEME");
    qunsetenv("WAYLAND_DISPLAY");
  } else {
    qputenv("QT_QPA_PLATFORM", "offscreen");  // only to report the skip or failure
  }
  int result = 0;
  {
    QApplication app(argc, argv);
    TestTrayXcb test(host);
    result = QTest::qExec(&test, argc, argv);
  }
  return result;  // host ends trayer and Xvfb after Qt has closed its connection
}

#include "tst_tray_xcb.moc"
