// Internal: makes the task behind each kind of source. The session asks
// check() on the caller's thread (syntax and build support only, no I/O) so
// add() can answer at once, then create() on the task's loop.
#pragma once

#include <memory>

#include "engine/api/Error.h"
#include "engine/api/Types.h"
#include "engine/core/Task.h"

namespace tributary::session {

class TaskFactory {
 public:
  virtual ~TaskFactory() = default;
  virtual Result<void> check(TaskKind kind, const AddParams& params) const = 0;
  virtual std::unique_ptr<core::Task> create(TaskKind kind, const core::TaskContext& context,
                                             const AddParams& params) = 0;
};

// The kinds this build implements.
std::unique_ptr<TaskFactory> makeDefaultTaskFactory();

}  // namespace tributary::session
