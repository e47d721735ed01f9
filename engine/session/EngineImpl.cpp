#include "engine/session/EngineImpl.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/loop/EventLoop.h"
#include "engine/session/SourceClassifier.h"
#include "engine/util/Log.h"

namespace tributary {

std::unique_ptr<Engine> Engine::create(const EngineConfig& config) {
  return std::make_unique<session::EngineImpl>(config, session::makeDefaultTaskFactory(config),
                                               storage::systemFileIo());
}

namespace session {
namespace {

// Queued disk and hashing jobs per worker before submitters must back off:
// enough to keep every worker busy through a burst of completed pieces.
constexpr std::size_t kWorkerQueuePerThread = 256;
// How long shutdown waits for tasks to flush their writes and save state.
constexpr std::chrono::seconds kShutdownGrace{10};

unsigned workerCount(const EngineConfig& config) {
  if (config.workerThreads > 0) {
    return config.workerThreads;
  }
  return std::max(2u, std::thread::hardware_concurrency());
}

}  // namespace

EngineImpl::EngineImpl(const EngineConfig& config, std::unique_ptr<TaskFactory> factory,
                       std::shared_ptr<storage::FileIo> fileIo)
    : config_(config),
      factory_(std::move(factory)),
      fileIo_(std::move(fileIo)),
      loops_(config.loopThreads),
      workers_(workerCount(config), workerCount(config) * kWorkerQueuePerThread),
      globalDownload_(std::make_shared<net::SharedTokenBucket>(config.maxDownloadRate)),
      globalUpload_(std::make_shared<net::SharedTokenBucket>(config.maxUploadRate)),
      tls_(std::make_shared<net::TlsContextCache>()) {
  util::Logger::instance().configure(config.logLevel, config.logFile, config.logToStderr);
  loop::ignoreSigpipe();
  {
    util::LockGuard lock(statsMutex_);
    stats_.loopThreads = loops_.size();
    stats_.maxDownloadRate = config.maxDownloadRate;
    stats_.maxUploadRate = config.maxUploadRate;
  }
  publishStats();

  const auto tick = std::max(config.tick, std::chrono::milliseconds(10));
  for (unsigned i = 0; i < loops_.size(); ++i) {
    hosts_.push_back(std::make_unique<TaskHost>(loops_.loop(i), hub_, tick));
    samplers_.push_back(std::make_unique<LoopBusySampler>(loops_.loop(i), i, loops_.size(), hub_));
  }
  queue_ = std::make_unique<QueueCoordinator>(config.maxActiveDownloads, loops_, hosts_,
                                              [this] { publishSoon(); });
  for (auto& host : hosts_) {
    host->setStateListener(
        [queue = queue_.get()](TaskId id, TaskState state) { queue->observe(id, state); });
  }
  loop::EventLoop& publisherLoop = loops_.loop(0);
  publisher_ = std::make_unique<UpdatePublisher>(publisherLoop, tick, hub_, subscribers_);
  loops_.start();

  for (unsigned i = 0; i < loops_.size(); ++i) {
    TaskHost* host = hosts_[i].get();
    LoopBusySampler* sampler = samplers_[i].get();
    loop::EventLoop& loop = loops_.loop(i);
    loop.post([host, sampler, &loop, this] {
      host->start();
      sampler->start();
      loop.addShutdownHook([host, sampler] {
        sampler->stop();
        host->stop();
      });
    });
  }
  UpdatePublisher* publisher = publisher_.get();
  publisherLoop.post([publisher, &publisherLoop] {
    publisher->start();
    publisherLoop.addShutdownHook([publisher] { publisher->stop(); });
  });
  // The system trust store takes tens of milliseconds to load: do it now, on
  // one worker (the other stays free for the first task's disk jobs), and
  // hand the context to every loop's tracker client.
  workers_.submit(
      loops_.loop(0), [tls = tls_] { return tls->get({}); },
      [this](Result<std::shared_ptr<net::TlsContext>> made) {
        if (!made) {
          TLOG(Warning, "engine") << "no default TLS context: " << made.error().toString();
          return;
        }
        for (unsigned i = 0; i < hosts_.size(); ++i) {
          TaskHost* host = hosts_[i].get();
          loops_.loop(i).post([host, tls = made.value()] { host->setTlsContext(tls); });
        }
      });
  startPeerListener();
  setUpDht();  // after the listener: the DHT takes the same port number on UDP
  setUpLsd();
  setUpSessionKeeper();
  TLOG(Info, "engine") << "started: " << loops_.size() << " loop threads, " << workerCount(config)
                       << " workers";
  restoreSession();
}

EngineImpl::~EngineImpl() {
  queue_->close();     // a task that ends while saving frees no slot for another
  stopPeerListener();  // no new peers for tasks that are about to save and stop
  const bool tasksSaved = shutdownTasks();
  stopDht();  // its routing table is saved; tasks no longer ask it anything
  stopLsd();
  // Workers next: their completions post into the loops, which must still run.
  workers_.stop();
  const int loopStatus = loops_.stop();
  if (loopStatus != 0) {
    TLOG(Error, "engine") << "a loop did not close cleanly (uv_loop_close=" << loopStatus << ")";
  }
  if (keeper_) {
    keeper_->saveNow();  // the tasks' final snapshots are in the hub; no save is running
    const int owed = uncleanChecksOwed_->load();
    if (tasksSaved && owed == 0) {
      keeper_->markCleanExit();  // else the next start verifies what they did not claim
    } else if (tasksSaved) {
      TLOG(Info, "engine") << owed << " torrent(s) restored after an unclean exit have not "
                           << "checked their data yet: the next start does it";
    }
  }
  TLOG(Info, "engine") << "stopped";
  util::Logger::instance().flush();
}

bool EngineImpl::shutdownTasks() {
  // The caller's thread (GUI or CLI main) waits here, never a loop thread:
  // each host asks its tasks to flush and save, using the still-running pool.
  struct Waiter {
    std::mutex mutex;
    std::condition_variable cv;
    std::size_t left = 0;
  };
  auto waiter = std::make_shared<Waiter>();
  waiter->left = hosts_.size();
  for (unsigned i = 0; i < hosts_.size(); ++i) {
    TaskHost* host = hosts_[i].get();
    loops_.loop(i).post([host, waiter] {
      host->shutdown([waiter] {
        std::lock_guard lock(waiter->mutex);
        --waiter->left;
        waiter->cv.notify_all();
      });
    });
  }
  std::unique_lock lock(waiter->mutex);
  if (!waiter->cv.wait_for(lock, kShutdownGrace, [&] { return waiter->left == 0; })) {
    TLOG(Warning, "engine") << waiter->left << " loop(s) did not finish saving within "
                            << kShutdownGrace.count() << " s";
    return false;
  }
  return true;
}

Result<TaskId> EngineImpl::add(const AddParams& params) {
  // A URL with a torrent for it becomes a torrent task from here on (its
  // kind, the kept .torrent copy, the DHT start).
  Result<AddParams> paired = pairSources(params);
  if (!paired) {
    return paired.error();
  }
  return addTask(paired.value(), nullptr);
}

Result<TaskId> EngineImpl::addTask(const AddParams& params, const SavedTask* restored) {
  Result<TaskKind> kind = classifySource(params.source);
  if (!kind) {
    return kind.error();
  }
  if (params.saveDir.empty()) {
    return Error{ErrorCode::InvalidArgument, "no save folder given"};
  }
  if (params.connections == 0 || params.connections > 64) {
    return Error{ErrorCode::InvalidArgument, "connections must be from 1 to 64"};
  }
  Result<TaskFactory::Prepared> prepared = factory_->prepare(kind.value(), params);
  if (!prepared) {
    return prepared.error();
  }
  if (restored != nullptr && restored->finished && kind.value() == TaskKind::Http) {
    prepared = finishedHttpDownload(*restored);  // it comes back finished, not downloading
  }
  if (kind.value() != TaskKind::Http) {
    // Posted before the task's creation: up before its first lookup.
    if (dht_) {
      dht_->ensureStarted();
    }
    ensureLsdStarted();
  }
  const TaskId id = nextTaskId_.fetch_add(1);
  if (keeper_) {
    keepTask(id, kind.value(), params, restored);
  }
  queue_->add(id, params.startPaused);  // at the bottom, in the order add() answered
  const unsigned index = loops_.indexForKey(id);
  core::TaskContext context;
  context.id = id;
  context.loop = &loops_.loop(index);
  context.workers = &workers_;
  context.globalDownload = globalDownload_;
  context.globalUpload = globalUpload_;
  context.events = this;
  context.fileIo = fileIo_;
  context.tls = tls_;
  context.finishedBefore = restored != nullptr && restored->finished;
  context.uncleanShutdownBefore = restored != nullptr && keeper_ && keeper_->previousRunUnclean();
  context.uncleanChecksOwed = uncleanChecksOwed_;
  context.cdnBytesBefore = restored != nullptr ? restored->traffic.cdn : 0;
  context.bypassCacheForPieces = config_.bypassOsCacheForPieces;
  TaskHost* host = hosts_[index].get();
  TaskFactory* factory = factory_.get();
  context.loop->post([host, factory, context, params, taskKind = kind.value(),
                      prepared = std::move(prepared.value()), this]() mutable {
    core::TaskContext ready = context;
    ready.resolver = host->resolver();  // made by host->start(), which ran before this post
    ready.httpGetter = host->httpGetter();
    std::unique_ptr<core::Task> task =
        factory->create(taskKind, ready, params, std::move(prepared));
    if (!task) {
      if (keeper_) {
        keeper_->taskRemoved(context.id);  // nothing to bring back next time
      }
      queue_->remove(context.id);
      report(
          Event{Event::Kind::Failed, context.id, ErrorCode::Internal, "could not create the task"});
      return;
    }
    host->add(context.id, std::move(task), params.startPaused);
    report(Event{Event::Kind::Added, context.id, ErrorCode::Ok, params.source});
    // The queue may start it now; its verdicts come after this, on this loop.
    queue_->created(context.id);
    publishSoon();  // the new row shows at once
  });
  return id;
}

template <class Command>
void EngineImpl::onTaskLoop(TaskId id, const char* name, Command command) {
  const unsigned index = loops_.indexForKey(id);
  TaskHost* host = hosts_[index].get();
  loops_.loop(index).post([this, host, id, name, command = std::move(command)]() mutable {
    if (!command(*host)) {
      TLOG(Warning, "engine") << name << ": no task " << id;
      return;
    }
    // The host put the new snapshot in the hub; issue 5 wants it on screen
    // within 200 ms of the click, and the next tick may be 500 ms away.
    publishSoon();
  });
}

void EngineImpl::publishSoon() {
  // One push in flight at most: adding 10,000 tasks in a burst makes one or
  // two updates, not 10,000.
  if (publishQueued_->exchange(true)) {
    return;
  }
  UpdatePublisher* publisher = publisher_.get();
  loops_.loop(0).post([publisher, queued = publishQueued_] {
    queued->store(false);  // first: a command after this point needs a new push
    publisher->publishNow();
  });
}

void EngineImpl::pause(TaskId id) {
  if (keeper_) {
    keeper_->setPaused(id, true);
  }
  queue_->pause(id);  // first, so no verdict posted after the pause restarts it
  onTaskLoop(id, "pause", [id](TaskHost& host) { return host.pause(id); });
}

void EngineImpl::resume(TaskId id) {
  if (keeper_) {
    keeper_->setPaused(id, false);
  }
  // Through the queue: the task starts only if a slot is free, else it waits.
  queue_->resume(id);
}

void EngineImpl::setMaxActiveDownloads(unsigned maxActive) {
  queue_->setMaxActive(maxActive);
}

void EngineImpl::moveInQueue(TaskId id, QueueMove move) {
  queue_->move(id, move);
}

void EngineImpl::remove(TaskId id, bool deleteFiles) {
  if (keeper_) {
    keeper_->taskRemoved(id);
  }
  queue_->remove(id);
  onTaskLoop(id, "remove", [this, id, deleteFiles](TaskHost& host) {
    if (!host.remove(id, deleteFiles)) {
      return false;
    }
    report(Event{Event::Kind::Removed, id, ErrorCode::Ok, {}});
    return true;
  });
}

void EngineImpl::setTaskLimits(TaskId id, std::uint64_t maxDownloadRate,
                               std::uint64_t maxUploadRate) {
  if (keeper_) {
    keeper_->setLimits(id, maxDownloadRate, maxUploadRate);
  }
  onTaskLoop(id, "set limits",
             [=](TaskHost& host) { return host.setLimits(id, maxDownloadRate, maxUploadRate); });
}

void EngineImpl::setSourcePolicy(TaskId id, SourcePolicy policy) {
  if (keeper_) {
    keeper_->setSourcePolicy(id, policy);
  }
  onTaskLoop(id, "set source policy",
             [=](TaskHost& host) { return host.setSourcePolicy(id, policy); });
}

void EngineImpl::setFilePriorities(TaskId id, std::vector<std::uint8_t> priorities) {
  if (keeper_) {
    keeper_->setFilePriorities(id, priorities);
  }
  onTaskLoop(id, "set file priorities", [id, priorities = std::move(priorities)](TaskHost& host) {
    return host.setFilePriorities(id, priorities);
  });
}

void EngineImpl::recheck(TaskId id) {
  onTaskLoop(id, "recheck", [id](TaskHost& host) { return host.recheck(id); });
}

void EngineImpl::setLocation(TaskId id, std::string saveDir) {
  if (saveDir.empty()) {
    return;
  }
  onTaskLoop(id, "set location", [id, saveDir = std::move(saveDir)](TaskHost& host) {
    return host.setLocation(id, saveDir);
  });
}

void EngineImpl::locationChanged(TaskId id, const std::string& saveDir) {
  if (keeper_) {
    keeper_->setSaveDir(id, saveDir);
  }
}

void EngineImpl::pauseAll() {
  if (keeper_) {
    keeper_->setAllPaused(true);
  }
  queue_->pauseAll();
  for (unsigned i = 0; i < hosts_.size(); ++i) {
    TaskHost* host = hosts_[i].get();
    loops_.loop(i).post([this, host] {
      host->pauseAll();
      publishSoon();
    });
  }
}

void EngineImpl::resumeAll() {
  if (keeper_) {
    keeper_->setAllPaused(false);
  }
  queue_->resumeAll();
}

void EngineImpl::setGlobalLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  const auto now = std::chrono::steady_clock::now();
  globalDownload_->setRate(now, maxDownloadRate);
  globalUpload_->setRate(now, maxUploadRate);
  {
    util::LockGuard lock(statsMutex_);
    stats_.maxDownloadRate = maxDownloadRate;
    stats_.maxUploadRate = maxUploadRate;
  }
  publishStats();
}

SubscriptionId EngineImpl::subscribe(UpdateCallback onUpdate, EventCallback onEvent) {
  return subscribers_.add(std::move(onUpdate), std::move(onEvent));
}

void EngineImpl::unsubscribe(SubscriptionId id) {
  subscribers_.remove(id);
}

void EngineImpl::report(const Event& event) {
  subscribers_.deliver(event);
  if (event.kind != Event::Kind::Completed && event.kind != Event::Kind::Failed) {
    return;
  }
  // The final state goes out at once, not a tick later: a CLI waiting for it
  // exits sooner, a GUI shows it sooner. (Called on the task's loop, inside
  // the task: the snapshot is taken by a post, after the task's own call.)
  const unsigned index = loops_.indexForKey(event.task);
  TaskHost* host = hosts_[index].get();
  UpdatePublisher* publisher = publisher_.get();
  loop::EventLoop& publisherLoop = loops_.loop(0);
  loops_.loop(index).post([host, publisher, &publisherLoop, id = event.task] {
    host->publishNow(id);
    publisherLoop.post([publisher] { publisher->publishNow(); });
  });
}

void EngineImpl::publishStats() {
  EngineStats copy;
  {
    util::LockGuard lock(statsMutex_);
    copy = stats_;
  }
  hub_.setStats(copy);
}

}  // namespace session
}  // namespace tributary
