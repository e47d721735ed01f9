#include "app/cli/CliOptions.h"

#include <algorithm>
#include <array>
#include <string>

#include "app/cli/CliValues.h"

namespace tributary::cli {
namespace {

struct OptionSpec {
  OptionId id;
  std::string_view longName;  // with the leading "--"
  char shortName;             // 0 = none
  bool takesValue;
  bool repeatable;
};

constexpr std::array kOptions{
    OptionSpec{OptionId::Dir, "--dir", 'd', true, false},
    OptionSpec{OptionId::Connections, "--connections", 'c', true, false},
    OptionSpec{OptionId::Mirror, "--mirror", 0, true, true},
    OptionSpec{OptionId::CaCert, "--ca-cert", 0, true, false},
    OptionSpec{OptionId::Checksum, "--checksum", 0, true, false},
    OptionSpec{OptionId::MaxDownloadRate, "--max-download-rate", 0, true, false},
    OptionSpec{OptionId::MaxUploadRate, "--max-upload-rate", 0, true, false},
    OptionSpec{OptionId::ListenPort, "--listen-port", 0, true, false},
    OptionSpec{OptionId::SeedTime, "--seed-time", 0, true, false},
    OptionSpec{OptionId::NoDht, "--no-dht", 0, false, true},
    OptionSpec{OptionId::NoPex, "--no-pex", 0, false, true},
    OptionSpec{OptionId::NoLsd, "--no-lsd", 0, false, true},
    OptionSpec{OptionId::NoUtp, "--no-utp", 0, false, true},
    OptionSpec{OptionId::OsCache, "--os-cache", 0, false, true},
    OptionSpec{OptionId::DhtBootstrap, "--dht-bootstrap", 0, true, true},
    OptionSpec{OptionId::Json, "--json", 0, false, true},
    OptionSpec{OptionId::Quiet, "--quiet", 0, false, true},
    OptionSpec{OptionId::Output, "--output", 'o', true, false},
    OptionSpec{OptionId::Tracker, "--tracker", 0, true, true},
    OptionSpec{OptionId::WebSeed, "--web-seed", 0, true, true},
    OptionSpec{OptionId::PieceSize, "--piece-size", 0, true, false},
    OptionSpec{OptionId::UserAgent, "--user-agent", 0, true, false},
    OptionSpec{OptionId::Referer, "--referer", 0, true, false},
    OptionSpec{OptionId::Peer, "--peer", 0, true, true},
    OptionSpec{OptionId::Comment, "--comment", 0, true, false},
    OptionSpec{OptionId::Private, "--private", 0, false, true},
    OptionSpec{OptionId::MaxPeers, "--max-peers", 0, true, false},
    OptionSpec{OptionId::MaxConnections, "--max-connections", 0, true, false},
    OptionSpec{OptionId::MaxActiveDownloads, "--max-active-downloads", 0, true, false},
    OptionSpec{OptionId::Encryption, "--encryption", 0, true, false},
    OptionSpec{OptionId::Torrent, "--torrent", 0, true, false},
    OptionSpec{OptionId::Origin, "--origin", 0, true, false},
    OptionSpec{OptionId::Prefer, "--prefer", 0, true, false},
    OptionSpec{OptionId::CdnCap, "--cdn-cap", 0, true, false},
};

Error fail(std::string message) {
  return Error{ErrorCode::InvalidArgument, std::move(message)};
}

const OptionSpec* findOption(std::string_view arg, std::span<const OptionId> allowed) {
  const auto it = std::find_if(kOptions.begin(), kOptions.end(), [&](const OptionSpec& spec) {
    if (arg.size() == 2) {
      return spec.shortName != 0 && arg[1] == spec.shortName;
    }
    return arg == spec.longName;
  });
  if (it == kOptions.end() || std::find(allowed.begin(), allowed.end(), it->id) == allowed.end()) {
    return nullptr;
  }
  return &*it;
}

bool isHelp(std::string_view arg) {
  return arg == "-h" || arg == "--help";
}

}  // namespace

Result<CommandArgs> splitCommandArgs(std::string_view command,
                                     std::span<const std::string_view> args,
                                     std::span<const OptionId> allowed) {
  CommandArgs out;
  const auto end = std::find(args.begin(), args.end(), std::string_view("--"));
  if (std::any_of(args.begin(), end, isHelp)) {
    out.help = true;
    return out;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      out.positionals.insert(out.positionals.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out.positionals.push_back(arg);
      continue;
    }
    // "--name=value" and "-xvalue" carry their value inline.
    const bool isLong = arg[1] == '-';
    const auto nameLength = isLong ? std::min(arg.find('='), arg.size()) : 2;
    const std::string_view name = arg.substr(0, nameLength);
    const OptionSpec* spec = findOption(name, allowed);
    if (spec == nullptr) {
      return fail(std::string(command) + ": unknown option " + quoted(name));
    }
    const bool hasInline = nameLength < arg.size();
    std::string_view value;
    if (!spec->takesValue) {
      if (hasInline) {
        return fail(std::string(spec->longName) + ": takes no value");
      }
    } else if (hasInline) {
      value = arg.substr(isLong ? nameLength + 1 : nameLength);
    } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
      value = args[++i];
    } else {
      return fail(std::string(spec->longName) + ": missing value");
    }
    const bool seen = std::any_of(out.options.begin(), out.options.end(),
                                  [&](const OptionUse& use) { return use.id == spec->id; });
    if (seen && !spec->repeatable) {
      return fail(std::string(spec->longName) + ": given more than once");
    }
    out.options.push_back(OptionUse{spec->id, spec->longName, value});
  }
  return out;
}

}  // namespace tributary::cli
