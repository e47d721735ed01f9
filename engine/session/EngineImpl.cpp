#include "engine/session/EngineImpl.h"

#include <algorithm>
#include <thread>

#include "engine/loop/EventLoop.h"
#include "engine/session/SourceClassifier.h"
#include "engine/util/Log.h"

namespace tributary {

std::unique_ptr<Engine> Engine::create(const EngineConfig& config) {
  return std::make_unique<session::EngineImpl>(config);
}

namespace session {
namespace {

// Queued disk and hashing jobs per worker before submitters must back off:
// enough to keep every worker busy through a burst of completed pieces.
constexpr std::size_t kWorkerQueuePerThread = 256;

unsigned workerCount(const EngineConfig& config) {
  if (config.workerThreads > 0) {
    return config.workerThreads;
  }
  return std::max(2u, std::thread::hardware_concurrency());
}

}  // namespace

EngineImpl::EngineImpl(const EngineConfig& config)
    : config_(config),
      loops_(config.loopThreads),
      workers_(workerCount(config), workerCount(config) * kWorkerQueuePerThread) {
  util::Logger::instance().configure(config.logLevel, config.logFile, config.logToStderr);
  loop::ignoreSigpipe();
  {
    util::LockGuard lock(statsMutex_);
    stats_.loopThreads = loops_.size();
    stats_.maxDownloadRate = config.maxDownloadRate;
    stats_.maxUploadRate = config.maxUploadRate;
  }
  publishStats();

  loop::EventLoop& publisherLoop = loops_.loop(0);
  publisher_ = std::make_unique<UpdatePublisher>(
      publisherLoop, std::max(config.tick, std::chrono::milliseconds(10)), hub_, subscribers_);
  loops_.start();
  UpdatePublisher* publisher = publisher_.get();
  publisherLoop.post([publisher, &publisherLoop] {
    publisher->start();
    publisherLoop.addShutdownHook([publisher] { publisher->stop(); });
  });
  TLOG(Info, "engine") << "started: " << loops_.size() << " loop threads, " << workerCount(config)
                       << " workers";
}

EngineImpl::~EngineImpl() {
  // Workers first: their completions post into the loops, which must still run.
  workers_.stop();
  const int loopStatus = loops_.stop();
  if (loopStatus != 0) {
    TLOG(Error, "engine") << "a loop did not close cleanly (uv_loop_close=" << loopStatus << ")";
  }
  TLOG(Info, "engine") << "stopped";
  util::Logger::instance().flush();
}

Result<TaskId> EngineImpl::add(const AddParams& params) {
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
  // The engines behind each kind arrive with their own issues; until then the
  // command says so plainly instead of pretending to download.
  switch (kind.value()) {
    case TaskKind::Http:
      return Error{ErrorCode::NotSupported, "http downloads are not implemented yet"};
    case TaskKind::Torrent:
      return Error{ErrorCode::NotSupported, "torrent downloads are not implemented yet"};
    case TaskKind::Magnet:
      return Error{ErrorCode::NotSupported, "magnet links are not implemented yet"};
  }
  return Error{ErrorCode::Internal, "unhandled source kind"};
}

void EngineImpl::commandForUnknownTask(const char* command, TaskId id) const {
  TLOG(Warning, "engine") << command << ": no task " << id;
}

void EngineImpl::pause(TaskId id) {
  commandForUnknownTask("pause", id);
}

void EngineImpl::resume(TaskId id) {
  commandForUnknownTask("resume", id);
}

void EngineImpl::remove(TaskId id, bool /*deleteFiles*/) {
  commandForUnknownTask("remove", id);
}

void EngineImpl::pauseAll() {}

void EngineImpl::resumeAll() {}

void EngineImpl::setGlobalLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  {
    util::LockGuard lock(statsMutex_);
    stats_.maxDownloadRate = maxDownloadRate;
    stats_.maxUploadRate = maxUploadRate;
  }
  publishStats();
}

void EngineImpl::setTaskLimits(TaskId id, std::uint64_t, std::uint64_t) {
  commandForUnknownTask("set limits", id);
}

SubscriptionId EngineImpl::subscribe(UpdateCallback onUpdate, EventCallback onEvent) {
  return subscribers_.add(std::move(onUpdate), std::move(onEvent));
}

void EngineImpl::unsubscribe(SubscriptionId id) {
  subscribers_.remove(id);
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
