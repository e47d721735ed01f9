// Internal: levelled logging, callable from any thread. write() only appends
// to an in-memory queue under a short lock; one writer thread formats the
// records and does the file and stderr I/O, so no loop ever waits on disk.
// The queue is bounded: past kMaxQueued records new ones are dropped and
// counted, and the writer reports how many were lost.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/util/ThreadAnnotations.h"

namespace tributary::util {

std::string_view logLevelName(LogLevel level);

class Logger {
 public:
  static constexpr std::size_t kMaxQueued = 100000;

  static Logger& instance();

  // filePath "" = no file; its folder is created if missing. Returns false if
  // the file cannot be opened (logging then goes on to stderr only, if asked).
  bool configure(LogLevel minLevel, const std::string& filePath, bool toStderr);
  bool enabled(LogLevel level) const {
    return level != LogLevel::Off && level >= minLevel_.load(std::memory_order_relaxed);
  }
  void write(LogLevel level, std::string_view component, std::string message);
  // Waits until the writer has written (and flushed) everything queued before the call.
  void flush();
  std::uint64_t droppedCount() const { return dropped_.load(std::memory_order_relaxed); }

  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

 private:
  struct Record {
    std::chrono::system_clock::time_point time;
    LogLevel level;
    unsigned thread;
    std::string component;
    std::string message;
  };

  Logger();
  ~Logger();
  void run();
  void writeBatch(const std::vector<Record>& batch, std::uint64_t droppedSince);

  std::atomic<LogLevel> minLevel_{LogLevel::Warning};
  std::atomic<std::uint64_t> dropped_{0};

  Mutex queueMutex_;
  CondVar queueCv_;    // the writer waits here for records
  CondVar drainedCv_;  // flush() waits here for the writer
  std::vector<Record> queue_ GUARDED_BY(queueMutex_);
  std::uint64_t enqueued_ GUARDED_BY(queueMutex_) = 0;
  std::uint64_t written_ GUARDED_BY(queueMutex_) = 0;
  std::uint64_t droppedReported_ GUARDED_BY(queueMutex_) = 0;
  bool quit_ GUARDED_BY(queueMutex_) = false;

  // Held by the writer while it writes a batch, and by configure() to swap sinks.
  Mutex sinkMutex_;
  std::FILE* file_ GUARDED_BY(sinkMutex_) = nullptr;
  bool toStderr_ GUARDED_BY(sinkMutex_) = true;

  std::thread writer_;
};

// The platform's per-user app-data folder for Tributary (not created here).
std::string defaultLogDirectory();

// Collects one record with operator<< and hands it to the Logger when it dies.
class LogLine {
 public:
  LogLine(LogLevel level, std::string_view component) : level_(level), component_(component) {}
  ~LogLine() { Logger::instance().write(level_, component_, std::move(stream_).str()); }
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  template <class T>
  LogLine& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  LogLevel level_;
  std::string_view component_;
  std::ostringstream stream_;
};

}  // namespace tributary::util

// TLOG(Info, "loop") << "started " << name;
// The message is built only when the level is enabled. The if/else shape keeps
// a following `else` bound to the caller's own `if`.
#define TLOG(level, component)                                                        \
  if (!::tributary::util::Logger::instance().enabled(::tributary::LogLevel::level)) { \
  } else                                                                              \
    ::tributary::util::LogLine(::tributary::LogLevel::level, component)
