#include "engine/session/SessionKeeper.h"

#include <algorithm>
#include <span>

#include "engine/bt/MagnetUri.h"
#include "engine/bt/MetadataCache.h"
#include "engine/session/SourceClassifier.h"
#include "engine/storage/AtomicFile.h"
#include "engine/util/Log.h"
#include "engine/util/Sha.h"

namespace tributary::session {
namespace {

std::span<const std::byte> asBytes(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

bool isHttp(const SavedTask& task) {
  const Result<TaskKind> kind = classifySource(task.params.source);
  return kind && kind.value() == TaskKind::Http;
}

// Metainfo files are small; the parser refuses more than this anyway.
constexpr std::size_t kMaxTorrentBytes = 64u << 20;

}  // namespace

SessionKeeper::SessionKeeper(std::string stateDir, std::shared_ptr<storage::FileIo> io,
                             SnapshotHub& hub)
    : stateDir_(std::move(stateDir)),
      io_(std::move(io)),
      hub_(hub),
      marker_(dirtyMarkerPath(), io_) {}

SessionKeeper::~SessionKeeper() = default;

SessionState SessionKeeper::load() {
  hub_.restoreTrafficHistory(readTrafficHistoryFile(*io_, trafficPath()));
  for (const std::string& file : {path(), backupPath()}) {
    Result<std::string> bytes = storage::readSmallFile(*io_, file, kMaxSessionStateBytes);
    if (!bytes) {
      if (bytes.error().code != ErrorCode::FileMissing) {
        TLOG(Warning, "session") << "cannot read " << file << ": " << bytes.error().toString();
      }
      continue;
    }
    Result<SessionState> state = decodeSessionState(bytes.value());
    if (!state) {
      TLOG(Error, "session") << file << " is damaged (" << state.error().detail << ")"
                             << (file == path() ? "; trying the backup" : "");
      continue;
    }
    if (state.value().skipped > 0) {
      TLOG(Warning, "session") << state.value().skipped << " task record(s) in " << file
                               << " made no sense and were left out";
    }
    TLOG(Info, "session") << state.value().tasks.size() << " task(s) from " << file;
    return std::move(state.value());
  }
  return {};
}

Result<std::string> SessionKeeper::keepTorrentFile(const std::string& torrentPath) {
  const std::string dir = torrentsDir();
  if (torrentPath.starts_with(dir + "/")) {
    return torrentPath;
  }
  Result<std::string> bytes = storage::readSmallFile(*io_, torrentPath, kMaxTorrentBytes);
  if (!bytes) {
    return bytes.error();
  }
  // Named by content: the same torrent added twice shares one copy.
  const std::string copy = dir + "/" + util::toHex(util::sha1(bytes.value())) + ".torrent";
  if (io_->stat(copy)) {
    return copy;
  }
  if (Result<void> made = io_->makeDirectories(dir); !made) {
    return made.error();
  }
  if (Result<void> written = storage::replaceFileAtomically(*io_, copy, asBytes(bytes.value()));
      !written) {
    return written.error();
  }
  return copy;
}

void SessionKeeper::taskAdded(TaskId id, SavedTask task) {
  util::LockGuard lock(mutex_);
  const bool paused = task.params.startPaused;
  tasks_[id] = Entry{std::move(task), paused};
  commandsChanged_ = true;
}

void SessionKeeper::taskRemoved(TaskId id) {
  std::string source;
  {
    util::LockGuard lock(mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) {
      return;
    }
    source = it->second.task.params.source;
    tasks_.erase(it);
    commandsChanged_ = true;
    // Our copy of its .torrent (or a magnet's metadata) goes with it, unless
    // another task shares it.
    if (std::any_of(tasks_.begin(), tasks_.end(),
                    [&](const auto& kv) { return kv.second.task.params.source == source; })) {
      return;
    }
  }
  std::string kept;
  if (source.starts_with(torrentsDir() + "/")) {
    kept = source;
  } else if (auto magnet = bt::parseMagnetUri(source)) {
    kept = bt::metadataCachePath(metadataDir(), magnet.value().infoHash);
  } else {
    return;
  }
  if (Result<void> removed = io_->remove(kept); !removed) {
    TLOG(Warning, "session") << "cannot remove " << kept << ": " << removed.error().toString();
  }
}

void SessionKeeper::setPaused(TaskId id, bool paused) {
  util::LockGuard lock(mutex_);
  if (auto it = tasks_.find(id); it != tasks_.end()) {
    it->second.paused = paused;
    commandsChanged_ = true;
  }
}

void SessionKeeper::setAllPaused(bool paused) {
  util::LockGuard lock(mutex_);
  for (auto& [id, entry] : tasks_) {
    entry.paused = paused;
  }
  commandsChanged_ = true;
}

void SessionKeeper::setLimits(TaskId id, std::uint64_t maxDownloadRate,
                              std::uint64_t maxUploadRate) {
  util::LockGuard lock(mutex_);
  if (auto it = tasks_.find(id); it != tasks_.end()) {
    it->second.task.params.maxDownloadRate = maxDownloadRate;
    it->second.task.params.maxUploadRate = maxUploadRate;
    commandsChanged_ = true;
  }
}

void SessionKeeper::setSourcePolicy(TaskId id, const SourcePolicy& policy) {
  util::LockGuard lock(mutex_);
  if (auto it = tasks_.find(id); it != tasks_.end()) {
    it->second.task.params.sourcePolicy = policy;
    commandsChanged_ = true;
  }
}

void SessionKeeper::setSaveDir(TaskId id, const std::string& saveDir) {
  util::LockGuard lock(mutex_);
  if (auto it = tasks_.find(id); it != tasks_.end()) {
    it->second.task.params.saveDir = saveDir;
    commandsChanged_ = true;
  }
}

void SessionKeeper::setFilePriorities(TaskId id, const std::vector<std::uint8_t>& priorities) {
  util::LockGuard lock(mutex_);
  if (auto it = tasks_.find(id); it != tasks_.end()) {
    it->second.task.params.filePriorities = priorities;
    commandsChanged_ = true;
  }
}

std::string SessionKeeper::signature(const std::map<TaskId, SnapshotHub::Brief>& briefs) {
  std::string out;
  util::LockGuard lock(mutex_);
  if (std::exchange(commandsChanged_, false)) {
    out += 'c';  // never equal to the last saved one
  }
  for (const auto& [id, entry] : tasks_) {
    out += std::to_string(id);
    if (auto it = briefs.find(id); it != briefs.end()) {
      const TaskState state = it->second.state;
      out += ':' + std::to_string(it->second.queuePosition) +
             (state == TaskState::Paused ? "p" : "r") + (state == TaskState::Completed ? "f" : "");
    } else {
      out += entry.paused ? "p" : "r";
    }
    out += ';';
  }
  return out;
}

SessionState SessionKeeper::current(const std::map<TaskId, SnapshotHub::Brief>& briefs) {
  struct Row {
    std::uint32_t queuePosition = 0;
    TaskId id = 0;
    SavedTask task;
  };
  std::vector<Row> rows;
  {
    util::LockGuard lock(mutex_);
    rows.reserve(tasks_.size());
    for (const auto& [id, entry] : tasks_) {
      Row row{0, id, entry.task};
      row.task.params.startPaused = entry.paused;
      if (auto it = briefs.find(id); it != briefs.end()) {
        const SnapshotHub::Brief& brief = it->second;
        // What the task says beats the last command: it may have paused itself.
        row.task.params.startPaused = brief.state == TaskState::Paused;
        // Seeding is not finished: it seeds on after a restart.
        row.task.finished = brief.state == TaskState::Completed;
        if (row.task.finished && isHttp(row.task)) {
          row.task.fileName = brief.name;
          row.task.totalBytes = brief.totalBytes;
        } else if (brief.state == TaskState::Failed && entry.task.finished &&
                   !entry.task.fileName.empty()) {
          // A finished HTTP task whose file went missing stays finished: the
          // next run shows it missing again rather than downloading it anew.
          row.task.finished = true;
        }
        row.task.traffic = brief.traffic;
        if (brief.addedAtUnix != 0) {
          row.task.addedAtUnix = brief.addedAtUnix;
        }
        row.queuePosition = brief.queuePosition;
      }
      rows.push_back(std::move(row));
    }
  }
  // Queue order first (0 = finished: no place, after the others), then the
  // order they were added in.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    const std::uint32_t qa = a.queuePosition == 0 ? UINT32_MAX : a.queuePosition;
    const std::uint32_t qb = b.queuePosition == 0 ? UINT32_MAX : b.queuePosition;
    return qa != qb ? qa < qb : a.id < b.id;
  });
  SessionState state;
  state.tasks.reserve(rows.size());
  for (Row& row : rows) {
    state.tasks.push_back(std::move(row.task));
  }
  return state;
}

