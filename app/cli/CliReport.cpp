#include "app/cli/CliReport.h"

#include <cstdio>
#include <string>

#include "app/cli/ProgressFormat.h"

namespace tributary::cli {
namespace {

void writeLine(std::FILE* stream, std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fputc('\n', stream);
  std::fflush(stream);
}

}  // namespace

void printErrorLine(std::string_view message) {
  std::string line = "tributary-cli: ";
  for (const char c : message) {
    line += (c == '\n' || c == '\r') ? ' ' : c;
  }
  writeLine(stderr, line);
}

const CliOutput& standardOutput() {
  static const CliOutput output{
      [](std::string_view json) { writeLine(stdout, json); },
      [](std::string_view line) { writeLine(stderr, line); },
      [](std::string_view message) { printErrorLine(message); },
  };
  return output;
}

int reportFailure(const CliOutput& out, const Error& error, bool json, TaskId task,
                  std::string_view source) {
  if (json) {
    out.json(errorJson(task, source, errorCodeName(error.code), error.detail));
  }
  out.error(error.toString());
  return kExitFailure;
}

}  // namespace tributary::cli
