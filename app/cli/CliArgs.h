// The command line of tributary-cli (DESIGN.md, "The command-line client") as
// values. Parsing is pure (no I/O, no Qt, no engine) so it is tested alone and
// the executable only dispatches on the result.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::cli {

// What a SOURCE looks like; decided by syntax alone (the engine checks the rest).
enum class SourceType : std::uint8_t { HttpUrl, Magnet, TorrentFile };

struct CliSource {
  std::string text;
  SourceType type = SourceType::HttpUrl;
};

struct HostPort {
  std::string host;  // without the brackets of an IPv6 literal
  std::uint16_t port = 0;
  bool operator==(const HostPort&) const = default;
};

// Options shared by every command that runs a swarm (get, seed).
struct NetworkOptions {
  std::uint64_t maxDownloadRate = 0;  // bytes/s, 0 = unlimited
  std::uint64_t maxUploadRate = 0;
  std::uint16_t listenPort = 0;  // 0 = pick one
  bool dht = true;
  bool pex = true;
  bool lsd = true;
  bool utp = true;
  // --os-cache: torrent pieces go through the OS page cache
  // (EngineConfig::bypassOsCacheForPieces off).
  bool osCache = false;
  std::vector<HostPort> dhtBootstrap;
  // BitTorrent peers to dial, "IP:port" or "[v6]:port" (AddParams::peers): the
  // way to reach a peer no tracker or DHT knows, and what the interop tests use.
  std::vector<std::string> peers;
  unsigned maxPeersPerTorrent = 50;  // EngineConfig::maxPeersPerTorrent
  unsigned maxConnections = 500;     // EngineConfig::maxConnections
  // --encryption disabled|enabled|required (EngineConfig::encryption)
  EncryptionMode encryption = EncryptionMode::Enabled;
};

struct GetCommand {
  std::vector<CliSource> sources;
  std::string dir;
  unsigned connections = 8;
  std::vector<std::string> mirrors;
  std::string caCertFile;
  std::optional<Checksum> checksum;
  std::chrono::seconds seedTime{0};
  std::string userAgent;  // empty: the engine's default
  std::string referer;
  // Tasks downloading at once, the rest queued (EngineConfig::maxActiveDownloads);
  // 0 = no limit.
  unsigned maxActiveDownloads = 5;
  // --torrent FILE|MAGNET beside a URL SOURCE, or --origin URL beside a
  // .torrent or magnet SOURCE: the same content from both kinds of source in
  // one task (AddParams::alsoFrom). Only with a single SOURCE.
  std::optional<CliSource> alsoFrom;
  // --prefer p2p|balanced|cdn and --cdn-cap SIZE (torrents with web seeds).
  SourcePolicy sourcePolicy;
  NetworkOptions network;
  bool json = false;
  bool quiet = false;
};

struct SeedCommand {
  std::string torrentFile;
  std::string dir;
  NetworkOptions network;
  bool json = false;
  bool quiet = false;
};

struct CreateCommand {
  std::string path;
  std::string output;
  std::vector<std::string> trackers;
  std::vector<std::string> webSeeds;
  std::uint64_t pieceSize = 0;  // 0 = chosen from the content size
  std::string comment;
  bool isPrivate = false;
  bool quiet = false;
};

enum class HelpTopic : std::uint8_t { Program, Get, Seed, Create };

struct HelpCommand {
  HelpTopic topic = HelpTopic::Program;
};

struct VersionCommand {};

using CliCommand =
    std::variant<HelpCommand, VersionCommand, GetCommand, SeedCommand, CreateCommand>;

// `args` excludes the program name (argv + 1). On failure the error's detail is
// one line, without the "tributary-cli: " prefix the executable adds.
Result<CliCommand> parseCli(std::span<const std::string_view> args);

// Usage texts for --help, ending in a newline; they document every option.
std::string_view usageText(HelpTopic topic);
std::string_view cliVersion();

}  // namespace tributary::cli
