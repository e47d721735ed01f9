#include "app/cli/CliArgs.h"

#include <array>
#include <limits>
#include <string>

#include "app/cli/CliOptions.h"
#include "app/cli/CliValues.h"

namespace tributary::cli {
namespace {

constexpr unsigned kMaxConnections = 64;  // HTTP connections per task
// Beyond this a torrent's peers cost more loop time than they bring.
constexpr unsigned kMaxPeersPerTorrent = 1000;
constexpr unsigned kMaxBtConnections = 10000;
constexpr unsigned kMaxActiveDownloads = 10000;
constexpr std::uint64_t kMaxSeedTime = std::numeric_limits<std::uint32_t>::max();

// The options get and seed share come first in both lists.
constexpr std::array kSeedOptions{OptionId::Dir,           OptionId::MaxDownloadRate,
                                  OptionId::MaxUploadRate, OptionId::ListenPort,
                                  OptionId::NoDht,         OptionId::NoPex,
                                  OptionId::NoLsd,         OptionId::NoUtp,
                                  OptionId::DhtBootstrap,  OptionId::Peer,
                                  OptionId::Json,          OptionId::Quiet,
                                  OptionId::MaxPeers,      OptionId::MaxConnections,
                                  OptionId::Encryption};
constexpr std::array kGetOptions{OptionId::Dir,
                                 OptionId::MaxDownloadRate,
                                 OptionId::MaxUploadRate,
                                 OptionId::ListenPort,
                                 OptionId::NoDht,
                                 OptionId::NoPex,
                                 OptionId::NoLsd,
                                 OptionId::NoUtp,
                                 OptionId::OsCache,
                                 OptionId::DhtBootstrap,
                                 OptionId::Peer,
                                 OptionId::Json,
                                 OptionId::Quiet,
                                 OptionId::Connections,
                                 OptionId::Mirror,
                                 OptionId::CaCert,
                                 OptionId::Checksum,
                                 OptionId::SeedTime,
                                 OptionId::UserAgent,
                                 OptionId::Referer,
                                 OptionId::MaxPeers,
                                 OptionId::MaxConnections,
                                 OptionId::MaxActiveDownloads,
                                 OptionId::Encryption,
                                 OptionId::Torrent,
                                 OptionId::Origin,
                                 OptionId::Prefer,
                                 OptionId::CdnCap};
constexpr std::array kCreateOptions{OptionId::Output,    OptionId::Tracker, OptionId::WebSeed,
                                    OptionId::PieceSize, OptionId::Comment, OptionId::Private,
                                    OptionId::Quiet};

Error fail(std::string message) {
  return Error{ErrorCode::InvalidArgument, std::move(message)};
}

// Stores a parsed value or hands the error back; keeps the option switches flat.
template <class T, class U>
std::optional<Error> assign(T& target, Result<U> parsed) {
  if (!parsed) {
    return parsed.error();
  }
  target = static_cast<T>(std::move(parsed).value());
  return std::nullopt;
}

template <class U>
std::optional<Error> append(std::vector<U>& target, Result<U> parsed) {
  if (!parsed) {
    return parsed.error();
  }
  target.push_back(std::move(parsed).value());
  return std::nullopt;
}

Result<EncryptionMode> parseEncryption(std::string_view option, std::string_view text) {
  if (text == "disabled") {
    return EncryptionMode::Disabled;
  }
  if (text == "enabled") {
    return EncryptionMode::Enabled;
  }
  if (text == "required") {
    return EncryptionMode::Required;
  }
  return fail(std::string(option) + ": expected disabled, enabled or required, got " +
              quoted(text));
}

Result<SourcePreference> parsePreference(std::string_view option, std::string_view text) {
  if (text == "balanced") {
    return SourcePreference::Balanced;
  }
  if (text == "p2p") {
    return SourcePreference::PreferP2P;
  }
  if (text == "cdn") {
    return SourcePreference::PreferCdn;
  }
  return fail(std::string(option) + ": expected p2p, balanced or cdn, got " + quoted(text));
}

// Applies one of the options get and seed share (both commands have these
// members); false when `use` is not one of them.
template <class Command>
bool applySwarmOption(const OptionUse& use, Command& command, std::optional<Error>& error) {
  NetworkOptions& net = command.network;
  switch (use.id) {
    case OptionId::Dir:
      error = assign(command.dir, parseNonEmpty(use.name, use.value));
      break;
    case OptionId::MaxDownloadRate:
      error = assign(net.maxDownloadRate, parseRate(use.name, use.value));
      break;
    case OptionId::MaxUploadRate:
      error = assign(net.maxUploadRate, parseRate(use.name, use.value));
      break;
    case OptionId::ListenPort:
      error = assign(net.listenPort, parseBoundedNumber(use.name, use.value, 0, 65535));
      break;
    case OptionId::NoDht:
      net.dht = false;
      break;
    case OptionId::NoPex:
      net.pex = false;
      break;
    case OptionId::NoLsd:
      net.lsd = false;
      break;
    case OptionId::NoUtp:
      net.utp = false;
      break;
    case OptionId::OsCache:
      net.osCache = true;
      break;
    case OptionId::DhtBootstrap:
      error = append(net.dhtBootstrap, parseHostPort(use.name, use.value));
      break;
    case OptionId::Peer:
      error = append(net.peers, parsePeerAddress(use.name, use.value));
      break;
    case OptionId::MaxPeers:
      error = assign(net.maxPeersPerTorrent,
                     parseBoundedNumber(use.name, use.value, 1, kMaxPeersPerTorrent));
      break;
    case OptionId::MaxConnections:
      error =
          assign(net.maxConnections, parseBoundedNumber(use.name, use.value, 1, kMaxBtConnections));
      break;
    case OptionId::Encryption:
      error = assign(net.encryption, parseEncryption(use.name, use.value));
      break;
    case OptionId::Json:
      command.json = true;
      break;
    case OptionId::Quiet:
      command.quiet = true;
      break;
    default:
      return false;
  }
  return true;
}

// --torrent and --origin name the second source of one task: one of them,
// once, of the kind the option says.
std::optional<Error> applyAlsoFrom(const OptionUse& use, GetCommand& get) {
  if (get.alsoFrom) {
    return fail("get: --torrent and --origin cannot be given together");
  }
  auto source = classifySource(use.name, use.value);
  if (!source) {
    return source.error();
  }
  const bool isUrl = source.value().type == SourceType::HttpUrl;
  if (use.id == OptionId::Torrent && isUrl) {
    return fail("get: --torrent takes a .torrent file or a magnet: URI, not a URL");
  }
  if (use.id == OptionId::Origin && !isUrl) {
    return fail("get: --origin takes an http(s) URL");
  }
  get.alsoFrom = std::move(source).value();
  return std::nullopt;
}

// The SOURCE the second source goes with must be of the other kind.
std::optional<Error> checkAlsoFrom(const GetCommand& get) {
  if (!get.alsoFrom) {
    return std::nullopt;
  }
  const bool withTorrent = get.alsoFrom->type != SourceType::HttpUrl;
  const char* option = withTorrent ? "--torrent" : "--origin";
  if (get.sources.size() != 1) {
    return fail(std::string("get: ") + option + " goes with a single SOURCE");
  }
  const bool sourceIsUrl = get.sources.front().type == SourceType::HttpUrl;
  if (withTorrent && !sourceIsUrl) {
    return fail(
        "get: --torrent goes with an http(s) URL SOURCE; for a .torrent or magnet "
        "SOURCE give its URL with --origin");
  }
  if (!withTorrent && sourceIsUrl) {
    return fail(
        "get: --origin goes with a .torrent or magnet SOURCE; for a URL SOURCE "
        "give its torrent with --torrent");
  }
  return std::nullopt;
}

std::optional<Error> applyGetOption(const OptionUse& use, GetCommand& get) {
  std::optional<Error> error;
  if (applySwarmOption(use, get, error)) {
    return error;
  }
  switch (use.id) {
    case OptionId::Connections:
      return assign(get.connections, parseBoundedNumber(use.name, use.value, 1, kMaxConnections));
    case OptionId::Mirror:
      return append(get.mirrors, parseUrl(use.name, use.value, {"http", "https"}));
    case OptionId::CaCert:
      return assign(get.caCertFile, parseNonEmpty(use.name, use.value));
    case OptionId::Checksum:
      return assign(get.checksum, parseChecksum(use.name, use.value));
    case OptionId::SeedTime:
      return assign(get.seedTime, parseBoundedNumber(use.name, use.value, 0, kMaxSeedTime));
    case OptionId::UserAgent:
      return assign(get.userAgent, parseNonEmpty(use.name, use.value));
    case OptionId::Referer:
      return assign(get.referer, parseUrl(use.name, use.value, {"http", "https"}));
    case OptionId::MaxActiveDownloads:
      return assign(get.maxActiveDownloads,
                    parseBoundedNumber(use.name, use.value, 0, kMaxActiveDownloads));
    case OptionId::Torrent:
    case OptionId::Origin:
      return applyAlsoFrom(use, get);
    case OptionId::Prefer:
      return assign(get.sourcePolicy.preference, parsePreference(use.name, use.value));
    case OptionId::CdnCap:
      return assign(get.sourcePolicy.cdnByteCap, parseByteCount(use.name, use.value));
    default:
      return fail("get: " + std::string(use.name) + " is not a get option");
  }
}

Result<CliCommand> parseGet(std::span<const std::string_view> args) {
  auto split = splitCommandArgs("get", args, kGetOptions);
  if (!split) {
    return split.error();
  }
  const CommandArgs& parts = split.value();
  if (parts.help) {
    return CliCommand{HelpCommand{HelpTopic::Get}};
  }
  GetCommand get;
  for (const auto& use : parts.options) {
    if (auto error = applyGetOption(use, get)) {
      return *std::move(error);
    }
  }
  for (const auto text : parts.positionals) {
    auto source = classifySource("get", text);
    if (!source) {
      return source.error();
    }
    get.sources.push_back(std::move(source).value());
  }
  if (get.sources.empty()) {
    return fail("get: missing SOURCE (an http(s) URL, a magnet: URI or a .torrent file)");
  }
  if (get.dir.empty()) {
    return fail("get: missing -d DIR");
  }
  if (auto error = checkAlsoFrom(get)) {
    return *std::move(error);
  }
  return CliCommand{std::move(get)};
}

Result<CliCommand> parseSeed(std::span<const std::string_view> args) {
  auto split = splitCommandArgs("seed", args, kSeedOptions);
  if (!split) {
    return split.error();
  }
  const CommandArgs& parts = split.value();
  if (parts.help) {
    return CliCommand{HelpCommand{HelpTopic::Seed}};
  }
  SeedCommand seed;
  for (const auto& use : parts.options) {
    std::optional<Error> error;
    if (!applySwarmOption(use, seed, error)) {
      error = fail("seed: " + std::string(use.name) + " is not a seed option");
    }
    if (error) {
      return *std::move(error);
    }
  }
  if (parts.positionals.size() > 1) {
    return fail("seed: unexpected argument " + quoted(parts.positionals[1]));
  }
  if (parts.positionals.empty() || parts.positionals[0].empty()) {
    return fail("seed: missing FILE.torrent");
  }
  seed.torrentFile = std::string(parts.positionals[0]);
  if (seed.dir.empty()) {
    return fail("seed: missing -d DIR");
  }
  return CliCommand{std::move(seed)};
}

std::optional<Error> applyCreateOption(const OptionUse& use, CreateCommand& create) {
  switch (use.id) {
    case OptionId::Output:
      return assign(create.output, parseNonEmpty(use.name, use.value));
    case OptionId::Tracker:
      return append(create.trackers, parseUrl(use.name, use.value, {"http", "https", "udp"}));
    case OptionId::WebSeed:
      return append(create.webSeeds, parseUrl(use.name, use.value, {"http", "https"}));
    case OptionId::PieceSize:
      return assign(create.pieceSize, parsePieceSize(use.name, use.value));
    case OptionId::Comment:
      return assign(create.comment, parseNonEmpty(use.name, use.value));
    case OptionId::Private:
      create.isPrivate = true;
      return std::nullopt;
    case OptionId::Quiet:
      create.quiet = true;
      return std::nullopt;
    default:
      return fail("create: " + std::string(use.name) + " is not a create option");
  }
}

Result<CliCommand> parseCreate(std::span<const std::string_view> args) {
  auto split = splitCommandArgs("create", args, kCreateOptions);
  if (!split) {
    return split.error();
  }
  const CommandArgs& parts = split.value();
  if (parts.help) {
    return CliCommand{HelpCommand{HelpTopic::Create}};
  }
  CreateCommand create;
  for (const auto& use : parts.options) {
    if (auto error = applyCreateOption(use, create)) {
      return *std::move(error);
    }
  }
  if (parts.positionals.size() > 1) {
    return fail("create: unexpected argument " + quoted(parts.positionals[1]));
  }
  if (parts.positionals.empty() || parts.positionals[0].empty()) {
    return fail("create: missing PATH");
  }
  create.path = std::string(parts.positionals[0]);
  if (create.output.empty()) {
    return fail("create: missing -o FILE.torrent");
  }
  return CliCommand{std::move(create)};
}

std::optional<HelpTopic> topicOf(std::string_view command) {
  if (command == "get") {
    return HelpTopic::Get;
  }
  if (command == "seed") {
    return HelpTopic::Seed;
  }
  if (command == "create") {
    return HelpTopic::Create;
  }
  return std::nullopt;
}

Error unknownCommand(std::string_view command) {
  return fail("unknown command " + quoted(command) + " (expected get, seed or create)");
}

}  // namespace

Result<CliCommand> parseCli(std::span<const std::string_view> args) {
  if (args.empty()) {
    return fail("missing command (get, seed or create); see 'tributary-cli --help'");
  }
  const std::string_view command = args[0];
  const auto rest = args.subspan(1);
  if (command == "-h" || command == "--help" || command == "help") {
    if (rest.empty() || command != "help") {
      return CliCommand{HelpCommand{HelpTopic::Program}};
    }
    if (rest.size() > 1) {
      return fail("help: unexpected argument " + quoted(rest[1]));
    }
    const auto topic = topicOf(rest[0]);
    if (!topic) {
      return unknownCommand(rest[0]);
    }
    return CliCommand{HelpCommand{*topic}};
  }
  if (command == "--version") {
    if (!rest.empty()) {
      return fail("--version: unexpected argument " + quoted(rest[0]));
    }
    return CliCommand{VersionCommand{}};
  }
  if (command == "get") {
    return parseGet(rest);
  }
  if (command == "seed") {
    return parseSeed(rest);
  }
  if (command == "create") {
    return parseCreate(rest);
  }
  if (command.starts_with("-")) {
    return fail("unknown option " + quoted(command) + "; see 'tributary-cli --help'");
  }
  return unknownCommand(command);
}

}  // namespace tributary::cli
