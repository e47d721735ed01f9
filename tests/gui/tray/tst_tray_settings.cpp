// The speed limits and the tray settings, offscreen with the tray's presence
// faked: the alternative limits switch gives the engine the right pair (also
// at start and after the settings change), and the Settings dialog shows and
// stores the tray choices, disabled with a note where there is no tray.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include "gui/support/WindowHarness.h"
#include "gui/tray/TrayTestSupport.h"
#include "support/FakeEngine.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TrayIcon.h"

using tributary::test::limitCommands;
using tributary::test::trayAction;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::SettingsDialog;
using tributary::ui::SpeedLimits;
using tributary::ui::TrayIcon;

namespace {
constexpr quint64 kKiB = 1024;
}  // namespace

class TestTraySettings : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanupTestCase();

  void alternativeLimitsSwitchTheEngineLimits();
  void alternativeLimitsSurviveARestart();
  void settingsDialogEditsLimitsOfThePairInForce();
  void settingsDialogShowsTrayChoices();
  void settingsDialogDisablesTrayChoicesWithoutTray();
};

void TestTraySettings::initTestCase() {
  tributary::test::useTestSettings();
}

void TestTraySettings::init() {
  QSettings().clear();
  TrayIcon::setSystemTrayAvailableForTesting(true);
}

void TestTraySettings::cleanupTestCase() {
  TrayIcon::setSystemTrayAvailableForTesting(std::nullopt);
}

void TestTraySettings::alternativeLimitsSwitchTheEngineLimits() {
  AppSettings().setSpeedLimits({100 * kKiB, 20 * kKiB});
  AppSettings().setAlternativeSpeedLimits({10 * kKiB, 5 * kKiB});
  WindowHarness h;
  // The chosen limits reach the engine at start.
  QCOMPARE(limitCommands(h).size(), std::size_t{1});
  QCOMPARE(limitCommands(h)[0].maxDownloadRate, 100 * kKiB);
  QCOMPARE(limitCommands(h)[0].maxUploadRate, 20 * kKiB);

  QAction* alt = trayAction(h, "trayAltLimits");
  alt->trigger();
  QVERIFY(alt->isChecked());
  QVERIFY(AppSettings().alternativeSpeedLimitsOn());
  QCOMPARE(limitCommands(h).size(), std::size_t{2});
  QCOMPARE(limitCommands(h)[1].maxDownloadRate, 10 * kKiB);
  QCOMPARE(limitCommands(h)[1].maxUploadRate, 5 * kKiB);
  QVERIFY(
      h.window->trayIcon()->toolTip().contains(TrayIcon::tr("Alternative speed limits are on")));

  alt->trigger();
  QVERIFY(!alt->isChecked());
  QVERIFY(!AppSettings().alternativeSpeedLimitsOn());
  QCOMPARE(limitCommands(h).size(), std::size_t{3});
  QCOMPARE(limitCommands(h)[2].maxDownloadRate, 100 * kKiB);
  QCOMPARE(limitCommands(h)[2].maxUploadRate, 20 * kKiB);
  QVERIFY(
      !h.window->trayIcon()->toolTip().contains(TrayIcon::tr("Alternative speed limits are on")));

  // Without a tray the switch works the same.
  TrayIcon::setSystemTrayAvailableForTesting(false);
  WindowHarness bare;
  bare.window->trayIcon()->alternativeLimitsAction()->trigger();
  QCOMPARE(limitCommands(bare).back().maxDownloadRate, 10 * kKiB);
}

void TestTraySettings::alternativeLimitsSurviveARestart() {
  {
    WindowHarness h;  // nothing chosen: the engine is left unlimited
    QVERIFY(limitCommands(h).empty());
    trayAction(h, "trayAltLimits")->trigger();
    // The defaults of the alternative pair are a real limit.
    QVERIFY(limitCommands(h).back().maxDownloadRate > 0);
  }
  AppSettings().setAlternativeSpeedLimits({7 * kKiB, 3 * kKiB});
  WindowHarness h;
  QVERIFY(trayAction(h, "trayAltLimits")->isChecked());
  QCOMPARE(limitCommands(h).size(), std::size_t{1});
  QCOMPARE(limitCommands(h)[0].maxDownloadRate, 7 * kKiB);
  QCOMPARE(limitCommands(h)[0].maxUploadRate, 3 * kKiB);
}

