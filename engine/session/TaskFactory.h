// Internal: makes the task behind each kind of source. The session calls
// prepare() on the caller's thread (never a loop thread), so add() can answer
// a bad source at once: it checks the parameters and does the small blocking
// work a source needs first (reading and parsing a .torrent). Its result goes
// to create(), on the task's loop.
#pragma once

#include <memory>

#include "engine/api/Engine.h"
#include "engine/api/Error.h"
#include "engine/api/Types.h"
#include "engine/core/Task.h"

namespace tributary::bt {
struct BtShared;
}

namespace tributary::session {

class TaskFactory {
 public:
  virtual ~TaskFactory() = default;
  // What prepare() found, for create(): opaque to the session (the parsed
  // metainfo of a torrent; null for an HTTP task, or for one restored
  // finished the http::FinishedDownload that EngineImpl puts in its place).
  using Prepared = std::shared_ptr<const void>;

  virtual Result<Prepared> prepare(TaskKind kind, const AddParams& params) = 0;
  virtual std::unique_ptr<core::Task> create(TaskKind kind, const core::TaskContext& context,
                                             const AddParams& params, Prepared prepared) = 0;
  // What its torrents share engine-wide (the session's peer listener hands
  // incoming connections through its registry); null if it makes no torrents.
  virtual std::shared_ptr<bt::BtShared> btShared() const { return nullptr; }
};

// The kinds this build implements.
std::unique_ptr<TaskFactory> makeDefaultTaskFactory(const EngineConfig& config = {});

}  // namespace tributary::session