void SessionKeeper::start(loop::EventLoop& loop, loop::WorkerPool& workers) {
  loop_ = &loop;
  if (Result<void> made = io_->makeDirectories(stateDir_); !made) {
    TLOG(Error, "session") << "cannot make " << stateDir_ << ": " << made.error().toString()
                           << "; the task list will not be kept";
    return;
  }
  writer_ = std::make_unique<storage::StateFileWriter>(loop, workers, io_, path());
  backupWriter_ = std::make_unique<storage::StateFileWriter>(loop, workers, io_, backupPath());
  trafficWriter_ = std::make_unique<storage::StateFileWriter>(loop, workers, io_, trafficPath());
  lastTrafficSaveMs_ = loop.nowMs();
  marker_.write(loop, workers);
  timer_ = std::make_unique<loop::Timer>(loop);
  lastSaveMs_ = loop.nowMs();
  timer_->start(kTick, kTick, [this] { onTick(); });
}

void SessionKeeper::stop() {
  timer_.reset();
  marker_.stop();
  writer_.reset();
  backupWriter_.reset();
  trafficWriter_.reset();
}

void SessionKeeper::onTick() {
  const std::uint64_t now = loop_->nowMs();
  saveTrafficIfDue(now);
  if (now - lastSaveMs_ < static_cast<std::uint64_t>(kMinInterval.count())) {
    return;
  }
  // Cheap first (no task's params copied): whether anything worth a save changed.
  const std::map<TaskId, SnapshotHub::Brief> briefs = hub_.briefs();
  std::string signatureNow = signature(briefs);
  std::uint64_t traffic = 0;
  for (const auto& [id, brief] : briefs) {
    traffic += brief.traffic.downloaded() + brief.traffic.shared;
  }
  const bool changed = signatureNow != lastSignature_;
  const bool moreTraffic =
      traffic != lastTraffic_ &&
      now - lastSaveMs_ >= static_cast<std::uint64_t>(kTrafficInterval.count());
  if (!changed && !moreTraffic) {
    return;
  }
  const SessionState state = current(briefs);
  lastSignature_ = std::move(signatureNow);
  lastTraffic_ = traffic;
  lastSaveMs_ = now;
  std::string bytes = encodeSessionState(state);
  if (++saves_ % kBackupEvery == 0) {
    backupWriter_->save(bytes);
  }
  writer_->save(std::move(bytes), [file = path()](Result<void> written) {
    if (!written) {
      TLOG(Error, "session") << "cannot save " << file << ": " << written.error().toString();
    }
  });
}

