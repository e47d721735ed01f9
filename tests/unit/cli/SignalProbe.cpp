// A stand-in for tributary-cli's main thread, run by tst_clisignal: it waits
// for SIGINT/SIGTERM the way `get` does and exits with 128 + signal.
// With "hang" it then stalls like a save that never ends, so the test can check
// that a second signal still ends the process.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string_view>
#include <thread>

#include "app/cli/EngineInbox.h"
#include "app/cli/SignalWatcher.h"

int main(int argc, char** argv) {
  using namespace tributary::cli;
  const bool hang = argc > 1 && std::string_view(argv[1]) == "hang";
  auto inbox = std::make_shared<EngineInbox>();
  SignalWatcher watcher([inbox](int signal) { inbox->pushSignal(signal); });
  std::puts("ready");
  std::fflush(stdout);
  const auto batch = inbox->take(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  if (batch.signal == 0) {
    return 3;
  }
  if (hang) {
    std::puts("stopping");
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(30));
    return 4;
  }
  return 128 + batch.signal;
}
