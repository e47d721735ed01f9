// tributary-soak: constant churn against one engine in this process, for
// bench/soak/run.sh, which samples this process's RSS. Tasks are added
// (HTTP and one torrent at a time), paused, resumed and removed with their
// files at random moments, finished ones removed, and the engine destroyed
// and created again every --restart-every seconds on the same state folder,
// so the tasks come back from the saved session each time.
//
//   tributary-soak --dir DIR --http URL --torrent FILE --peer IP:PORT
//                  [--seconds 600] [--restart-every 30] [--seed N]
//
// Prints one line of counters per engine run to stderr; exits 0 when the
// time is up, 2 on bad arguments, 1 if the engine could not be used.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/api/Engine.h"

using namespace tributary;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string dir;
  std::string http;
  std::string torrent;
  std::string peer;
  int seconds = 600;
  int restartEvery = 30;
  unsigned seed = 1;
};

struct Counters {
  long adds = 0;
  long pauses = 0;
  long resumes = 0;
  long removes = 0;
  long finished = 0;
  long restarts = 0;
  long failed = 0;
};

constexpr std::size_t kMaxHttpTasks = 3;
// Enough to keep every task moving without taking the machine's two cores
// from whoever else runs on it.
constexpr std::uint64_t kEngineRate = 6 * 1024 * 1024;

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--dir") {
      o.dir = value;
    } else if (key == "--http") {
      o.http = value;
    } else if (key == "--torrent") {
      o.torrent = value;
    } else if (key == "--peer") {
      o.peer = value;
    } else if (key == "--seconds") {
      o.seconds = std::atoi(value.c_str());
    } else if (key == "--restart-every") {
      o.restartEvery = std::atoi(value.c_str());
    } else if (key == "--seed") {
      o.seed = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !o.dir.empty() && !o.http.empty() && !o.torrent.empty() &&
         !o.peer.empty() && o.seconds > 0 && o.restartEvery > 0;
}

// What the engine last said about each task, fed by its callbacks.
class TaskBook {
 public:
  void apply(const Update& u) {
    std::lock_guard lock(mutex_);
    if (u.full) {
      tasks_.clear();
    }
    for (const auto& t : u.tasks) {
      tasks_[t.id] = {t.kind, t.state};
    }
    for (TaskId id : u.removed) {
      tasks_.erase(id);
    }
  }
  void onEvent(const Event& e, Counters& counters) {
    std::lock_guard lock(mutex_);
    if (e.kind == Event::Kind::Completed) {
      ++counters.finished;
    } else if (e.kind == Event::Kind::Failed) {
      ++counters.failed;
    }
  }
  struct Entry {
    TaskKind kind;
    TaskState state;
  };
  std::map<TaskId, Entry> copy() {
    std::lock_guard lock(mutex_);
    return tasks_;
  }
  void forget(TaskId id) {
    std::lock_guard lock(mutex_);
    tasks_.erase(id);
  }

 private:
  std::mutex mutex_;
  std::map<TaskId, Entry> tasks_;
};

EngineConfig configFor(const Options& o) {
  EngineConfig config;
  config.loopThreads = 2;
  config.workerThreads = 2;
  config.tick = std::chrono::milliseconds(100);
  config.enableDht = config.enablePex = config.enableLsd = config.enableUtp = false;
  config.maxDownloadRate = kEngineRate;
  config.stateDir = o.dir + "/state";
  config.logLevel = LogLevel::Error;
  config.logToStderr = true;
  return config;
}

// One engine run: churn until `until`, then the engine is destroyed.
void runEngine(const Options& o, Clock::time_point until, std::mt19937& rng, Counters& counters,
               long& serial) {
  TaskBook book;
  auto engine = Engine::create(configFor(o));
  engine->subscribe([&book](const Update& u) { book.apply(u); },
                    [&book, &counters](const Event& e) { book.onEvent(e, counters); });
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 200));
    const auto tasks = book.copy();
    std::vector<TaskId> ids;
    std::size_t http = 0;
    bool torrent = false;
    for (const auto& [id, entry] : tasks) {
      if (entry.state == TaskState::Completed || entry.state == TaskState::Seeding ||
          entry.state == TaskState::Failed) {
        engine->remove(id, true);  // done: make room for the next
        book.forget(id);
        ++counters.removes;
        continue;
      }
      ids.push_back(id);
      if (entry.kind == TaskKind::Http) {
        ++http;
      } else {
        torrent = true;
      }
    }
    // Mostly pauses and resumes; a task lives ~30 s on average, long enough
    // to finish now and then.
    const unsigned action = rng() % 40;
    if (action < 4 && http < kMaxHttpTasks) {
      AddParams params;
      params.source = o.http;
      params.saveDir = o.dir + "/h" + std::to_string(++serial);
      params.connections = 1 + rng() % 8;
      counters.adds += engine->add(params).ok() ? 1 : 0;
    } else if (action < 6 && !torrent) {
      AddParams params;
      params.source = o.torrent;
      params.saveDir = o.dir + "/t" + std::to_string(++serial);
      params.peers = {o.peer};
      counters.adds += engine->add(params).ok() ? 1 : 0;
    } else if (action >= 6 && action < 35 && !ids.empty()) {
      const TaskId id = ids[rng() % ids.size()];
      if (action < 18) {
        engine->pause(id);
        ++counters.pauses;
      } else if (action < 34) {
        engine->resume(id);
        ++counters.resumes;
      } else {
        engine->remove(id, true);
        book.forget(id);
        ++counters.removes;
      }
    }
  }
  engine.reset();
  ++counters.restarts;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: tributary-soak --dir DIR --http URL --torrent FILE --peer IP:PORT "
                 "[--seconds N] [--restart-every N] [--seed N]\n");
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.dir, ec);
  std::mt19937 rng(o.seed);
  Counters counters;
  long serial = 0;
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(o.seconds);
  while (Clock::now() < end) {
    const auto until = std::min(end, Clock::now() + std::chrono::seconds(o.restartEvery));
    runEngine(o, until, rng, counters, serial);
    const long elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
    std::fprintf(stderr,
                 "soak %lds: runs %ld adds %ld pauses %ld resumes %ld removes %ld "
                 "finished %ld failed %ld\n",
                 elapsed, counters.restarts, counters.adds, counters.pauses, counters.resumes,
                 counters.removes, counters.finished, counters.failed);
  }
  return 0;
}