void SessionKeeper::saveTrafficIfDue(std::uint64_t nowMs) {
  if (nowMs - lastTrafficSaveMs_ < static_cast<std::uint64_t>(kTrafficInterval.count())) {
    return;
  }
  lastTrafficSaveMs_ = nowMs;
  const TrafficHistory history = hub_.trafficHistory();
  if (history.total() == savedTraffic_) {
    return;
  }
  savedTraffic_ = history.total();
  trafficWriter_->save(history.encode(), [file = trafficPath()](Result<void> written) {
    if (!written) {
      TLOG(Error, "session") << "cannot save " << file << ": " << written.error().toString();
    }
  });
}

void SessionKeeper::saveNow() {
  if (Result<void> made = io_->makeDirectories(stateDir_); !made) {
    return;  // start() said so already
  }
  const std::string bytes = encodeSessionState(current(hub_.briefs()));
  for (const std::string& file : {path(), backupPath()}) {
    if (Result<void> written = storage::replaceFileAtomically(*io_, file, asBytes(bytes));
        !written) {
      TLOG(Error, "session") << "cannot save " << file << ": " << written.error().toString();
    }
  }
  const std::string traffic = hub_.trafficHistory().encode();
  if (Result<void> written = storage::replaceFileAtomically(*io_, trafficPath(), asBytes(traffic));
      !written) {
    TLOG(Error, "session") << "cannot save " << trafficPath() << ": " << written.error().toString();
  }
}

}  // namespace tributary::session