void TestTraySettings::settingsDialogEditsLimitsOfThePairInForce() {
  AppSettings().setSpeedLimits({100 * kKiB, 20 * kKiB});
  AppSettings().setAlternativeSpeedLimits({10 * kKiB, 5 * kKiB});
  AppSettings().setAlternativeSpeedLimitsOn(true);
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool sawDialog = false;
  quint64 shownLimit = 0;
  quint64 shownAltLimit = 0;
  // The dialog is modal: filled in from the event loop it runs, and always
  // accepted, so a wrong value fails below instead of hanging here.
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    sawDialog = true;
    shownLimit = dialog->maxDownloadRate();
    shownAltLimit = dialog->alternativeDownloadRate();
    dialog->findChild<QSpinBox*>(QStringLiteral("downloadLimit"))->setValue(300);
    dialog->findChild<QSpinBox*>(QStringLiteral("altDownloadLimit"))->setValue(30);
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  QVERIFY(sawDialog);
  // It shows the normal pair as the normal pair, although the other is in force.
  QCOMPARE(shownLimit, 100 * kKiB);
  QCOMPARE(shownAltLimit, 10 * kKiB);
  QCOMPARE(AppSettings().speedLimits(), (SpeedLimits{300 * kKiB, 20 * kKiB}));
  QCOMPARE(AppSettings().alternativeSpeedLimits(), (SpeedLimits{30 * kKiB, 5 * kKiB}));
  // The alternative pair is in force, so that is what the engine gets.
  QCOMPARE(limitCommands(h).back().maxDownloadRate, 30 * kKiB);
  QCOMPARE(limitCommands(h).back().maxUploadRate, 5 * kKiB);
}

void TestTraySettings::settingsDialogShowsTrayChoices() {
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool sawDialog = false;
  bool enabled = false;
  bool defaults = false;
  bool noteHidden = false;
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    sawDialog = true;
    auto* close = dialog->findChild<QCheckBox*>(QStringLiteral("closeToTray"));
    auto* minimise = dialog->findChild<QCheckBox*>(QStringLiteral("minimizeToTray"));
    auto* notify = dialog->findChild<QCheckBox*>(QStringLiteral("notifyWhenDone"));
    if (close && minimise && notify) {
      enabled = close->isEnabled() && minimise->isEnabled() && notify->isEnabled();
      defaults = close->isChecked() && !minimise->isChecked() && notify->isChecked();
      noteHidden = dialog->findChild<QLabel*>(QStringLiteral("trayUnavailableNote"))->isHidden();
      close->setChecked(false);
      minimise->setChecked(true);
      notify->setChecked(false);
    }
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  QVERIFY(sawDialog);
  QVERIFY(enabled);
  QVERIFY(defaults);
  QVERIFY(noteHidden);
  QVERIFY(!AppSettings().closeToTray());
  QVERIFY(AppSettings().minimizeToTray());
  QVERIFY(!AppSettings().notifyWhenDone());
  QVERIFY(!h.window->trayIcon()->hidesOnClose());
  QVERIFY(h.window->trayIcon()->hidesOnMinimize());
}

void TestTraySettings::settingsDialogDisablesTrayChoicesWithoutTray() {
  TrayIcon::setSystemTrayAvailableForTesting(false);
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool sawDialog = false;
  QStringList enabled;
  QString note;
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    sawDialog = true;
    for (const char* name : {"closeToTray", "minimizeToTray", "notifyWhenDone"}) {
      if (dialog->findChild<QCheckBox*>(QString::fromLatin1(name))->isEnabled()) {
        enabled << QString::fromLatin1(name);
      }
    }
    auto* label = dialog->findChild<QLabel*>(QStringLiteral("trayUnavailableNote"));
    // On the Interface page, which need not be the one showing.
    note = label->isHidden() ? QString() : label->text();
    dialog->reject();
  });
  h.action("actionSettings")->trigger();
  QVERIFY(sawDialog);
  QCOMPARE(enabled, QStringList());
  QVERIFY(!note.isEmpty());  // shown, and says why
}

QTEST_MAIN(TestTraySettings)
#include "tst_tray_settings.moc"
