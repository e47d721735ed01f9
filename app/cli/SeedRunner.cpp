// `tributary-cli seed`: one engine, one torrent task over data already in DIR,
// verified first, then seeded (for as long as a task can: the CLI ends the run
// on a signal, not on a timer).
#include <chrono>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"
#include "app/cli/EngineInbox.h"
#include "app/cli/SeedWatch.h"
#include "app/cli/SignalWatcher.h"
#include "app/cli/SwarmRun.h"
#include "engine/api/Engine.h"

namespace tributary::cli {
namespace {

// The longest seed time `get --seed-time` accepts: about 136 years.
constexpr std::chrono::seconds kSeedForever{std::numeric_limits<std::uint32_t>::max()};

AddParams addParams(const SeedCommand& seed) {
  AddParams params;
  params.source = seed.torrentFile;
  params.saveDir = seed.dir;
  params.peers = seed.network.peers;
  params.seedTime = kSeedForever;
  return params;
}

// Seeding from a folder that is not there would only report every piece missing.
Result<void> checkDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error{ErrorCode::FileMissing, dir + " is not a folder"};
  }
  return {};
}

}  // namespace

int runSeed(const SeedCommand& seed) {
  const CliOutput& out = standardOutput();
  auto inbox = std::make_shared<EngineInbox>();
  // Before the engine, so its threads start with SIGINT/SIGTERM blocked.
  SignalWatcher signals([inbox](int signal) { inbox->pushSignal(signal); });

  if (auto found = checkDirectory(seed.dir); !found) {
    return reportFailure(out, found.error(), seed.json, kInvalidTaskId, seed.torrentFile);
  }
  auto engine = Engine::create(swarmEngineConfig(seed.network, seed.quiet));
  if (!engine) {
    return reportFailure(out, Error{ErrorCode::Internal, "the engine did not start"}, seed.json);
  }
  const SubscriptionId subscription =
      engine->subscribe([inbox](const Update& update) { inbox->pushUpdate(update); },
                        [inbox](const Event& event) { inbox->pushEvent(event); });
  auto added = engine->add(addParams(seed));
  int status = kExitOk;
  std::optional<SeedWatch> watch;
  if (!added) {
    status = reportFailure(out, added.error(), seed.json, kInvalidTaskId, seed.torrentFile);
  } else {
    watch.emplace(seed, out, added.value());
    status = watch->run(*inbox);
  }
  engine->unsubscribe(subscription);
  engine.reset();  // says "stopped" to the trackers and closes every peer

  if (watch && watch->signal() != 0 && !watch->verified()) {
    out.error(std::string("interrupted by ") + signalName(watch->signal()) +
              " before the data was verified");
  }
  return status;
}

}  // namespace tributary::cli
