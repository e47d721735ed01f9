// Internal: keeps the task list on disk (EngineConfig::stateDir) so a restart
// brings every task back: what each was added with (as changed since: limits,
// file priorities), paused or not, its place in the queue, when it was added
// and the traffic it had.
//
// The engine tells it of every command (any thread, under its mutex); a timer
// on loop 0 saves when something changed: at once for a command or a task
// changing state or place (at most every kMinInterval), and every
// kTrafficInterval while only the traffic grows. The save itself is atomic
// (storage::StateFileWriter on the worker pool). A backup copy, written every
// kBackupEvery saves and at exit, is what load() falls back on if the main
// file is damaged. At exit the engine calls saveNow() once the loops are
// stopped: the last word is written synchronously. It also holds the dirty
// marker (DirtyMarker.h): written at start, removed after a clean exit.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/loop/WorkerPool.h"
#include "engine/session/DirtyMarker.h"
#include "engine/session/SessionState.h"
#include "engine/session/SnapshotHub.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/StateFileWriter.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::session {

class SessionKeeper {
 public:
  SessionKeeper(std::string stateDir, std::shared_ptr<storage::FileIo> io, SnapshotHub& hub);
  ~SessionKeeper();
  SessionKeeper(const SessionKeeper&) = delete;
  SessionKeeper& operator=(const SessionKeeper&) = delete;

  // The saved list (main file, else the backup), on the caller's thread. An
  // unreadable or damaged file is logged and gives what the backup has, or
  // nothing: the engine starts either way.
  SessionState load();

  // Caller's thread (blocking): a copy of a .torrent file in the state
  // folder, so the task survives the user deleting or replacing the original;
  // the copy's path, or why there is none. A path already in there is kept.
  Result<std::string> keepTorrentFile(const std::string& torrentPath);

  // Any thread.
  void taskAdded(TaskId id, SavedTask task);
  void taskRemoved(TaskId id);
  void setPaused(TaskId id, bool paused);
  void setAllPaused(bool paused);
  void setLimits(TaskId id, std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate);
  void setSourcePolicy(TaskId id, const SourcePolicy& policy);
  void setFilePriorities(TaskId id, const std::vector<std::uint8_t>& priorities);
  void setSaveDir(TaskId id, const std::string& saveDir);

  // On `loop`'s thread: the save timer, and the writers (stop() in its shutdown hook).
  void start(loop::EventLoop& loop, loop::WorkerPool& workers);
  void stop();
  // Caller's thread, with no save running (the loops are stopped): writes the
  // current list and its backup now.
  void saveNow();
  // Whether the previous run on this folder ended without its final save
  // (DirtyMarker.h): its restored tasks then verify what they wrote since.
  bool previousRunUnclean() const { return marker_.foundAtStart(); }
  // Caller's thread, after saveNow() and once the worker pool is stopped: the
  // tasks saved their state, so the next start need not verify anything.
  void markCleanExit() { marker_.remove(); }

  static constexpr std::chrono::milliseconds kTick{1000};
  static constexpr std::chrono::milliseconds kMinInterval{2000};
  static constexpr std::chrono::milliseconds kTrafficInterval{30000};
  static constexpr unsigned kBackupEvery = 10;

  std::string path() const { return stateDir_ + "/session.state"; }
  std::string backupPath() const { return stateDir_ + "/session.state.bak"; }
  std::string torrentsDir() const { return stateDir_ + "/torrents"; }
  // The traffic history (TrafficHistory.h): read by load(), saved every
  // kTrafficInterval while traffic moves, and by saveNow().
  std::string trafficPath() const { return stateDir_ + "/traffic.state"; }
  // Magnets' fetched metadata (BtShared::metadataDir, bt/MetadataCache.h).
  std::string metadataDir() const { return metadataDirOf(stateDir_); }
  std::string dirtyMarkerPath() const { return stateDir_ + "/engine.dirty"; }
  static std::string metadataDirOf(const std::string& stateDir) { return stateDir + "/metadata"; }

 private:
  struct Entry {
    SavedTask task;
    bool paused = false;  // by the last command (the snapshot's state wins once there)
  };
  // What decides "something changed", without copying any task's params: a
  // command since the last call (consumed), and per task whether it is
  // paused or finished and its queue place.
  std::string signature(const std::map<TaskId, SnapshotHub::Brief>& briefs);
  // The list to save, in queue order.
  SessionState current(const std::map<TaskId, SnapshotHub::Brief>& briefs);
  void onTick();
  void saveTrafficIfDue(std::uint64_t nowMs);

  std::string stateDir_;
  std::shared_ptr<storage::FileIo> io_;
  SnapshotHub& hub_;
  DirtyMarker marker_;

  mutable util::Mutex mutex_;
  std::map<TaskId, Entry> tasks_ GUARDED_BY(mutex_);
  bool commandsChanged_ GUARDED_BY(mutex_) = false;

  // Loop 0 only.
  loop::EventLoop* loop_ = nullptr;
  std::unique_ptr<loop::Timer> timer_;
  std::unique_ptr<storage::StateFileWriter> writer_;
  std::unique_ptr<storage::StateFileWriter> backupWriter_;
  std::string lastSignature_;
  std::uint64_t lastTraffic_ = 0;
  std::uint64_t lastSaveMs_ = 0;
  unsigned saves_ = 0;
  std::unique_ptr<storage::StateFileWriter> trafficWriter_;
  TrafficCounters savedTraffic_;
  std::uint64_t lastTrafficSaveMs_ = 0;
};

}  // namespace tributary::session
