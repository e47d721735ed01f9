#include "engine/loop/EventLoop.h"

#ifndef _WIN32
#include <csignal>
#endif

namespace tributary::loop {

void ignoreSigpipe() {
#ifndef _WIN32
  struct sigaction action {};
  action.sa_handler = SIG_IGN;
  sigemptyset(&action.sa_mask);
  sigaction(SIGPIPE, &action, nullptr);
#endif
}

}  // namespace tributary::loop
