#include "app/cli/SeedWatch.h"

#include <chrono>
#include <utility>

#include "app/cli/ProgressFormat.h"

namespace tributary::cli {
namespace {

// Nothing is due: the run waits for the engine or a signal.
constexpr std::chrono::minutes kIdleWake{10};

}  // namespace

SeedWatch::SeedWatch(const SeedCommand& seed, const CliOutput& out, TaskId id)
    : out_(out),
      source_(seed.torrentFile),
      dir_(seed.dir),
      json_(seed.json),
      quiet_(seed.quiet),
      id_(id) {}

int SeedWatch::run(EngineInbox& inbox) {
  for (;;) {
    auto batch = inbox.take(std::chrono::steady_clock::now() + kIdleWake);
    for (const auto& update : batch.updates) {
      loopBusy_ = update.stats.loopBusy;
      for (const auto& snapshot : update.tasks) {
        if (snapshot.id == id_) {
          onSnapshot(snapshot);
        }
      }
      for (const TaskId removed : update.removed) {
        if (removed == id_) {
          fail(Error{ErrorCode::UnknownTask, "the task was removed"});
        }
      }
    }
    for (const auto& event : batch.events) {
      if (event.task == id_) {
        onEvent(event);
      }
    }
    if (failure_) {
      return reportFailure(out_, *failure_, json_, id_, source_);
    }
    if (batch.signal != 0 && !verified_) {
      signal_ = batch.signal;
      return 128 + signal_;
    }
    if (batch.signal != 0 || finished_) {
      signal_ = batch.signal;
      TaskSnapshot snapshot = last_.value_or(TaskSnapshot{});
      snapshot.id = id_;
      snapshot.source = source_;
      if (json_) {
        out_.json(doneJson(snapshot));
      } else if (!quiet_) {
        out_.status(doneLine(snapshot));
      }
      return kExitOk;
    }
  }
}

void SeedWatch::onSnapshot(const TaskSnapshot& snapshot) {
  last_ = snapshot;
  if (json_) {
    out_.json(progressJson(snapshot, loopBusy_));
  } else if (!quiet_) {
    out_.status(progressLine(snapshot));
  }
  switch (snapshot.state) {
    case TaskState::Failed:
      fail(Error{snapshot.error, snapshot.errorDetail});
      break;
    case TaskState::Downloading:
    case TaskState::FetchingMetadata:
      // The check is over and found pieces missing: seeding would mean downloading.
      fail(Error{ErrorCode::FileMissing, dir_ + " does not hold all of " + snapshot.name + ": " +
                                             formatBytes(snapshot.verifiedBytes) + " of " +
                                             formatBytes(snapshot.totalBytes) + " verified"});
      break;
    case TaskState::Seeding:
      verified_ = true;
      break;
    case TaskState::Completed:
      verified_ = true;
      finished_ = true;
      break;
    case TaskState::Queued:
    case TaskState::Checking:
    case TaskState::Paused:
      break;
  }
}

void SeedWatch::onEvent(const Event& event) {
  switch (event.kind) {
    case Event::Kind::Completed:
      verified_ = true;  // every piece checked out; the snapshots say seeding
      break;
    case Event::Kind::Failed:
      fail(Error{event.error, event.message});
      break;
    case Event::Kind::Removed:
      fail(Error{ErrorCode::UnknownTask, "the task was removed"});
      break;
    case Event::Kind::Added:
    case Event::Kind::MetadataReceived:
      break;
  }
}

void SeedWatch::fail(Error error) {
  if (!failure_) {
    failure_ = std::move(error);
  }
}

}  // namespace tributary::cli
