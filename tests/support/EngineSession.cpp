#include "support/EngineSession.h"

#include <QFile>
#include <cstdlib>

#include "engine/session/EngineImpl.h"

#include <algorithm>
#include <random>
#include <thread>

namespace tributary::test {

using namespace std::chrono_literals;

EngineConfig EngineSession::testConfig() {
  EngineConfig config;
  config.loopThreads = 2;
  config.workerThreads = 2;
  config.tick = 50ms;
  config.logLevel =
      std::getenv("TRIBUTARY_TEST_LOG") != nullptr ? LogLevel::Debug : LogLevel::Error;
  config.logToStderr = true;
  config.enableDht = config.enablePex = config.enableLsd = config.enableUtp = false;
  return config;
}

EngineSession::EngineSession() {
  engine_ = Engine::create(testConfig());
  subscribe();
}

EngineSession::EngineSession(std::shared_ptr<storage::FileIo> fileIo) {
  engine_ = std::make_unique<session::EngineImpl>(
      testConfig(), session::makeDefaultTaskFactory(testConfig()), std::move(fileIo));
  subscribe();
}

EngineSession::EngineSession(const std::function<void(EngineConfig&)>& adjust) {
  EngineConfig config = testConfig();
  adjust(config);
  engine_ = Engine::create(config);
  subscribe();
}

void EngineSession::subscribe() {
  engine_->subscribe(
      [this](const Update& u) {
        std::lock_guard lock(mutex_);
        for (const auto& t : u.tasks) {
          latest_[t.id] = t;
        }
        stats_ = u.stats;
        changed_.notify_all();
      },
      [this](const Event& e) {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
        changed_.notify_all();
      });
}

EngineSession::~EngineSession() {
  engine_.reset();
}

TaskId EngineSession::add(const AddParams& params) {
  auto id = engine_->add(params);
  return id.ok() ? id.value() : kInvalidTaskId;
}

TaskId EngineSession::add(const std::string& url, const QString& dir,
                          std::vector<std::string> mirrors) {
  AddParams params;
  params.source = url;
  params.saveDir = dir.toStdString();
  params.mirrors = std::move(mirrors);
  params.connections = 8;
  return add(params);
}

int EngineSession::eventCount(TaskId id, Event::Kind kind) {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(events_.begin(), events_.end(), [&](const Event& e) {
    return e.task == id && e.kind == kind;
  }));
}

std::optional<Event> EngineSession::waitForEvent(TaskId id,
                                                 std::initializer_list<Event::Kind> kinds,
                                                 std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  std::optional<Event> found;
  changed_.wait_for(lock, deadline, [&] {
    for (const auto& e : events_) {
      if (e.task == id && std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end()) {
        found = e;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<Event> EngineSession::waitForEnd(TaskId id, std::chrono::milliseconds deadline) {
  return waitForEvent(id, {Event::Kind::Completed, Event::Kind::Failed}, deadline);
}

EngineStats EngineSession::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

TaskSnapshot EngineSession::latest(TaskId id) {
  std::lock_guard lock(mutex_);
  return latest_[id];
}

TaskSnapshot EngineSession::settledSnapshot(TaskId id) {
  std::this_thread::sleep_for(150ms);  // three ticks
  return latest(id);
}

QByteArray randomBytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  QByteArray bytes(static_cast<qsizetype>(size), Qt::Uninitialized);
  for (auto& b : bytes) {
    b = static_cast<char>(rng());
  }
  return bytes;
}

QByteArray fileContent(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace tributary::test
