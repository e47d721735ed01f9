// EngineImpl's part that keeps the task list across restarts (SessionKeeper).
#include <ctime>

#include "engine/http/HttpDownloadTask.h"
#include "engine/session/EngineImpl.h"
#include "engine/session/SourceClassifier.h"
#include "engine/util/Log.h"

namespace tributary::session {

void EngineImpl::setUpSessionKeeper() {
  if (config_.stateDir.empty()) {
    return;
  }
  keeper_ = std::make_unique<SessionKeeper>(config_.stateDir, fileIo_, hub_);
  SessionKeeper* keeper = keeper_.get();
  loop::EventLoop& loop = loops_.loop(0);
  loop.post([keeper, &loop, workers = &workers_] {
    keeper->start(loop, *workers);
    loop.addShutdownHook([keeper] { keeper->stop(); });
  });
}

void EngineImpl::restoreSession() {
  if (!keeper_) {
    return;
  }
  // In queue order, each through add(): a task that cannot come back (its
  // .torrent copy is gone) is logged and left out, the others load.
  for (const SavedTask& saved : keeper_->load().tasks) {
    const Result<TaskKind> kind = classifySource(saved.params.source);
    if (saved.finished && kind && kind.value() == TaskKind::Http && saved.fileName.empty()) {
      // Saved by a version that did not keep the file's name: started again
      // it would download a second copy, so it is left out.
      TLOG(Info, "session") << "finished, not restored: " << saved.params.source;
      continue;
    }
    if (Result<TaskId> id = addTask(saved.params, &saved); !id) {
      TLOG(Error, "session") << "cannot restore " << saved.params.source << ": "
                             << id.error().toString();
    }
  }
}

void EngineImpl::keepTask(TaskId id, TaskKind kind, const AddParams& params,
                          const SavedTask* restored) {
  SavedTask task;
  task.params = params;
  if (kind == TaskKind::Torrent) {
    // prepare() has just read it, so it exists; a copy that cannot be made
    // leaves the original path in the list.
    if (Result<std::string> copy = keeper_->keepTorrentFile(params.source)) {
      task.params.source = copy.value();
    } else {
      TLOG(Warning, "session") << "no copy of " << params.source
                               << " kept: " << copy.error().toString();
    }
  }
  if (restored) {
    task.addedAtUnix = restored->addedAtUnix;
    task.traffic = restored->traffic;
    task.finished = restored->finished;
    task.fileName = restored->fileName;
    task.totalBytes = restored->totalBytes;
    hub_.setRestored(id, restored->addedAtUnix, restored->traffic);
  } else {
    task.addedAtUnix = static_cast<std::int64_t>(std::time(nullptr));
  }
  keeper_->taskAdded(id, std::move(task));
}

TaskFactory::Prepared EngineImpl::finishedHttpDownload(const SavedTask& saved) {
  return std::make_shared<const http::FinishedDownload>(
      http::FinishedDownload{saved.fileName, saved.totalBytes});
}

}  // namespace tributary::session
