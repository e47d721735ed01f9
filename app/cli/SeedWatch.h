// The main thread's side of `seed`: follows its one task through the engine's
// updates and events. The data must verify completely (seed never downloads);
// after that it seeds until SIGINT/SIGTERM, which is the normal way to end.
#pragma once

#include <optional>
#include <string>

#include "app/cli/CliArgs.h"
#include "app/cli/CliReport.h"
#include "app/cli/EngineInbox.h"
#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::cli {

class SeedWatch {
 public:
  SeedWatch(const SeedCommand& seed, const CliOutput& out, TaskId id);

  // Blocks until the run is over and returns the exit status, with the outcome
  // printed: kExitOk after a signal once the data was verified, 128 + signal
  // before that (nothing printed: the caller reports it once the engine has
  // stopped), kExitFailure when the data is incomplete or the task fails.
  int run(EngineInbox& inbox);
  int signal() const { return signal_; }
  bool verified() const { return verified_; }

 private:
  void onSnapshot(const TaskSnapshot& snapshot);
  void onEvent(const Event& event);
  void fail(Error error);

  const CliOutput& out_;
  std::string source_;
  std::string dir_;
  bool json_;
  bool quiet_;
  TaskId id_;
  std::optional<TaskSnapshot> last_;
  std::vector<double> loopBusy_;  // the latest EngineStats::loopBusy
  std::optional<Error> failure_;  // the first one wins
  bool verified_ = false;
  bool finished_ = false;  // the engine stopped seeding on its own
  int signal_ = 0;
};

}  // namespace tributary::cli
