// A real engine for interop tests, with everything it pushed kept for the test
// thread: the latest snapshot of each task and every event, and waits on them
// bounded by deadlines.
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/storage/FileIo.h"

namespace tributary::test {

class EngineSession {
 public:
  EngineSession();
  // The same engine with its file I/O replaced (a FaultInjectingFileIo).
  explicit EngineSession(std::shared_ptr<storage::FileIo> fileIo);
  // The test configuration after `adjust` changed it (limits, ...).
  explicit EngineSession(const std::function<void(EngineConfig&)>& adjust);
  // The engine calls into the members below: it goes first.
  ~EngineSession();

  Engine& engine() { return *engine_; }
  // Shuts the engine down now (tasks save their state on the way).
  void stop() { engine_.reset(); }

  // kInvalidTaskId when add() refused.
  TaskId add(const AddParams& params);
  TaskId add(const std::string& url, const QString& dir, std::vector<std::string> mirrors = {});

  // The first event of one of `kinds` about the task, or nullopt after `deadline`.
  std::optional<Event> waitForEvent(TaskId id, std::initializer_list<Event::Kind> kinds,
                                    std::chrono::milliseconds deadline);
  // How many events of `kind` the task has had so far.
  int eventCount(TaskId id, Event::Kind kind);
  std::optional<Event> waitForEnd(TaskId id,
                                  std::chrono::milliseconds deadline = std::chrono::seconds(60));

  template <class Pred>
  bool waitForSnapshot(TaskId id, Pred pred,
                       std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      auto it = latest_.find(id);
      return it != latest_.end() && pred(it->second);
    });
  }

  // The engine-wide figures of the latest update (listen port, rates, ...).
  EngineStats stats();
  template <class Pred>
  bool waitForStats(Pred pred, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return pred(stats_); });
  }

  TaskSnapshot latest(TaskId id);
  // The latest snapshot once a few more ticks have passed.
  TaskSnapshot settledSnapshot(TaskId id);

 private:
  static EngineConfig testConfig();
  void subscribe();

  std::unique_ptr<Engine> engine_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<TaskId, TaskSnapshot> latest_;
  std::vector<Event> events_;
  EngineStats stats_;
};

// Reproducible test payloads and file reads.
QByteArray randomBytes(std::size_t size, unsigned seed);
QByteArray fileContent(const QString& path);

}  // namespace tributary::test
