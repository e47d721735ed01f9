// Internal: the download queue's order and admission as pure logic (no
// threads, no loops), so it is tested alone; QueueRunner applies its verdicts
// to the tasks. Semantics (engine/api/Engine.h, setMaxActiveDownloads): at
// most `maxActive` tasks that want to download hold a slot; a slot that frees
// goes to the first waiting task in queue order; nobody is pushed out of a
// slot except by a lower limit, which queues the active tasks furthest down.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/api/Types.h"

namespace tributary::session {

class DownloadQueue {
 public:
  // What one task should be doing, as of the last reconcile().
  struct Mark {
    std::uint32_t position = 0;  // 1-based among unfinished tasks; 0 = finished
    bool run = false;            // started (or resumed); false = paused or held back
    bool queued = false;         // held back by the limit: show TaskState::Queued
    bool operator==(const Mark&) const = default;
  };
  struct Change {
    TaskId id = kInvalidTaskId;
    Mark mark;
    // The user resumed it: resume it even if it already runs (a failed task
    // retries), once it may run.
    bool kick = false;
  };

  explicit DownloadQueue(unsigned maxActive) : maxActive_(maxActive) {}

  // At the bottom of the queue. `paused`: added paused, so it waits for a resume.
  void add(TaskId id, bool paused);
  // add() in two steps, for a task made on its loop after add() answered: it
  // takes its place (and a slot) at once, but its verdicts wait for created().
  void reserve(TaskId id, bool paused);
  bool created(TaskId id);
  // Each returns false for an unknown id.
  bool remove(TaskId id);
  bool pause(TaskId id);
  // Also clears a failure, so a failed task gets a slot to retry in.
  bool resume(TaskId id);
  void pauseAll();
  void resumeAll();
  // The state the task itself reports (never the Queued we show for it):
  // Seeding and Completed free its slot and its place, Failed frees its slot,
  // Downloading, Checking and FetchingMetadata make it want a slot again (a
  // finished task that does so goes to the bottom, as in qBittorrent).
  void observe(TaskId id, TaskState state);
  void setMaxActive(unsigned maxActive);
  bool move(TaskId id, QueueMove move);

  // Recomputes who holds a slot and every mark; returns the tasks whose mark
  // changed or that were resumed since the last call, in queue order.
  std::vector<Change> reconcile();

  std::optional<Mark> mark(TaskId id) const;
  unsigned maxActive() const { return maxActive_; }
  std::size_t size() const { return order_.size(); }

 private:
  struct Entry {
    bool paused = false;
    bool finished = false;
    bool failed = false;
    bool active = false;  // holds a slot
    bool kick = false;
    bool created = true;    // its task exists: verdicts may go out
    bool reported = false;  // its mark went out at least once
    Mark mark;
    bool wanting() const { return !paused && !finished && !failed; }
  };
  Entry* find(TaskId id);
  std::size_t indexOf(TaskId id) const;
  void toBottom(TaskId id);
  void admit();

  unsigned maxActive_;  // 0 = no limit
  std::vector<TaskId> order_;
  std::unordered_map<TaskId, Entry> entries_;
};

}  // namespace tributary::session
