// A scripted tributary::Engine for GUI tests: it records every command and
// delivers the Updates and Events a test hands it, either on the caller's
// thread or from a std::thread of its own, so tests exercise the same
// cross-thread path the real engine's loop threads take.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/api/Engine.h"

namespace tributary::test {

class FakeEngine final : public Engine {
 public:
  struct Command {
    enum class Kind {
      Add,
      Pause,
      Resume,
      Remove,
      PauseAll,
      ResumeAll,
      GlobalLimits,
      TaskLimits,
      FilePriorities,
      Recheck,
      SetLocation,
      MoveInQueue,
      SetMaxActiveDownloads,
      SetSourcePolicy
    };
    Kind kind = Kind::Add;
    TaskId task = kInvalidTaskId;
    std::string source;                 // Add
    std::string saveDir;                // Add, SetLocation
    AddParams addParams;                // Add: everything add() was given
    bool deleteFiles = false;           // Remove
    std::uint64_t maxDownloadRate = 0;  // GlobalLimits, TaskLimits
    std::uint64_t maxUploadRate = 0;
    std::vector<std::uint8_t> filePriorities;  // FilePriorities
    QueueMove queueMove = QueueMove::Up;       // MoveInQueue
    unsigned maxActiveDownloads = 0;           // SetMaxActiveDownloads
    SourcePolicy sourcePolicy;                 // SetSourcePolicy
  };

  FakeEngine() = default;
  ~FakeEngine() override;

  // Engine. add() accepts any source with a fresh id unless setAddHandler()
  // says otherwise.
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
  void recheck(TaskId id) override;
  void setSourcePolicy(TaskId id, SourcePolicy policy) override;
  void setLocation(TaskId id, std::string saveDir) override;
  void setMaxActiveDownloads(unsigned maxActive) override;
  void moveInQueue(TaskId id, QueueMove move) override;
  SubscriptionId subscribe(UpdateCallback onUpdate, EventCallback onEvent) override;
  void unsubscribe(SubscriptionId id) override;

  void setAddHandler(std::function<Result<TaskId>(const AddParams&)> handler);
  // Called from the destructor with the number of subscriptions still open:
  // an owner that unsubscribes first sees 0.
  void setOnDestroyed(std::function<void(std::size_t subscribers)> hook);

  std::vector<Command> commands() const;
  std::vector<Command> commandsOf(Command::Kind kind) const;
  std::size_t subscriberCount() const;

  // Deliver to every subscriber on the calling thread.
  void deliver(const Update& update);
  void deliver(const Event& event);

  // Run `script` on a new std::thread and join it before returning: the
  // callbacks it triggers run off the caller's thread, and the caller's event
  // loop does not spin meanwhile (which lets tests pile updates up).
  // Returns the id of the thread the script ran on.
  std::thread::id runOnEngineThread(const std::function<void(FakeEngine&)>& script);

 private:
  struct Subscriber {
    UpdateCallback onUpdate;
    EventCallback onEvent;
  };

  void record(Command command);

  mutable std::mutex commandsMutex_;
  std::vector<Command> commands_;
  std::function<Result<TaskId>(const AddParams&)> addHandler_;
  TaskId nextId_ = 1;
  std::function<void(std::size_t)> onDestroyed_;

  // Held while callbacks run, so unsubscribe() waits for a running callback as
  // the real engine promises.
  mutable std::mutex subscribersMutex_;
  std::map<SubscriptionId, Subscriber> subscribers_;
  SubscriptionId nextSubscription_ = 1;
};

// A snapshot with the fields the GUI shows, for scripting updates tersely.
TaskSnapshot makeSnapshot(TaskId id, std::string name, TaskState state = TaskState::Downloading,
                          std::uint64_t totalBytes = 0, std::uint64_t verifiedBytes = 0,
                          std::uint64_t downloadRate = 0);

}  // namespace tributary::test
