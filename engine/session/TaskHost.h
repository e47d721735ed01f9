// Internal: the tasks pinned to one loop. Routes commands to them, and at every
// tick asks each for its snapshot and leaves the ones that changed in the
// SnapshotHub. Lives on its loop; only the constructor and destructor run
// elsewhere (before the loop starts and after it stopped).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "engine/core/Task.h"
#include "engine/http/HttpGetterImpl.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/Timer.h"
#include "engine/loop/WorkerPool.h"
#include "engine/net/TlsContextCache.h"
#include "engine/session/DownloadQueue.h"
#include "engine/session/SnapshotHub.h"

namespace tributary::session {

class TaskHost {
 public:
  TaskHost(loop::EventLoop& loop, SnapshotHub& hub, std::chrono::milliseconds tick);
  ~TaskHost();

  // Loop thread only, from here on.
  void start();
  // The default TLS context for https trackers, once the engine's pool has
  // built it (until then an https announce fails and is retried).
  void setTlsContext(std::shared_ptr<net::TlsContext> tls);
  // The task waits for the download queue's verdict (applyQueue) to start.
  void add(TaskId id, std::unique_ptr<core::Task> task, bool startPaused);
  // Each returns false if no task has that id on this loop.
  bool pause(TaskId id);
  bool setLimits(TaskId id, std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate);
  bool setSourcePolicy(TaskId id, const SourcePolicy& policy);
  bool setFilePriorities(TaskId id, const std::vector<std::uint8_t>& priorities);
  bool recheck(TaskId id);
  bool setLocation(TaskId id, const std::string& saveDir);
  bool remove(TaskId id, bool deleteFiles);
  // Leaves the task's snapshot in the hub now, not at the next tick.
  void publishNow(TaskId id);
  void pauseAll();
  // The download queue's verdicts (QueueCoordinator): starts, resumes or
  // holds each task and stamps its place and Queued state on its snapshot.
  // Resuming goes through here only, so a task never starts past the limit.
  void applyQueue(const std::vector<DownloadQueue::Change>& changes);
  // Told each state a task reports of itself, when it changes (before the
  // Queued stamp). Set before the loop starts.
  void setStateListener(std::function<void(TaskId, TaskState)> listener) {
    stateListener_ = std::move(listener);
  }
  // Asks every task to save and stop; calls `done` once all have (or at once
  // when there are none).
  void shutdown(util::UniqueFunction<void()> done);
  // Tears down what is left (after shutdown, as the loop stops).
  void stop();

  std::size_t size() const { return tasks_.size(); }
  // The loop's DNS cache, shared by its tasks; exists from start() on.
  loop::Resolver* resolver() const { return resolver_.get(); }
  core::HttpGetter* httpGetter() const { return httpGetter_.get(); }

 private:
  struct Entry {
    std::unique_ptr<core::Task> task;
    std::optional<TaskSnapshot> lastPublished;
    bool removing = false;
    // The queue's side: whether start() was called, whether the task runs
    // (started or resumed, not paused since), and what its snapshot shows.
    bool started = false;
    bool running = false;
    bool queued = false;
    std::uint32_t queuePosition = 0;
    std::optional<TaskState> reportedState;
  };
  void publishChanged();
  void publish(TaskId id, Entry& entry);
  core::Task* find(TaskId id);

  loop::EventLoop& loop_;
  SnapshotHub& hub_;
  std::chrono::milliseconds tick_;
  std::unique_ptr<loop::Timer> timer_;
  std::unique_ptr<loop::Resolver> resolver_;
  std::unique_ptr<http::HttpGetterImpl> httpGetter_;
  std::map<TaskId, Entry> tasks_;
  std::function<void(TaskId, TaskState)> stateListener_;
  bool stopping_ = false;  // shutdown() began: the queue starts nothing more
};

}  // namespace tributary::session
