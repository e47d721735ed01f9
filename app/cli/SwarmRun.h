// What `get` and `seed` share around the engine: its configuration from the
// command line, the peers to dial, and the words for how a run ended.
#pragma once

#include <string>

#include "app/cli/CliArgs.h"
#include "engine/api/Engine.h"

namespace tributary::cli {

// The CLI's limits cap the whole run, so they are the engine's global limits.
EngineConfig swarmEngineConfig(const NetworkOptions& network, bool quiet);

// Creates the folder and its parents.
Result<void> makeDirectory(const std::string& dir);

// "SIGINT" or "SIGTERM".
const char* signalName(int signal);

}  // namespace tributary::cli
