#include "ui/widgets/TrayIcon.h"

#include <QAction>
#include <QEvent>
#include <QGuiApplication>
#include <QMenu>
#include <QStringList>
#include <QSystemTrayIcon>
#include <QWidget>

#include "ui/bridge/EngineBridge.h"
#include "ui/models/Format.h"
#include "ui/widgets/AppSettings.h"

namespace tributary::ui {

namespace {

constexpr int kMessageMs = 8000;

std::optional<bool>& availabilityOverride() {
  static std::optional<bool> available;
  return available;
}

QAction* makeAction(QMenu* menu, const QString& objectName, const QString& text) {
  QAction* action = menu->addAction(text);
  action->setObjectName(objectName);
  return action;
}

}  // namespace

TrayIcon::TrayIcon(QWidget* window, EngineBridge* bridge, AppSettings* settings, bool trayAvailable,
                   QObject* parent)
    : QObject(parent),
      window_(window),
      bridge_(bridge),
      settings_(settings),
      menu_(std::make_unique<QMenu>()) {
  setObjectName(QStringLiteral("trayIcon"));
  menu_->setObjectName(QStringLiteral("trayMenu"));
  createActions();
  window_->installEventFilter(this);
  if (trayAvailable) {
    icon_ = new QSystemTrayIcon(window_->windowIcon(), this);
    icon_->setObjectName(QStringLiteral("systemTrayIcon"));
    icon_->setContextMenu(menu_.get());
    connect(icon_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
      if (r == QSystemTrayIcon::Trigger) {
        toggleWindow();
      }
    });
    // A hidden window is not "the last window closed", and a message box
    // closing while the window hides must not end the program either.
    QGuiApplication::setQuitOnLastWindowClosed(false);
  }
  updateToolTip();
  updateShowHideText();
  if (icon_) {
    icon_->show();
  }
  // The engine starts unlimited; limits chosen in an earlier run are given
  // back to it here. Nothing is sent when there is nothing to limit.
  if (settings_->activeSpeedLimits() != SpeedLimits{}) {
    applySpeedLimits();
  }
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::systemTrayAvailable() {
  return availabilityOverride().value_or(QSystemTrayIcon::isSystemTrayAvailable());
}

void TrayIcon::setSystemTrayAvailableForTesting(std::optional<bool> available) {
  availabilityOverride() = available;
}

void TrayIcon::createActions() {
  showHideAction_ = makeAction(menu_.get(), QStringLiteral("trayShowHide"), {});
  menu_->addSeparator();
  pauseAllAction_ = makeAction(menu_.get(), QStringLiteral("trayPauseAll"), tr("&Pause All"));
  resumeAllAction_ = makeAction(menu_.get(), QStringLiteral("trayResumeAll"), tr("&Resume All"));
  altLimitsAction_ =
      makeAction(menu_.get(), QStringLiteral("trayAltLimits"), tr("&Alternative Speed Limits"));
  altLimitsAction_->setCheckable(true);
  altLimitsAction_->setChecked(settings_->alternativeSpeedLimitsOn());
  menu_->addSeparator();
  quitAction_ = makeAction(menu_.get(), QStringLiteral("trayQuit"), tr("&Quit"));

  const bool hasEngine = bridge_->hasEngine();
  pauseAllAction_->setEnabled(hasEngine);
  resumeAllAction_->setEnabled(hasEngine);

  connect(showHideAction_, &QAction::triggered, this, &TrayIcon::toggleWindow);
  connect(pauseAllAction_, &QAction::triggered, bridge_, &EngineBridge::pauseAll);
  connect(resumeAllAction_, &QAction::triggered, bridge_, &EngineBridge::resumeAll);
  // triggered, not toggled: setAlternativeSpeedLimits() sets the check mark
  // itself and must not come back round.
  connect(altLimitsAction_, &QAction::triggered, this, &TrayIcon::setAlternativeSpeedLimits);
  connect(quitAction_, &QAction::triggered, this, &TrayIcon::quitRequested);
  // The window can change under an open menu's feet (another path showed it).
  connect(menu_.get(), &QMenu::aboutToShow, this, &TrayIcon::updateShowHideText);
}

// The tray host is asked again each time: a window hidden after it went away
// (a panel restart) could only come back through a second launch.
bool TrayIcon::hidesOnClose() const {
  return icon_ != nullptr && settings_->closeToTray() && systemTrayAvailable();
}

bool TrayIcon::hidesOnMinimize() const {
  return icon_ != nullptr && settings_->minimizeToTray() && systemTrayAvailable();
}

void TrayIcon::setStats(const GlobalStats& stats) {
  stats_ = stats;
  updateToolTip();
}

void TrayIcon::notifyTaskEvent(const TaskEventInfo& event, const QString& name) {
  if (icon_ == nullptr || !settings_->notifyWhenDone()) {
    return;
  }
  switch (event.kind) {
    case TaskEventInfo::Kind::Completed:
      showMessage(tr("Download finished"), name, false);
      break;
    case TaskEventInfo::Kind::Failed:
      showMessage(tr("Download failed"),
                  event.errorText.isEmpty() ? name : tr("%1: %2").arg(name, event.errorText), true);
      break;
    case TaskEventInfo::Kind::Added:
    case TaskEventInfo::Kind::MetadataReceived:
    case TaskEventInfo::Kind::Removed:
      break;
  }
}

void TrayIcon::showMessage(const QString& title, const QString& body, bool failure) {
  icon_->showMessage(title, body, failure ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                     kMessageMs);
  emit messageShown(title, body);
}

void TrayIcon::applySpeedLimits() {
  const SpeedLimits limits = settings_->activeSpeedLimits();
  bridge_->setGlobalLimits(limits.download, limits.upload);
}

void TrayIcon::setAlternativeSpeedLimits(bool on) {
  altLimitsAction_->setChecked(on);
  if (settings_->alternativeSpeedLimitsOn() != on) {
    settings_->setAlternativeSpeedLimitsOn(on);
    applySpeedLimits();
  }
  updateToolTip();
}

void TrayIcon::updateToolTip() {
  auto line = [](const QString& withLimit, const QString& without, quint64 rate, quint64 limit) {
    return limit != 0 ? withLimit.arg(Format::rate(rate), Format::rate(limit))
                      : without.arg(Format::rate(rate));
  };
  QStringList lines{
      tr("Tributary"),
      line(tr("Download: %1 (limit %2)"), tr("Download: %1"), stats_.downloadRate,
           stats_.maxDownloadRate),
      line(tr("Upload: %1 (limit %2)"), tr("Upload: %1"), stats_.uploadRate, stats_.maxUploadRate)};
  if (settings_->alternativeSpeedLimitsOn()) {
    lines << tr("Alternative speed limits are on");
  }
  toolTip_ = lines.join(QLatin1Char('\n'));
  if (icon_) {
    icon_->setToolTip(toolTip_);
  }
}

bool TrayIcon::windowShown() const {
  return window_->isVisible() && !window_->isMinimized();
}

void TrayIcon::updateShowHideText() {
  showHideAction_->setText(windowShown() ? tr("&Hide Window") : tr("&Show Window"));
}

void TrayIcon::showWindow() {
  // Un-minimise first: showing a minimised window leaves it on the taskbar.
  window_->setWindowState(window_->windowState() & ~Qt::WindowMinimized);
  window_->show();
  window_->raise();
  window_->activateWindow();
}

void TrayIcon::toggleWindow() {
  if (windowShown()) {
    window_->hide();
  } else {
    showWindow();
  }
}

bool TrayIcon::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_) {
    switch (event->type()) {
      case QEvent::Show:
      case QEvent::Hide:
      case QEvent::WindowStateChange:
        updateShowHideText();
        break;
      default:
        break;
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace tributary::ui
