// Public to app/: on Unix, SIGTERM (a logout, `kill`), SIGINT (Ctrl+C in a
// terminal) and SIGHUP quit the application the normal way instead of killing
// it, so the engine saves its task list and resume data on the way out. The
// handler only writes a byte to a socket pair (all a signal handler may do);
// the event loop reads it and quits. A second signal while quitting ends the
// process at once: the default action is back in place by then.
// Elsewhere (Windows) install() does nothing.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace tributary::ui {

class QuitOnSignal : public QObject {
  Q_OBJECT

 public:
  // Once, after the application object exists; `parent` owns the watcher.
  static bool install(QObject* parent);

 private:
  explicit QuitOnSignal(QObject* parent);
  void onSignal();

  QSocketNotifier* notifier_ = nullptr;
};

}  // namespace tributary::ui
