// Public: the value types that cross the engine boundary. Plain data, copied
// freely; the UI never holds a pointer into the engine.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/Error.h"

namespace tributary {

using TaskId = std::uint64_t;
constexpr TaskId kInvalidTaskId = 0;

// Where bytes come from (DESIGN.md, "Sources"). Uploads are counted as shared.
enum class SourceKind : std::uint8_t { Bt, Http, Cdn };

struct TrafficCounters {
  std::uint64_t bt = 0;      // downloaded from BitTorrent peers
  std::uint64_t http = 0;    // downloaded from the task's origin URL
  std::uint64_t cdn = 0;     // downloaded from mirrors and web seeds
  std::uint64_t shared = 0;  // uploaded to peers

  std::uint64_t downloaded() const noexcept { return bt + http + cdn; }
  TrafficCounters& operator+=(const TrafficCounters& other) noexcept {
    bt += other.bt;
    http += other.http;
    cdn += other.cdn;
    shared += other.shared;
    return *this;
  }
  bool operator==(const TrafficCounters&) const = default;
};

enum class TaskKind : std::uint8_t { Http, Torrent, Magnet };

enum class TaskState : std::uint8_t {
  Queued,
  Checking,          // verifying existing data
  FetchingMetadata,  // magnet: waiting for the info dictionary
  Downloading,
  Seeding,
  Paused,
  Completed,  // all selected bytes verified, not seeding
  Failed,     // stopped on an error; see TaskSnapshot::error
};

struct Checksum {
  enum class Algorithm : std::uint8_t { Sha1, Sha256 };
  Algorithm algorithm = Algorithm::Sha256;
  std::string hex;  // lower-case

  bool operator==(const Checksum&) const = default;
};

// How a torrent task shares its pieces between its swarm and its web seeds
// (CDN mirrors, url-list, the origin URL). Peers and seeds always race the
// last pieces; the preference decides who gets the rest.
enum class SourcePreference : std::uint8_t {
  // Web seeds take runs of the pieces peers are least likely to give soon
  // (no connected peer has them first), sized to each seed's rate; peers
  // take the rest. A fast CDN and a slow swarm finish at CDN speed.
  Balanced,
  // Web seeds fetch only what the swarm cannot give: pieces no connected peer
  // has, the last pieces once their peers have held them a while, and
  // everything while the swarm sends nothing.
  PreferP2P,
  // Peers start no piece while a web seed is working; they finish what they
  // started and race the last pieces.
  PreferCdn,
};

struct SourcePolicy {
  SourcePreference preference = SourcePreference::Balanced;
  // Bytes this task may take from CDN web seeds and mirrors (not its origin
  // URL, which counts as HTTP); a seed's last run may pass it by less than a
  // piece. 0 = no cap.
  std::uint64_t cdnByteCap = 0;

  bool operator==(const SourcePolicy&) const = default;
};

// Everything needed to start a task. `source` is an http(s) URL, a path to a
// .torrent file, or a magnet: URI.
struct AddParams {
  std::string source;
  std::string saveDir;
  std::vector<std::string> mirrors;  // extra CDN sources
  std::vector<std::string> peers;    // BitTorrent peers to connect to, "IP:port" ("[v6]:port")
  std::string caCertFile;            // trusted in addition to the system store
  std::string userAgent;             // HTTP User-Agent; empty = "Tributary/<version>"
  std::string referer;               // HTTP Referer sent with every request; empty = none
  std::optional<Checksum> checksum;
  unsigned connections = 8;           // HTTP connections per task
  std::uint64_t maxDownloadRate = 0;  // bytes/s, 0 = unlimited
  std::uint64_t maxUploadRate = 0;
  std::chrono::seconds seedTime{0};
  double seedRatio = 0;  // stop seeding once uploaded/size reaches this (0 = no ratio limit)
  std::vector<std::uint8_t> filePriorities;  // as Engine::setFilePriorities
  bool startPaused = false;
  // Magnet: once the metadata is in, the task pauses (Paused, with its files
  // in the snapshot) so the files can be chosen before anything is written;
  // resume() then starts the download.
  bool stopAfterMetadata = false;
  // "Also download from": the same content from a second kind of source,
  // fed into this one task. Beside a .torrent or magnet source, its origin
  // http(s) URL; beside an http(s) source, a .torrent path or magnet for it.
  // add() makes them one torrent task (the torrent's piece hashes check every
  // byte): the torrent or magnet becomes `source` and the URL `alsoFrom`, a
  // web seed whose bytes count as HTTP, not CDN. For a multi-file torrent the
  // URL must end in '/': the folder holding the torrent's top folder (BEP 19).
  // The origin is dropped, with the reason in the task's sources, when its
  // size differs from the torrent's file or a piece from it fails its hash;
  // the swarm goes on. Empty = none.
  std::string alsoFrom;
  SourcePolicy sourcePolicy;  // torrents with web seeds; ignored by HTTP tasks

