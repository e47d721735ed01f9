#include "app/cli/GetWatch.h"

#include <algorithm>
#include <cstdio>

#include "app/cli/CliReport.h"
#include "app/cli/JsonLine.h"
#include "app/cli/ProgressFormat.h"

namespace tributary::cli {
namespace {

// Nothing is due: wake up now and then anyway, which costs nothing.
constexpr std::chrono::minutes kIdleWake{10};
// How long the done line waits for a snapshot with the final counters: two
// engine ticks. A task whose snapshot does not change sends none, hence a bound.
constexpr std::chrono::seconds kSettleWait{1};

}  // namespace

GetWatch::GetWatch(const GetCommand& get, const CliOutput& out)
    : out_(out), json_(get.json), quiet_(get.quiet), seedTime_(get.seedTime) {}

void GetWatch::track(TaskId id, std::string source, Clock::time_point addedAt) {
  tasks_.push_back(Tracked{id, std::move(source), addedAt, std::nullopt, std::nullopt, false});
}

GetWatch::Tracked* GetWatch::find(TaskId id) {
  const auto it =
      std::find_if(tasks_.begin(), tasks_.end(), [id](const Tracked& t) { return t.id == id; });
  return it == tasks_.end() ? nullptr : &*it;
}

int GetWatch::run(EngineInbox& inbox) {
  for (;;) {
    auto batch = inbox.take(nextWake(Clock::now()));
    if (batch.signal != 0) {
      signal_ = batch.signal;
      return 128 + signal_;
    }
    for (const auto& update : batch.updates) {
      onUpdate(update);
    }
    for (const auto& event : batch.events) {
      onEvent(event);
    }
    if (failure_) {
      return reportFailure(out_, failure_->error, json_, failure_->id, failure_->source);
    }
    if (allDone(Clock::now())) {
      return finish();
    }
  }
}

void GetWatch::onUpdate(const Update& update) {
  loopBusy_ = update.stats.loopBusy;
  for (const auto& snapshot : update.tasks) {
    if (Tracked* task = find(snapshot.id)) {
      onSnapshot(*task, snapshot);
    }
  }
  for (const TaskId id : update.removed) {
    if (const Tracked* task = find(id)) {
      fail(*task, Error{ErrorCode::UnknownTask, "the task was removed"});
    }
  }
}

void GetWatch::onSnapshot(Tracked& task, const TaskSnapshot& snapshot) {
  task.last = snapshot;
  if (json_) {
    out_.json(progressJson(snapshot, loopBusy_));
  } else if (!quiet_) {
    out_.status(progressLine(snapshot));
  }
  if (snapshot.state == TaskState::Failed) {
    fail(task, Error{snapshot.error, snapshot.errorDetail});
  } else if (snapshot.state == TaskState::Completed || snapshot.state == TaskState::Seeding) {
    markCompleted(task);
    task.settled = true;
  }
}

void GetWatch::onEvent(const Event& event) {
  Tracked* task = find(event.task);
  if (task == nullptr) {
    return;
  }
  switch (event.kind) {
    case Event::Kind::Completed:
      markCompleted(*task);
      break;
    case Event::Kind::Failed:
      fail(*task, Error{event.error, event.message});
      break;
    case Event::Kind::Removed:
      fail(*task, Error{ErrorCode::UnknownTask, "the task was removed"});
      break;
    case Event::Kind::MetadataReceived:
      printEvent(*task, "metadata", event.message);
      break;
    case Event::Kind::Added:
      break;
  }
}

// The ticks' progress lines are up to a tick late; these are stamped when the
// event reaches us, so scripts can time a magnet's metadata and the completion.
void GetWatch::printEvent(const Tracked& task, std::string_view type, std::string_view name) const {
  if (!json_) {
    return;
  }
  const std::chrono::duration<double> elapsed = Clock::now() - task.addedAt;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f", elapsed.count());
  JsonLine json;
  json.string("type", type).number("id", task.id);
  if (!name.empty()) {
    json.string("name", name);
  }
  out_.json(json.raw("elapsed", seconds).str());
}

// Whichever comes first, the event or a snapshot in a completed state.
void GetWatch::markCompleted(Tracked& task) {
  if (!task.completedAt) {
    task.completedAt = Clock::now();
    printEvent(task, "completed", {});
  }
}

void GetWatch::fail(const Tracked& task, Error error) {
  if (!failure_) {
    failure_ = Failure{task.id, task.source, std::move(error)};
  }
}

// Done means verified and, with --seed-time, seeded that long. The CLI keeps the
// clock itself so the run ends even if the engine would seed on.
bool GetWatch::done(const Tracked& task, Clock::time_point now) const {
  return task.completedAt && now >= *task.completedAt + seedTime_ &&
         (task.settled || now >= *task.completedAt + kSettleWait);
}

bool GetWatch::allDone(Clock::time_point now) const {
  return std::all_of(tasks_.begin(), tasks_.end(),
                     [&](const Tracked& task) { return done(task, now); });
}

GetWatch::Clock::time_point GetWatch::nextWake(Clock::time_point now) const {
  Clock::time_point wake = now + kIdleWake;
  for (const auto& task : tasks_) {
    if (task.completedAt && !done(task, now)) {
      const auto settle = task.settled ? *task.completedAt : *task.completedAt + kSettleWait;
      wake = std::min(wake, std::max(*task.completedAt + seedTime_, settle));
    }
  }
  return wake;
}

int GetWatch::finish() {
  for (const auto& task : tasks_) {
    TaskSnapshot snapshot = task.last.value_or(TaskSnapshot{});
    snapshot.id = task.id;
    snapshot.source = task.source;
    if (snapshot.sizeKnown) {
      // The Completed event can beat the last tick's snapshot; done means all verified.
      snapshot.verifiedBytes = snapshot.totalBytes;
    }
    if (json_) {
      out_.json(doneJson(snapshot));
    } else if (!quiet_) {
      out_.status(doneLine(snapshot));
    }
  }
  return kExitOk;
}

}  // namespace tributary::cli
