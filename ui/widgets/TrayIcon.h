// Public to ui/: the system tray icon. Its tooltip shows the global speeds,
// it announces finished and failed downloads, and its menu shows or hides the
// window, pauses or resumes everything, switches the engine between the normal
// and the alternative speed limits, and quits. Without a tray host there is no
// icon, but the menu and its actions still exist (tests drive them; the
// limits switch works the same either way).
#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "ui/bridge/BridgeTypes.h"

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace tributary::ui {

class AppSettings;
class EngineBridge;

class TrayIcon : public QObject {
  Q_OBJECT

 public:
  // `window` is the one the icon shows and hides. `trayAvailable` says whether
  // a tray host exists: systemTrayAvailable() in the app, a fixed answer in
  // tests. With a tray, the application no longer quits when its last window
  // closes: the window may only be hiding, so quitting is explicit.
  TrayIcon(QWidget* window, EngineBridge* bridge, AppSettings* settings, bool trayAvailable,
           QObject* parent = nullptr);
  ~TrayIcon() override;

  // QSystemTrayIcon::isSystemTrayAvailable(), unless a test has fixed the
  // answer (nullopt gives the real one back).
  static bool systemTrayAvailable();
  static void setSystemTrayAvailableForTesting(std::optional<bool> available);

  bool isAvailable() const { return icon_ != nullptr; }
  QSystemTrayIcon* icon() const { return icon_; }  // null without a tray
  QMenu* menu() const { return menu_.get(); }
  QAction* showHideAction() const { return showHideAction_; }
  QAction* alternativeLimitsAction() const { return altLimitsAction_; }
  QString toolTip() const { return toolTip_; }

  // Whether closing or minimising the window hides it into the tray instead.
  bool hidesOnClose() const;
  bool hidesOnMinimize() const;

  void setStats(const tributary::ui::GlobalStats& stats);
  // A tray message for a task called `name` that completed or failed, when
  // there is a tray and the settings allow it; other events are ignored.
  void notifyTaskEvent(const tributary::ui::TaskEventInfo& event, const QString& name);
  // Gives the engine the pair of limits the settings say is in force.
  void applySpeedLimits();
  void setAlternativeSpeedLimits(bool on);

  void showWindow();
  void toggleWindow();

 signals:
  void quitRequested();
  // Every tray message as it goes out.
  void messageShown(const QString& title, const QString& body);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void createActions();
  void showMessage(const QString& title, const QString& body, bool failure);
  void updateToolTip();
  void updateShowHideText();
  bool windowShown() const;

  QWidget* window_;
  EngineBridge* bridge_;
  AppSettings* settings_;
  // QSystemTrayIcon does not own its menu, and a menu parented to the window
  // would be tied to a window that is often hidden.
  std::unique_ptr<QMenu> menu_;
  QSystemTrayIcon* icon_ = nullptr;
  QAction* showHideAction_ = nullptr;
  QAction* pauseAllAction_ = nullptr;
  QAction* resumeAllAction_ = nullptr;
  QAction* altLimitsAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  GlobalStats stats_;
  QString toolTip_;
};

}  // namespace tributary::ui
