// Internal: the engine's task list as it is kept across restarts (EngineConfig::
// stateDir), and its file format. What comes back on start: every task's
// sources (with AddParams::alsoFrom, the origin URL of a torrent), folder, limits, file priorities,
// whether it was paused, its place in the queue (the list's order), when it was added, and the
// traffic it had.
//
// The file is bencode between a header line and a checksum line
// (storage/SealedFile.h):
//
//   tributary-session 1
//   d5:tasksld...ee1:vi1ee
//   crc32 1c291ca3          (CRC-32 of every byte before this line)
//
// It is read as hostile input: truncated by a crash on a file system that
// does not keep renames ordered, damaged on disk, or edited. A bad checksum,
// a newer version or broken bencode refuses the whole file (the caller then
// tries the previous generation); a single task record that makes no sense
// (no source) is skipped and the rest load.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::session {

inline constexpr unsigned kSessionStateVersion = 1;
// A state file above this is not read into memory (100,000 tasks take ~30 MB).
inline constexpr std::size_t kMaxSessionStateBytes = 64u << 20;
inline constexpr std::size_t kMaxSavedTasks = 200'000;

struct SavedTask {
  AddParams params;  // params.startPaused: the task was paused
  std::int64_t addedAtUnix = 0;
  TrafficCounters traffic;  // everything it had moved, restarts included
  bool finished = false;    // Completed (not seeding) when saved
  // A finished HTTP task's file: its name in params.saveDir (which may not be
  // the URL's: Content-Disposition, "NAME (1).ext") and size, so that it comes
  // back finished instead of downloading a second copy. "" and 0 otherwise.
  std::string fileName;
  std::uint64_t totalBytes = 0;

  friend bool operator==(const SavedTask&, const SavedTask&) = default;
};

struct SessionState {
  std::vector<SavedTask> tasks;  // in queue order
  std::size_t skipped = 0;       // decode only: records that made no sense

  friend bool operator==(const SessionState&, const SessionState&) = default;
};

std::string encodeSessionState(const SessionState& state);
Result<SessionState> decodeSessionState(std::string_view bytes);

}  // namespace tributary::session
