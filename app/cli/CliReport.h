// How tributary-cli talks back: exit statuses and single lines on stdout and
// stderr. A failure is always exactly one stderr line, so scripts can rely on it.
#pragma once

#include <functional>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Where the lines go; tests swap in their own.
struct CliOutput {
  std::function<void(std::string_view)> json;    // a JSON object, to stdout
  std::function<void(std::string_view)> status;  // a progress or done line, to stderr
  std::function<void(std::string_view)> error;   // the message of "tributary-cli: <message>"
};

// stdout and stderr, flushed line by line because the reader is usually a pipe.
// Line breaks inside an error message become spaces.
const CliOutput& standardOutput();

void printErrorLine(std::string_view message);

// Prints the error line (and with `json` an error object as well); returns kExitFailure.
int reportFailure(const CliOutput& out, const Error& error, bool json, TaskId task = kInvalidTaskId,
                  std::string_view source = {});

}  // namespace tributary::cli
