// Internal: the engine behind engine/api/Engine.h. Owns the loop threads, the
// disk/hash worker pool, one TaskHost per loop and the snapshot publisher;
// routes each command to the loop that owns its task (LoopPool::forKey(id), so
// no shared registry is needed).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/loop/LoopPool.h"
#include "engine/loop/WorkerPool.h"
#include "engine/net/SharedTokenBucket.h"
#include "engine/net/TlsContextCache.h"
#include "engine/session/DhtService.h"
#include "engine/session/LoopBusySampler.h"
#include "engine/session/LsdService.h"
#include "engine/session/PeerListener.h"
#include "engine/session/QueueCoordinator.h"
#include "engine/session/SessionKeeper.h"
#include "engine/session/SnapshotHub.h"
#include "engine/session/SubscriberList.h"
#include "engine/session/TaskFactory.h"
#include "engine/session/TaskHost.h"
#include "engine/session/UpdatePublisher.h"
#include "engine/storage/FileIo.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class EngineImpl final : public Engine, private core::TaskEvents {
 public:
  EngineImpl(const EngineConfig& config, std::unique_ptr<TaskFactory> factory,
             std::shared_ptr<storage::FileIo> fileIo);
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
  void setFilePriorities(TaskId id, std::vector<std::uint8_t> priorities) override;
  void setSourcePolicy(TaskId id, SourcePolicy policy) override;
  void recheck(TaskId id) override;
  void setLocation(TaskId id, std::string saveDir) override;
  void setMaxActiveDownloads(unsigned maxActive) override;
  void moveInQueue(TaskId id, QueueMove move) override;
  SubscriptionId subscribe(UpdateCallback onUpdate, EventCallback onEvent) override;
  void unsubscribe(SubscriptionId id) override;

 private:
  void report(const Event& event) override;  // core::TaskEvents, any thread
  void locationChanged(TaskId id, const std::string& saveDir) override;  // any thread
  // add(), and the session's restore: `restored` carries what a saved task
  // had (added time, traffic); null for a new task.
  Result<TaskId> addTask(const AddParams& params, const SavedTask* restored);
  // EngineSession.cpp: the task list kept in EngineConfig::stateDir.
  void setUpSessionKeeper();
  void restoreSession();
  void keepTask(TaskId id, TaskKind kind, const AddParams& params, const SavedTask* restored);
  // What create() gets for an HTTP task that finished in an earlier run.
  static TaskFactory::Prepared finishedHttpDownload(const SavedTask& saved);
  void publishStats();
  // Runs `command(host)` on the loop that owns `id`; logs when no task has it.
  template <class Command>
  void onTaskLoop(TaskId id, const char* name, Command command);
  // Pushes what the hub holds to the subscribers now, not at the next tick
  // (any thread): a user's command shows within a post or two.
  void publishSoon();
  std::shared_ptr<std::atomic<bool>> publishQueued_ = std::make_shared<std::atomic<bool>>(false);
  // False when a loop's tasks did not finish saving within the grace time.
  bool shutdownTasks();
  // EnginePeerListener.cpp: the BitTorrent listening port on loop 0.
  void startPeerListener();
  void stopPeerListener();
  // EngineDht.cpp: the DHT node on loop 0, started with the first torrent.
  void setUpDht();
  void stopDht();
  // EngineLsd.cpp: local service discovery on loop 0, started with the first torrent.
  void setUpLsd();
  void ensureLsdStarted();
  void stopLsd();

  EngineConfig config_;
  std::unique_ptr<TaskFactory> factory_;
  std::shared_ptr<storage::FileIo> fileIo_;
  loop::LoopPool loops_;
  loop::WorkerPool workers_;
  std::shared_ptr<net::SharedTokenBucket> globalDownload_;
  std::shared_ptr<net::SharedTokenBucket> globalUpload_;
  std::shared_ptr<net::TlsContextCache> tls_;
  SnapshotHub hub_;
  SubscriberList subscribers_;
  // Each lives on its loop; made before the loops start and destroyed after
  // they are joined, so the loops may hold plain pointers to them.
  std::vector<std::unique_ptr<TaskHost>> hosts_;
  std::unique_ptr<UpdatePublisher> publisher_;
  std::vector<std::unique_ptr<LoopBusySampler>> samplers_;  // one per loop, like hosts_
  // Who downloads and who waits; it posts into the loops and the hosts.
  std::unique_ptr<QueueCoordinator> queue_;
  std::atomic<TaskId> nextTaskId_{1};
  // Started and stopped on loop 0; destroyed after the loops are joined.
  std::unique_ptr<PeerListener> peerListener_;
  std::shared_ptr<DhtService> dht_;  // null when the DHT is off
  std::shared_ptr<LsdService> lsd_;  // null when LSD is off
  std::atomic<bool> lsdStartRequested_{false};
  // Null when EngineConfig::stateDir is empty. Started on loop 0; saves the
  // last time after the loops are joined.
  std::unique_ptr<SessionKeeper> keeper_;
  // core::TaskContext::uncleanChecksOwed: read at shutdown, after every task ended.
  std::shared_ptr<std::atomic<int>> uncleanChecksOwed_ = std::make_shared<std::atomic<int>>(0);

  util::Mutex statsMutex_;
  EngineStats stats_ GUARDED_BY(statsMutex_);
};

}  // namespace tributary::session