  bool operator==(const AddParams&) const = default;
};

struct SourceSnapshot {
  enum class State : std::uint8_t { Connecting, Active, Idle, Dropped };
  std::string url;
  SourceKind kind = SourceKind::Http;
  State state = State::Idle;
  std::uint64_t downloaded = 0;
  std::uint64_t downloadRate = 0;  // bytes/s
  unsigned connections = 0;
  ErrorCode error = ErrorCode::Ok;  // why it was dropped
  std::string errorDetail;

  bool operator==(const SourceSnapshot&) const = default;
};

// How a BitTorrent peer was found (the peer list's source column).
enum class PeerSource : std::uint8_t { Tracker, Dht, Pex, Lsd, Incoming, WebSeed, Manual };

// One connected peer (or web seed) of a torrent: what qBittorrent's peer list
// shows, and where the peer came from.
struct PeerSnapshot {
  enum class Transport : std::uint8_t { Tcp, Utp, Web };
  std::string address;  // "1.2.3.4:6881", "[::1]:6881", or a web seed's URL
  Transport transport = Transport::Tcp;
  PeerSource source = PeerSource::Tracker;
  // qBittorrent's legend: D d U u K ? O S I H X L E e P (see docs/USER_GUIDE.md).
  std::string flags;
  std::string client;        // decoded from the peer id or its BEP 10 "v"
  std::string peerIdPrefix;  // the first 8 bytes, printable
  double progress = 0;       // 0..1 of the torrent the peer has
  std::uint64_t downloadRate = 0;
  std::uint64_t uploadRate = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t uploaded = 0;
  // Pieces it has that we lack, over the pieces we lack (0..1).
  double relevance = 0;
  std::string files;  // the files its current piece touches, ", "-separated
  // The TCP round trip as the kernel measures it (rounded up), where the OS
  // says; elsewhere the time from our request to its block.
  std::uint32_t rttMs = 0;
  std::uint32_t hashFailures = 0;
  std::uint32_t requestsOut = 0;  // our requests waiting for its blocks
  std::uint32_t requestsIn = 0;   // its requests waiting for ours
  std::int64_t connectedAtUnix = 0;

  bool operator==(const PeerSnapshot&) const = default;
};

struct TrackerSnapshot {
  enum class Status : std::uint8_t { NotContacted, Updating, Working, Failed, Disabled };
  std::string url;
  unsigned tier = 0;
  Status status = Status::NotContacted;
  unsigned peers = 0;       // in its last answer
  std::int64_t seeds = -1;  // -1: not told
  std::int64_t leechers = -1;
  std::int64_t nextAnnounceUnix = 0;
  std::string message;  // its failure reason or warning, made printable

  bool operator==(const TrackerSnapshot&) const = default;
};

struct FileSnapshot {
  std::string path;  // relative to the save folder
  std::uint64_t size = 0;
  std::uint64_t doneBytes = 0;  // in verified pieces
  std::uint8_t priority = 1;    // 0 = skip, 1 = normal, 2 = high
  // Its place in the torrent's file list, padding files included: the index
  // Engine::setFilePriorities and AddParams::filePriorities count by (the
  // snapshot leaves padding files out, so list positions may differ).
  std::uint32_t index = 0;

  bool operator==(const FileSnapshot&) const = default;
};

// What only a torrent task has.
struct TorrentSnapshot {
  std::string infoHashHex;
  std::uint32_t pieceCount = 0;
  std::uint64_t pieceLength = 0;
  std::uint32_t piecesHave = 0;
  std::string comment;
  std::string createdBy;
  bool isPrivate = false;
  std::uint64_t wastedBytes = 0;  // received and thrown away (hash failures, duplicates)
  // Coarse piece map for the piece bar: each entry is the share (0..255) of
  // verified pieces in one of up to 256 equal stretches of the torrent.
  std::vector<std::uint8_t> pieceMap;
  std::vector<PeerSnapshot> peers;
  std::vector<TrackerSnapshot> trackers;
  std::vector<FileSnapshot> files;

