// The main thread's side of `get`: follows the tasks it added through the
// engine's updates and events, prints progress, and decides when the run is
// over (every task done and its seed time spent, one failed, or a signal).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli/CliArgs.h"
#include "app/cli/CliReport.h"
#include "app/cli/EngineInbox.h"
#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::cli {

class GetWatch {
 public:
  using Clock = std::chrono::steady_clock;

  GetWatch(const GetCommand& get, const CliOutput& out);

  // `addedAt`: just before Engine::add, the zero of the "elapsed" seconds that the
  // metadata and completed JSON lines carry (what bench/magnet times).
  void track(TaskId id, std::string source, Clock::time_point addedAt = Clock::now());
  // Blocks until the run is over; returns the exit status and has printed the outcome.
  // After a signal it returns 128 + signal and prints nothing: the caller reports once
  // the engine has saved its state.
  int run(EngineInbox& inbox);
  int signal() const { return signal_; }

 private:
  struct Tracked {
    TaskId id = kInvalidTaskId;
    std::string source;
    Clock::time_point addedAt;
    std::optional<TaskSnapshot> last;
    std::optional<Clock::time_point> completedAt;
    // A snapshot taken after completion arrived, so `last` holds the final
    // traffic counters (the Completed event usually beats the next tick).
    bool settled = false;
  };

  Tracked* find(TaskId id);
  void onUpdate(const Update& update);
  void onEvent(const Event& event);
  void onSnapshot(Tracked& task, const TaskSnapshot& snapshot);
  void markCompleted(Tracked& task);
  void fail(const Tracked& task, Error error);
  void printEvent(const Tracked& task, std::string_view type, std::string_view name) const;
  bool allDone(Clock::time_point now) const;
  bool done(const Tracked& task, Clock::time_point now) const;
  Clock::time_point nextWake(Clock::time_point now) const;
  int finish();

  const CliOutput& out_;
  bool json_;
  bool quiet_;
  std::chrono::seconds seedTime_;
  std::vector<Tracked> tasks_;
  std::vector<double> loopBusy_;  // the latest EngineStats::loopBusy
  struct Failure {
    TaskId id = kInvalidTaskId;
    std::string source;
    Error error;
  };

  std::optional<Failure> failure_;  // the first one wins
  int signal_ = 0;
};

}  // namespace tributary::cli
