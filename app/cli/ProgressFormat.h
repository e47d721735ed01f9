// What `get` prints about a task: a human line for stderr and JSON objects for
// stdout (--json). Pure functions of engine/api values, tested alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Types.h"

namespace tributary::cli {

std::string_view taskStateName(TaskState state);
std::string_view sourceKindName(SourceKind kind);

// "512 B", "1.5 MiB": binary units, like the rate suffixes the CLI accepts.
std::string formatBytes(std::uint64_t bytes);
// "1:02:03"; "--" when unknown.
std::string formatDuration(std::optional<std::uint64_t> seconds);

// Tenths of a percent of verified bytes, rounded down so 100% means done;
// nullopt while the size is unknown.
std::optional<unsigned> permille(const TaskSnapshot& task);
std::optional<std::uint64_t> etaSeconds(const TaskSnapshot& task);
// Open connections over every source; peers count when no BT source is listed.
unsigned connectionCount(const TaskSnapshot& task);

// Torrent and magnet tasks: they have peers, an upload side and seeding.
bool isTorrent(const TaskSnapshot& task);

// "name: 42.3% of 1.0 GiB, 1.2 MiB/s, ETA 0:01:23, 8 connections [downloading]"; a torrent:
// "name: 42.3% of 1.0 GiB, down 1.2 MiB/s, up 40.0 KiB/s, ETA 0:01:23, 5 peers (2 seeds)
// [downloading]", with "shared 3.0 GiB" instead of the ETA while seeding.
std::string progressLine(const TaskSnapshot& task);
std::string doneLine(const TaskSnapshot& task);

// One object each, without the newline. `codeName` is errorCodeName(code). Progress
// and done carry "traffic" {bt, http, cdn, shared} for every kind of task, and
// "torrent" (info_hash, pieces...) or null. Progress also carries "loops": each
// engine loop thread's busy fraction over the last second (EngineStats::loopBusy),
// [] until the engine has measured one.
std::string progressJson(const TaskSnapshot& task, const std::vector<double>& loopBusy = {});
std::string doneJson(const TaskSnapshot& task);
std::string errorJson(TaskId task, std::string_view source, std::string_view codeName,
                      std::string_view message);

}  // namespace tributary::cli
