#include "engine/util/Log.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace tributary::util {
namespace {

// A small per-thread number is easier to follow in a log than a pthread id.
unsigned currentThreadNumber() {
  static std::atomic<unsigned> next{1};
  thread_local unsigned number = next.fetch_add(1, std::memory_order_relaxed);
  return number;
}

void formatTime(std::chrono::system_clock::time_point tp, char* out, std::size_t size) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(tp.time_since_epoch()).count() % 1000;
  const std::time_t secs = system_clock::to_time_t(tp);
  std::tm tm{};
#if defined(_WIN32)
  gmtime_s(&tm, &secs);
#else
  gmtime_r(&secs, &tm);
#endif
  std::snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
}

std::string envOrEmpty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

std::string_view logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warning:
      return "WARN";
    case LogLevel::Error:
      return "ERROR";
    case LogLevel::Off:
      return "OFF";
  }
  return "?";
}

Logger& Logger::instance() {
  static Logger logger;
  return logger;
}

Logger::Logger() : writer_([this] { run(); }) {}

Logger::~Logger() {
  {
    LockGuard lock(queueMutex_);
    quit_ = true;
  }
  queueCv_.notifyOne();
  writer_.join();
  LockGuard lock(sinkMutex_);
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
}

bool Logger::configure(LogLevel minLevel, const std::string& filePath, bool toStderr) {
  std::FILE* newFile = nullptr;
  bool ok = true;
  if (!filePath.empty()) {
    std::error_code ec;
    const std::filesystem::path path(filePath);
    if (path.has_parent_path()) {
      std::filesystem::create_directories(path.parent_path(), ec);
    }
    newFile = std::fopen(filePath.c_str(), "a");
    ok = newFile != nullptr;
  }
  flush();  // records queued under the old sinks go to the old sinks
  {
    LockGuard lock(sinkMutex_);
    if (file_ != nullptr) {
      std::fclose(file_);
    }
    file_ = newFile;
    toStderr_ = toStderr;
  }
  minLevel_.store(minLevel, std::memory_order_relaxed);
  return ok;
}

void Logger::write(LogLevel level, std::string_view component, std::string message) {
  if (!enabled(level)) {
    return;
  }
  Record record{std::chrono::system_clock::now(), level, currentThreadNumber(),
                std::string(component), std::move(message)};
  bool wasEmpty = false;
  {
    LockGuard lock(queueMutex_);
    if (queue_.size() >= kMaxQueued) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    wasEmpty = queue_.empty();
    queue_.push_back(std::move(record));
    ++enqueued_;
  }
  if (wasEmpty) {
    queueCv_.notifyOne();
  }
}

void Logger::flush() {
  UniqueLock lock(queueMutex_);
  const std::uint64_t target = enqueued_;
  while (written_ < target) {
    drainedCv_.wait(lock);
  }
}

void Logger::run() {
  std::vector<Record> batch;
  for (;;) {
    std::uint64_t droppedSince = 0;
    {
      UniqueLock lock(queueMutex_);
      while (queue_.empty() && !quit_) {
        queueCv_.wait(lock);
      }
      if (queue_.empty() && quit_) {
        return;
      }
      batch.swap(queue_);
      const std::uint64_t dropped = dropped_.load(std::memory_order_relaxed);
      droppedSince = dropped - droppedReported_;
      droppedReported_ = dropped;
    }
    writeBatch(batch, droppedSince);
    {
      LockGuard lock(queueMutex_);
      written_ += batch.size();
    }
    drainedCv_.notifyAll();
    batch.clear();
  }
}

void Logger::writeBatch(const std::vector<Record>& batch, std::uint64_t droppedSince) {
  std::string text;
  text.reserve(batch.size() * 96);
  char stamp[40];
  for (const Record& r : batch) {
    formatTime(r.time, stamp, sizeof stamp);
    text += stamp;
    text += ' ';
    text += logLevelName(r.level);
    text += " t";
    text += std::to_string(r.thread);
    text += ' ';
    text += r.component;
    text += ": ";
    text += r.message;
    text += '\n';
  }
  if (droppedSince > 0) {
    text += "log: " + std::to_string(droppedSince) + " records dropped (queue full)\n";
  }
  LockGuard lock(sinkMutex_);
  if (file_ != nullptr) {
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fflush(file_);
  }
  if (toStderr_) {
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

std::string defaultLogDirectory() {
#if defined(_WIN32)
  const std::string appData = envOrEmpty("APPDATA");
  return (std::filesystem::path(appData.empty() ? "." : appData) / "Tributary").string();
#elif defined(__APPLE__)
  const std::string home = envOrEmpty("HOME");
  return (std::filesystem::path(home.empty() ? "." : home) / "Library" / "Application Support" /
          "Tributary")
      .string();
#else
  const std::string xdg = envOrEmpty("XDG_DATA_HOME");
  // The XDG spec says a relative value is invalid and must be ignored.
  if (!xdg.empty() && xdg.front() == '/') {
    return (std::filesystem::path(xdg) / "tributary").string();
  }
  const std::string home = envOrEmpty("HOME");
  return (std::filesystem::path(home.empty() ? "." : home) / ".local" / "share" / "tributary")
      .string();
#endif
}

}  // namespace tributary::util