  bool operator==(const TorrentSnapshot&) const = default;
};

// One task as the UI sees it, taken at one tick.
struct TaskSnapshot {
  TaskId id = kInvalidTaskId;
  TaskKind kind = TaskKind::Http;
  TaskState state = TaskState::Queued;
  std::string name;
  std::string saveDir;
  std::string source;
  std::uint64_t totalBytes = 0;  // 0 while unknown
  bool sizeKnown = false;
  std::uint64_t verifiedBytes = 0;
  std::uint64_t downloadRate = 0;  // bytes/s over the last few seconds
  std::uint64_t uploadRate = 0;
  TrafficCounters traffic;
  unsigned seeds = 0;
  unsigned peers = 0;
  std::int64_t addedAtUnix = 0;
  // 1-based place in the download queue among the tasks that are not
  // finished (paused and failed ones included); 0 for a seeding or
  // completed task.
  std::uint32_t queuePosition = 0;
  ErrorCode error = ErrorCode::Ok;
  std::string errorDetail;
  std::vector<SourceSnapshot> sources;
  SourcePolicy sourcePolicy;               // torrent and magnet tasks: as set
  std::optional<TorrentSnapshot> torrent;  // torrent and magnet tasks

  bool operator==(const TaskSnapshot&) const = default;
};

// One local calendar day of the traffic history (EngineStats::trafficDays).
struct TrafficDay {
  std::int32_t day = 0;  // the local date, as days since 1970-01-01
  TrafficCounters bytes;

  bool operator==(const TrafficDay&) const = default;
};

struct EngineStats {
  std::uint64_t downloadRate = 0;  // bytes/s, all tasks
  std::uint64_t uploadRate = 0;
  std::uint64_t maxDownloadRate = 0;  // 0 = unlimited
  std::uint64_t maxUploadRate = 0;
  TrafficCounters traffic;  // all tasks, including removed ones, since the engine started
  unsigned dhtNodes = 0;
  std::uint16_t listenPort = 0;  // 0 = not listening
  unsigned loopThreads = 0;
  // Per loop thread, in loop order: the fraction (0..1) of the last whole
  // second the thread spent running callbacks rather than waiting for I/O.
  // Empty until the first second has passed.
  std::vector<double> loopBusy;
  // All traffic ever: every task, removed ones and earlier runs included
  // (kept in EngineConfig::stateDir; without one, since the engine started).
  TrafficCounters totalTraffic;
  // The bytes of each local day of the last kTrafficHistoryDays up to
  // trafficToday, oldest first; days without traffic are left out.
  // About 3 KB, so it is not sent every tick: see trafficDaysOmitted.
  std::vector<TrafficDay> trafficDays;
  // True when this update leaves trafficDays out (empty) because they are as
  // last sent: keep the last copy. A subscriber's first update always carries
  // them; after that they come when they changed, at most every
  // kTrafficDaysInterval, and at once when a new day begins.
  bool trafficDaysOmitted = false;
  // The local date the engine counts today's bytes into (days since
  // 1970-01-01). It follows the system clock, except that a sudden jump of
  // the clock is not believed until the new time has held for an hour.
  std::int32_t trafficToday = 0;
};

inline constexpr int kTrafficHistoryDays = 90;
// Today's bytes change on every tick of a busy engine; the chart of 90 days
// need not follow them faster than this.
inline constexpr std::chrono::milliseconds kTrafficDaysInterval{5000};

// Pushed to subscribers at every tick: the tasks that changed since the last
// update (all of them when `full`), the ones removed, and the global figures.
struct Update {
  std::uint64_t sequence = 0;
  bool full = false;
  std::vector<TaskSnapshot> tasks;
  std::vector<TaskId> removed;
  EngineStats stats;
};

// Discrete happenings, pushed as they occur (not coalesced).
struct Event {
  enum class Kind : std::uint8_t { Added, MetadataReceived, Completed, Failed, Removed };
  Kind kind = Kind::Added;
  TaskId task = kInvalidTaskId;
  ErrorCode error = ErrorCode::Ok;
  std::string message;
};

}  // namespace tributary
