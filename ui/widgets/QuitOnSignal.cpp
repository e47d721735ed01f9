#include "ui/widgets/QuitOnSignal.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#endif

namespace tributary::ui {

#ifdef Q_OS_UNIX
namespace {

int pipeFds[2] = {-1, -1};  // [0]: the handler writes, [1]: the event loop reads

void onUnixSignal(int signal) {
  const char byte = static_cast<char>(signal);
  (void)!::write(pipeFds[0], &byte, 1);
  std::signal(signal, SIG_DFL);  // a second one ends the process
}

}  // namespace
#endif

bool QuitOnSignal::install(QObject* parent) {
#ifdef Q_OS_UNIX
  if (pipeFds[0] != -1) {
    return true;
  }
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pipeFds) != 0) {
    return false;
  }
  new QuitOnSignal(parent);
  struct sigaction action {};
  action.sa_handler = onUnixSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal : {SIGTERM, SIGINT, SIGHUP}) {
    ::sigaction(signal, &action, nullptr);
  }
  return true;
#else
  Q_UNUSED(parent);
  return false;
#endif
}

QuitOnSignal::QuitOnSignal(QObject* parent) : QObject(parent) {
#ifdef Q_OS_UNIX
  notifier_ = new QSocketNotifier(pipeFds[1], QSocketNotifier::Read, this);
  connect(notifier_, &QSocketNotifier::activated, this, &QuitOnSignal::onSignal);
#endif
}

void QuitOnSignal::onSignal() {
#ifdef Q_OS_UNIX
  char byte = 0;
  (void)!::read(pipeFds[1], &byte, 1);
#endif
  QCoreApplication::quit();
}

}  // namespace tributary::ui
