// Internal: the engine behind engine/api/Engine.h. Owns the loop threads, the
// disk/hash worker pool and the snapshot publisher; routes each command to the
// loop that owns its task.
#pragma once

#include <atomic>
#include <memory>

#include "engine/api/Engine.h"
#include "engine/loop/LoopPool.h"
#include "engine/loop/WorkerPool.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/SubscriberList.h"
#include "engine/session/UpdatePublisher.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class EngineImpl final : public Engine {
 public:
  explicit EngineImpl(const EngineConfig& config);
  ~EngineImpl() override;

  Result<TaskId> add(const AddParams& params) override;
  void pause(TaskId id) override;
  void resume(TaskId id) override;
  void remove(TaskId id, bool deleteFiles) override;
  void pauseAll() override;
  void resumeAll() override;
  void setGlobalLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) override;
  void setTaskLimits(TaskId id, std::uint64_t maxDownloadRate,
                     std::uint64_t maxUploadRate) override;
  SubscriptionId subscribe(UpdateCallback onUpdate, EventCallback onEvent) override;
  void unsubscribe(SubscriptionId id) override;

 private:
  void publishStats();
  void commandForUnknownTask(const char* command, TaskId id) const;

  EngineConfig config_;
  loop::LoopPool loops_;
  loop::WorkerPool workers_;
  SnapshotHub hub_;
  SubscriberList subscribers_;
  // Lives on loops_.loop(0); created before the loops start and destroyed after
  // they are joined, so the loop may hold a plain pointer to it.
  std::unique_ptr<UpdatePublisher> publisher_;
  std::atomic<TaskId> nextTaskId_{1};

  util::Mutex statsMutex_;
  EngineStats stats_ GUARDED_BY(statsMutex_);
};

}  // namespace tributary::session
