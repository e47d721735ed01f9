// Helpers shared by the offscreen tray tests: what a close did, and the tray
// menu's actions and the limit commands of a WindowHarness.
#pragma once

#include <QAction>
#include <QCoreApplication>
#include <QEvent>
#include <QMenu>
#include <QWidget>
#include <vector>

#include "gui/support/WindowHarness.h"
#include "support/FakeEngine.h"
#include "ui/widgets/TrayIcon.h"

namespace tributary::test {

// Whether the window accepted its last close event: a window hidden into the
// tray and one that really closed are both invisible afterwards.
class CloseRecorder : public QObject {
 public:
  explicit CloseRecorder(QWidget* window) { window->installEventFilter(this); }
  int closes = 0;
  bool lastAccepted = false;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() != QEvent::Close || delivering_) {
      return false;
    }
    // Delivered from here, then swallowed, so the outcome can be read back.
    delivering_ = true;
    QCoreApplication::sendEvent(watched, event);
    delivering_ = false;
    ++closes;
    lastAccepted = event->isAccepted();
    return true;
  }

 private:
  bool delivering_ = false;
};

inline QAction* trayAction(const WindowHarness& h, const char* name) {
  return h.window->trayIcon()->menu()->findChild<QAction*>(QString::fromLatin1(name));
}

inline std::vector<FakeEngine::Command> limitCommands(const WindowHarness& h) {
  return h.engine->commandsOf(FakeEngine::Command::Kind::GlobalLimits);
}

}  // namespace tributary::test
