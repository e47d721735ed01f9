// The --help texts. They are the user-facing contract of DESIGN.md, "The
// command-line client": keep them in step with CliArgs.cpp.
#include "app/cli/CliArgs.h"

#ifndef TRIBUTARY_VERSION
#error "TRIBUTARY_VERSION is set by app/cli/CMakeLists.txt"
#endif

namespace tributary::cli {
namespace {

constexpr std::string_view kProgramUsage =
    R"(Usage: tributary-cli COMMAND [options]

Downloads over HTTP(S), CDN mirrors and BitTorrent with the Tributary engine.

Commands:
  get SOURCE... -d DIR [options]    download every SOURCE into DIR
  seed FILE.torrent -d DIR          seed existing data (verifies it first)
  create PATH -o FILE.torrent       make a .torrent of a file or folder

Options:
  -h, --help        show this help; 'tributary-cli COMMAND --help' for a command
  --version         show the version

Exit status: 0 on success, 1 when a command fails (one line on stderr),
2 for a malformed command line.
)";

constexpr std::string_view kGetUsage =
    R"(Usage: tributary-cli get SOURCE... -d DIR [options]

  SOURCE                    an http(s) URL, a magnet: URI or a .torrent file
  -d, --dir DIR             where the content goes (created if missing)
  -c, --connections N       HTTP connections per task, 1 to 64 (default 8)
  --mirror URL              an extra http(s) source of the same bytes (repeatable)
  --torrent FILE|MAGNET     with a URL SOURCE: a .torrent or magnet of the same
                            content; one task fed by both, checked by its pieces
  --origin URL              with a .torrent or magnet SOURCE: its origin http(s)
                            URL (a folder ending in '/' for a multi-file torrent)
  --prefer p2p|balanced|cdn how a torrent shares its pieces between its swarm
                            and its web seeds/origin (default balanced)
  --cdn-cap SIZE            at most SIZE bytes from CDN web seeds and mirrors per
                            task (K, M or G suffix; 0 = no cap, default)
  --ca-cert FILE            trust this CA in addition to the system store
  --checksum ALGO=HEX       verify the file: sha-1=40 hex digits or sha-256=64 hex digits
  --user-agent TEXT         the HTTP User-Agent (default Tributary/VERSION)
  --referer URL             an HTTP Referer sent with every request
  --max-download-rate R     bytes/s, 0 = unlimited (default)
  --max-upload-rate R       bytes/s, 0 = unlimited (default)
                            R takes a K, M or G suffix, 1024-based: 512K = 524288
  --listen-port P           BitTorrent listen port, 0 to 65535 (0 = pick one, default)
  --seed-time S             keep seeding S seconds after completion (default 0)
  --no-dht, --no-pex, --no-lsd, --no-utp
                            turn a BitTorrent feature off
  --encryption MODE         BitTorrent protocol encryption (MSE/PE): disabled,
                            enabled (both, default) or required (RC4 only)
  --dht-bootstrap HOST:PORT a DHT node to start from, IPv6 as [::1]:6881 (repeatable)
  --os-cache                write torrent pieces through the OS page cache
                            (default: past it, where the file system allows)
  --peer IP:PORT            a BitTorrent peer to connect to, IPv6 as [::1]:6881
                            (repeatable; for .torrent sources)
  --max-peers N             BitTorrent peers per torrent, 1 to 1000 (default 50)
  --max-connections N       BitTorrent connections of all tasks, 1 to 10000 (default 500)
  --max-active-downloads N  SOURCEs downloading at once, the others wait their turn
                            in the order given, 0 to 10000 (0 = no limit, default 5)
  --json                    one JSON object a line on stdout: progress with traffic
                            per source kind (bt, http, cdn, shared) and each loop
                            thread's busy fraction ("loops"), then done or error;
                            "metadata" and "completed" lines as those happen, with
                            "elapsed" seconds since the SOURCE was added
  --quiet                   no progress lines and no engine log
  -h, --help                show this help

Progress goes to stderr, one line a tick. Exit status 0 when every selected
byte is on disk and verified; otherwise one line on stderr and a non-zero
status. Running the same command again on the same DIR resumes. SIGINT and
SIGTERM save the state and exit; a second one exits at once, without saving.
)";

constexpr std::string_view kSeedUsage =
    R"(Usage: tributary-cli seed FILE.torrent -d DIR [options]

Verifies the data in DIR against FILE.torrent, then seeds it until SIGINT or
SIGTERM, which end it with exit status 0. Data that is missing or does not
match fails at once: seed never downloads.

  -d, --dir DIR             where the content is
  --max-download-rate R, --max-upload-rate R
                            bytes/s, 0 = unlimited; K, M or G suffix, 1024-based
  --listen-port P           BitTorrent listen port, 0 to 65535 (0 = pick one)
  --no-dht, --no-pex, --no-lsd, --no-utp
                            turn a BitTorrent feature off
  --encryption MODE         BitTorrent protocol encryption (MSE/PE): disabled,
                            enabled (both, default) or required (RC4 only)
  --dht-bootstrap HOST:PORT a DHT node to start from, IPv6 as [::1]:6881 (repeatable)
  --peer IP:PORT            a peer to connect to, IPv6 as [::1]:6881 (repeatable)
  --max-peers N             peers per torrent, 1 to 1000 (default 50)
  --max-connections N       connections of all tasks, 1 to 10000 (default 500)
  --json                    one JSON object a line on stdout
  --quiet                   no progress lines and no engine log
  -h, --help                show this help
)";

constexpr std::string_view kCreateUsage =
    R"(Usage: tributary-cli create PATH -o FILE.torrent [options]

Makes a .torrent of the file or folder PATH and prints its info-hash on stdout.
A folder's files are all included (hidden ones too), sorted by path, as
mktorrent does; symlinks are followed only when they stay inside PATH.

  -o, --output FILE.torrent where to write the torrent (replaced if it exists)
  --tracker URL             an http(s):// or udp:// announce URL, one tier each
                            (repeatable)
  --web-seed URL            an http(s) URL serving the same content (repeatable)
  --piece-size N            a power of two from 16K to 64M, K or M suffix, 1024-based
                            (default: chosen from the content size, at most 2048
                            pieces of 16K to 16M)
  --comment TEXT            a comment stored in the torrent
  --private                 mark the torrent private (BEP 27: trackers only)
  --quiet                   no progress lines
  -h, --help                show this help
)";

}  // namespace

std::string_view usageText(HelpTopic topic) {
  switch (topic) {
    case HelpTopic::Get:
      return kGetUsage;
    case HelpTopic::Seed:
      return kSeedUsage;
    case HelpTopic::Create:
      return kCreateUsage;
    case HelpTopic::Program:
      break;
  }
  return kProgramUsage;
}

std::string_view cliVersion() {
  return TRIBUTARY_VERSION;
}

}  // namespace tributary::cli
