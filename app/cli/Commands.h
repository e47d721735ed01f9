// The commands of tributary-cli, one file each. Each returns the exit status
// and has printed its one-line error already when it fails.
#pragma once

#include "app/cli/CliArgs.h"

namespace tributary::cli {

int runGet(const GetCommand& get);
int runSeed(const SeedCommand& seed);
int runCreate(const CreateCommand& create);

}  // namespace tributary::cli
