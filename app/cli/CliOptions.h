// Internal: the option table and the generic walk over one command's arguments
// (long "--name value" / "--name=value", short "-x value" / "-xvalue", "--" ends
// options). What each option means is applied by CliArgs.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"

namespace tributary::cli {

enum class OptionId : std::uint8_t {
  Dir,
  Connections,
  Mirror,
  CaCert,
  Checksum,
  MaxDownloadRate,
  MaxUploadRate,
  ListenPort,
  SeedTime,
  NoDht,
  NoPex,
  NoLsd,
  NoUtp,
  OsCache,
  DhtBootstrap,
  Json,
  Quiet,
  Output,
  Tracker,
  WebSeed,
  PieceSize,
  UserAgent,
  Referer,
  Peer,
  Comment,
  Private,
  MaxPeers,
  MaxConnections,
  MaxActiveDownloads,
  Encryption,
  Torrent,
  Origin,
  Prefer,
  CdnCap,
};

struct OptionUse {
  OptionId id;
  std::string_view name;   // "--dir", for error messages
  std::string_view value;  // empty for a flag
};

struct CommandArgs {
  bool help = false;  // -h or --help was given: nothing else is checked
  std::vector<OptionUse> options;
  std::vector<std::string_view> positionals;
};

// Refuses unknown options, missing or unexpected values, and a single-valued
// option given twice. `command` prefixes the errors that name no option.
Result<CommandArgs> splitCommandArgs(std::string_view command,
                                     std::span<const std::string_view> args,
                                     std::span<const OptionId> allowed);

}  // namespace tributary::cli
