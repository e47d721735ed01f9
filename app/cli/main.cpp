// tributary-cli: parse, then hand over to one command. No Qt here: the CLI runs
// on servers without it, on the engine API alone.
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/cli/CliArgs.h"
#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"

namespace {

using namespace tributary::cli;

int printToStdout(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

struct Dispatch {
  int operator()(const HelpCommand& help) const { return printToStdout(usageText(help.topic)); }
  int operator()(const VersionCommand&) const {
    return printToStdout("tributary-cli " + std::string(cliVersion()) + "\n");
  }
  int operator()(const GetCommand& get) const { return runGet(get); }
  int operator()(const SeedCommand& seed) const { return runSeed(seed); }
  int operator()(const CreateCommand& create) const { return runCreate(create); }
};

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto command = parseCli(args);
  if (!command) {
    printErrorLine(command.error().detail);
    return kExitUsage;
  }
  return std::visit(Dispatch{}, command.value());
}
