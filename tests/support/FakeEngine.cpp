#include "support/FakeEngine.h"

#include <thread>
#include <utility>

namespace tributary::test {

namespace {

FakeEngine::Command makeCommand(FakeEngine::Command::Kind kind, TaskId task = kInvalidTaskId) {
  FakeEngine::Command command;
  command.kind = kind;
  command.task = task;
  return command;
}

}  // namespace

FakeEngine::~FakeEngine() {
  if (onDestroyed_) {
    onDestroyed_(subscriberCount());
  }
}

Result<TaskId> FakeEngine::add(const AddParams& params) {
  Command command = makeCommand(Command::Kind::Add);
  command.source = params.source;
  command.saveDir = params.saveDir;
  command.addParams = params;
  std::function<Result<TaskId>(const AddParams&)> handler;
  TaskId fresh = kInvalidTaskId;
  {
    std::lock_guard lock(commandsMutex_);
    handler = addHandler_;
    fresh = nextId_++;
  }
  Result<TaskId> result = handler ? handler(params) : Result<TaskId>(fresh);
  if (result) {
    command.task = result.value();
  }
  record(std::move(command));
  return result;
}

void FakeEngine::pause(TaskId id) {
  record(makeCommand(Command::Kind::Pause, id));
}

void FakeEngine::resume(TaskId id) {
  record(makeCommand(Command::Kind::Resume, id));
}

void FakeEngine::remove(TaskId id, bool deleteFiles) {
  Command command = makeCommand(Command::Kind::Remove, id);
  command.deleteFiles = deleteFiles;
  record(std::move(command));
}

void FakeEngine::pauseAll() {
  record(makeCommand(Command::Kind::PauseAll));
}

void FakeEngine::resumeAll() {
  record(makeCommand(Command::Kind::ResumeAll));
}

void FakeEngine::setGlobalLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  Command command = makeCommand(Command::Kind::GlobalLimits);
  command.maxDownloadRate = maxDownloadRate;
  command.maxUploadRate = maxUploadRate;
  record(std::move(command));
}

void FakeEngine::setTaskLimits(TaskId id, std::uint64_t maxDownloadRate,
                               std::uint64_t maxUploadRate) {
  Command command = makeCommand(Command::Kind::TaskLimits, id);
  command.maxDownloadRate = maxDownloadRate;
  command.maxUploadRate = maxUploadRate;
  record(std::move(command));
}

void FakeEngine::setFilePriorities(TaskId id, std::vector<std::uint8_t> priorities) {
  Command command = makeCommand(Command::Kind::FilePriorities, id);
  command.filePriorities = std::move(priorities);
  record(std::move(command));
}

void FakeEngine::setSourcePolicy(TaskId id, SourcePolicy policy) {
  Command command = makeCommand(Command::Kind::SetSourcePolicy, id);
  command.sourcePolicy = policy;
  record(std::move(command));
}

void FakeEngine::recheck(TaskId id) {
  record(makeCommand(Command::Kind::Recheck, id));
}

void FakeEngine::setLocation(TaskId id, std::string saveDir) {
  Command command = makeCommand(Command::Kind::SetLocation, id);
  command.saveDir = std::move(saveDir);
  record(std::move(command));
}

void FakeEngine::setMaxActiveDownloads(unsigned maxActive) {
  Command command = makeCommand(Command::Kind::SetMaxActiveDownloads);
  command.maxActiveDownloads = maxActive;
  record(std::move(command));
}

void FakeEngine::moveInQueue(TaskId id, QueueMove move) {
  Command command = makeCommand(Command::Kind::MoveInQueue, id);
  command.queueMove = move;
  record(std::move(command));
}

SubscriptionId FakeEngine::subscribe(UpdateCallback onUpdate, EventCallback onEvent) {
  std::lock_guard lock(subscribersMutex_);
  const SubscriptionId id = nextSubscription_++;
  subscribers_.emplace(id, Subscriber{std::move(onUpdate), std::move(onEvent)});
  return id;
}

void FakeEngine::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(subscribersMutex_);
  subscribers_.erase(id);
}

void FakeEngine::setAddHandler(std::function<Result<TaskId>(const AddParams&)> handler) {
  std::lock_guard lock(commandsMutex_);
  addHandler_ = std::move(handler);
}

void FakeEngine::setOnDestroyed(std::function<void(std::size_t subscribers)> hook) {
  onDestroyed_ = std::move(hook);
}

std::vector<FakeEngine::Command> FakeEngine::commands() const {
  std::lock_guard lock(commandsMutex_);
  return commands_;
}

std::vector<FakeEngine::Command> FakeEngine::commandsOf(Command::Kind kind) const {
  std::vector<Command> out;
  for (Command& command : commands()) {
    if (command.kind == kind) {
      out.push_back(std::move(command));
    }
  }
  return out;
}

std::size_t FakeEngine::subscriberCount() const {
  std::lock_guard lock(subscribersMutex_);
  return subscribers_.size();
}

void FakeEngine::deliver(const Update& update) {
  std::lock_guard lock(subscribersMutex_);
  for (auto& [id, subscriber] : subscribers_) {
    if (subscriber.onUpdate) {
      subscriber.onUpdate(update);
    }
  }
}

void FakeEngine::deliver(const Event& event) {
  std::lock_guard lock(subscribersMutex_);
  for (auto& [id, subscriber] : subscribers_) {
    if (subscriber.onEvent) {
      subscriber.onEvent(event);
    }
  }
}

std::thread::id FakeEngine::runOnEngineThread(const std::function<void(FakeEngine&)>& script) {
  std::thread::id threadId;
  std::thread thread([&] {
    threadId = std::this_thread::get_id();
    script(*this);
  });
  thread.join();
  return threadId;
}

void FakeEngine::record(Command command) {
  std::lock_guard lock(commandsMutex_);
  commands_.push_back(std::move(command));
}

TaskSnapshot makeSnapshot(TaskId id, std::string name, TaskState state, std::uint64_t totalBytes,
                          std::uint64_t verifiedBytes, std::uint64_t downloadRate) {
  TaskSnapshot snapshot;
  snapshot.id = id;
  snapshot.kind = TaskKind::Http;
  snapshot.state = state;
  snapshot.name = std::move(name);
  snapshot.totalBytes = totalBytes;
  snapshot.sizeKnown = totalBytes != 0;
  snapshot.verifiedBytes = verifiedBytes;
  snapshot.downloadRate = downloadRate;
  snapshot.addedAtUnix = 1700000000;
  return snapshot;
}

}  // namespace tributary::test
