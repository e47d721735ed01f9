#include "engine/codec/Url.h"
#include "engine/http/HttpDownloadTask.h"
#include "engine/session/TaskFactory.h"

namespace tributary::session {
namespace {

Result<void> checkUrl(const std::string& text, const char* what) {
  auto url = codec::parseUrl(text);
  if (!url) {
    return Error{ErrorCode::InvalidArgument,
                 std::string(what) + " is not a valid URL: " + url.error().detail};
  }
  return {};
}

class DefaultTaskFactory final : public TaskFactory {
 public:
  Result<void> check(TaskKind kind, const AddParams& params) const override {
    switch (kind) {
      case TaskKind::Http: {
        if (auto ok = checkUrl(params.source, "the source"); !ok) {
          return ok;
        }
        for (const std::string& mirror : params.mirrors) {
          if (auto ok = checkUrl(mirror, "a mirror"); !ok) {
            return ok;
          }
        }
        return {};
      }
      // The BitTorrent engine arrives with its own issue; until then the
      // command says so plainly instead of pretending to download.
      case TaskKind::Torrent:
        return Error{ErrorCode::NotSupported, "torrent downloads are not implemented yet"};
      case TaskKind::Magnet:
        return Error{ErrorCode::NotSupported, "magnet links are not implemented yet"};
    }
    return Error{ErrorCode::Internal, "unhandled source kind"};
  }

  std::unique_ptr<core::Task> create(TaskKind kind, const core::TaskContext& context,
                                     const AddParams& params) override {
    if (kind != TaskKind::Http) {
      return nullptr;  // check() refused it
    }
    return std::make_unique<http::HttpDownloadTask>(context, params);
  }
};

}  // namespace

std::unique_ptr<TaskFactory> makeDefaultTaskFactory() {
  return std::make_unique<DefaultTaskFactory>();
}

}  // namespace tributary::session
