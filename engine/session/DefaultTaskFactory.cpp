#include "engine/session/TaskFactory.h"

namespace tributary::session {
namespace {

// The engines behind each kind arrive with their own issues; until then the
// command says so plainly instead of pretending to download.
class DefaultTaskFactory final : public TaskFactory {
 public:
  Result<void> check(TaskKind kind, const AddParams&) const override {
    switch (kind) {
      case TaskKind::Http:
        return Error{ErrorCode::NotSupported, "http downloads are not implemented yet"};
      case TaskKind::Torrent:
        return Error{ErrorCode::NotSupported, "torrent downloads are not implemented yet"};
      case TaskKind::Magnet:
        return Error{ErrorCode::NotSupported, "magnet links are not implemented yet"};
    }
    return Error{ErrorCode::Internal, "unhandled source kind"};
  }

  std::unique_ptr<core::Task> create(TaskKind, const core::TaskContext&,
                                     const AddParams&) override {
    return nullptr;  // check() refused every kind
  }
};

}  // namespace

std::unique_ptr<TaskFactory> makeDefaultTaskFactory() {
  return std::make_unique<DefaultTaskFactory>();
}

}  // namespace tributary::session
