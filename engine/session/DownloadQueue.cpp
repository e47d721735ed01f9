#include "engine/session/DownloadQueue.h"

#include <algorithm>

namespace tributary::session {

DownloadQueue::Entry* DownloadQueue::find(TaskId id) {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

std::size_t DownloadQueue::indexOf(TaskId id) const {
  return static_cast<std::size_t>(std::find(order_.begin(), order_.end(), id) - order_.begin());
}

void DownloadQueue::toBottom(TaskId id) {
  order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(indexOf(id)));
  order_.push_back(id);
}

void DownloadQueue::add(TaskId id, bool paused) {
  reserve(id, paused);
  created(id);
}

void DownloadQueue::reserve(TaskId id, bool paused) {
  if (entries_.contains(id)) {
    return;
  }
  Entry& entry = entries_[id];
  entry.paused = paused;
  entry.created = false;
  order_.push_back(id);
}

bool DownloadQueue::created(TaskId id) {
  Entry* entry = find(id);
  if (entry == nullptr) {
    return false;
  }
  entry->created = true;
  return true;
}

bool DownloadQueue::remove(TaskId id) {
  if (entries_.erase(id) == 0) {
    return false;
  }
  order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(indexOf(id)));
  return true;
}

bool DownloadQueue::pause(TaskId id) {
  Entry* entry = find(id);
  if (entry == nullptr) {
    return false;
  }
  entry->paused = true;
  return true;
}

bool DownloadQueue::resume(TaskId id) {
  Entry* entry = find(id);
  if (entry == nullptr) {
    return false;
  }
  entry->paused = false;
  entry->failed = false;
  entry->kick = true;
  return true;
}

void DownloadQueue::pauseAll() {
  for (auto& [id, entry] : entries_) {
    entry.paused = true;
  }
}

void DownloadQueue::resumeAll() {
  for (auto& [id, entry] : entries_) {
    entry.paused = false;
    entry.failed = false;
    entry.kick = true;
  }
}

void DownloadQueue::observe(TaskId id, TaskState state) {
  Entry* entry = find(id);
  if (entry == nullptr) {
    return;
  }
  switch (state) {
    case TaskState::Seeding:
    case TaskState::Completed:
      entry->finished = true;
      entry->failed = false;
      break;
    case TaskState::Failed:
      entry->failed = true;
      break;
    case TaskState::Downloading:
    case TaskState::Checking:
    case TaskState::FetchingMetadata:
      if (entry->finished) {
        entry->finished = false;
        toBottom(id);
      }
      entry->failed = false;
      break;
    case TaskState::Paused:
    case TaskState::Queued:
      break;  // says nothing about the data: a pause or a task not started yet
  }
}

void DownloadQueue::setMaxActive(unsigned maxActive) {
  maxActive_ = maxActive;
}

bool DownloadQueue::move(TaskId id, QueueMove move) {
  Entry* entry = find(id);
  if (entry == nullptr || entry->finished) {
    return false;
  }
  const std::size_t at = indexOf(id);
  // Finished tasks have no place, so Up and Down step over them.
  auto unfinished = [this](TaskId other) { return !entries_.at(other).finished; };
  switch (move) {
    case QueueMove::Up: {
      const auto before = std::find_if(order_.rbegin() + static_cast<std::ptrdiff_t>(size() - at),
                                       order_.rend(), unfinished);
      if (before == order_.rend()) {
        return false;
      }
      std::swap(order_[at], *before);
      return true;
    }
    case QueueMove::Down: {
      const auto after = std::find_if(order_.begin() + static_cast<std::ptrdiff_t>(at) + 1,
                                      order_.end(), unfinished);
      if (after == order_.end()) {
        return false;
      }
      std::swap(order_[at], *after);
      return true;
    }
    case QueueMove::Top:
      if (at == 0) {
        return false;
      }
      std::rotate(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(at),
                  order_.begin() + static_cast<std::ptrdiff_t>(at) + 1);
      return true;
    case QueueMove::Bottom:
      if (at + 1 == size()) {
        return false;
      }
      toBottom(id);
      return true;
  }
  return false;
}

void DownloadQueue::admit() {
  std::size_t active = 0;
  for (TaskId id : order_) {
    Entry& entry = entries_.at(id);
    entry.active = entry.active && entry.wanting();  // a slot left by pause, finish, failure
    active += entry.active ? 1 : 0;
  }
  // A lower limit: the active tasks furthest down the queue wait again.
  for (auto it = order_.rbegin(); maxActive_ != 0 && active > maxActive_ && it != order_.rend();
       ++it) {
    Entry& entry = entries_.at(*it);
    if (entry.active) {
      entry.active = false;
      --active;
    }
  }
  // Free slots go to the waiting tasks nearest the top.
  for (auto it = order_.begin(); (maxActive_ == 0 || active < maxActive_) && it != order_.end();
       ++it) {
    Entry& entry = entries_.at(*it);
    if (entry.wanting() && !entry.active) {
      entry.active = true;
      ++active;
    }
  }
}

std::vector<DownloadQueue::Change> DownloadQueue::reconcile() {
  admit();
  std::vector<Change> changes;
  std::uint32_t position = 0;
  for (TaskId id : order_) {
    Entry& entry = entries_.at(id);
    Mark mark;
    mark.position = entry.finished ? 0 : ++position;
    mark.queued = entry.wanting() && !entry.active;
    // Finished and failed tasks are not the queue's to hold: a seeding task
    // keeps seeding, a failed one stays as it is until resumed.
    mark.run = !entry.paused && !mark.queued;
    if (!entry.created) {
      continue;  // its place and slot count; its verdict waits for its task
    }
    if (mark != entry.mark || entry.kick || !entry.reported) {
      changes.push_back(Change{id, mark, entry.kick});
      entry.mark = mark;
      entry.kick = false;
      entry.reported = true;
    }
  }
  return changes;
}

std::optional<DownloadQueue::Mark> DownloadQueue::mark(TaskId id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second.mark;
}

}  // namespace tributary::session
