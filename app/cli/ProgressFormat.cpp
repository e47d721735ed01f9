#include "app/cli/ProgressFormat.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "app/cli/JsonLine.h"

namespace tributary::cli {
namespace {

std::string displayName(const TaskSnapshot& task) {
  return task.name.empty() ? task.source : task.name;
}

std::string permilleText(unsigned value) {
  return std::to_string(value / 10) + "." + std::to_string(value % 10);
}

// Three decimals, built from integers: printf's %f would follow the locale's
// decimal comma, which is not JSON.
std::string loopsJson(const std::vector<double>& loopBusy) {
  std::string out = "[";
  for (const double busy : loopBusy) {
    const auto permille = static_cast<unsigned>(std::clamp(busy, 0.0, 1.0) * 1000.0 + 0.5);
    const std::string fraction = std::to_string(1000 + permille % 1000).substr(1);  // 3 digits
    out += (out.size() > 1 ? "," : "") + std::to_string(permille / 1000) + "." + fraction;
  }
  return out + "]";
}

std::string trafficJson(const TrafficCounters& traffic) {
  return JsonLine()
      .number("bt", traffic.bt)
      .number("http", traffic.http)
      .number("cdn", traffic.cdn)
      .number("shared", traffic.shared)
      .str();
}

std::string_view sourceStateName(SourceSnapshot::State state) {
  switch (state) {
    case SourceSnapshot::State::Connecting:
      return "connecting";
    case SourceSnapshot::State::Active:
      return "active";
    case SourceSnapshot::State::Idle:
      return "idle";
    case SourceSnapshot::State::Dropped:
      return "dropped";
  }
  return "unknown";
}

std::string_view taskKindName(TaskKind kind) {
  switch (kind) {
    case TaskKind::Http:
      return "http";
    case TaskKind::Torrent:
      return "torrent";
    case TaskKind::Magnet:
      return "magnet";
  }
  return "unknown";
}

std::string plural(std::uint64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

// Connections to HTTP(S) sources of a torrent: its web seeds and origin URL.
unsigned webConnections(const TaskSnapshot& task) {
  unsigned count = 0;
  for (const auto& source : task.sources) {
    count += source.kind == SourceKind::Bt ? 0 : source.connections;
  }
  return count;
}

// A swarm has two directions and counts peers, not connections; a seed has no ETA.
std::string torrentLine(const TaskSnapshot& task, std::string line) {
  line += ", down " + formatBytes(task.downloadRate) + "/s";
  line += ", up " + formatBytes(task.uploadRate) + "/s";
  if (task.state == TaskState::Seeding) {
    line += ", shared " + formatBytes(task.traffic.shared);
  } else {
    line += ", ETA " + formatDuration(etaSeconds(task));
  }
  line +=
      ", " + plural(task.peers, "peer", "peers") + " (" + plural(task.seeds, "seed", "seeds") + ")";
  if (const unsigned web = webConnections(task); web > 0) {
    line += ", " + plural(web, "web connection", "web connections");
  }
  return line + " [" + std::string(taskStateName(task.state)) + "]";
}

std::string sourcesJson(const TaskSnapshot& task) {
  std::string out = "[";
  for (const auto& source : task.sources) {
    if (out.size() > 1) {
      out += ',';
    }
    JsonLine line;
    line.string("url", source.url)
        .string("kind", sourceKindName(source.kind))
        .string("state", sourceStateName(source.state))
        .number("downloaded", source.downloaded)
        .number("download_rate", source.downloadRate)
        .number("connections", source.connections);
    if (source.state == SourceSnapshot::State::Dropped) {
      line.string("error", source.errorDetail);  // why: a script can show it
    }
    out += line.str();
  }
  return out + "]";
}

// What only a torrent has; null for other tasks.
std::string torrentJson(const TaskSnapshot& task) {
  if (!task.torrent) {
    return "null";
  }
  const TorrentSnapshot& t = *task.torrent;
  return JsonLine()
      .string("info_hash", t.infoHashHex)
      .number("pieces", t.pieceCount)
      .number("pieces_have", t.piecesHave)
      .number("piece_length", t.pieceLength)
      .number("wasted", t.wastedBytes)
      .str();
}

}  // namespace

std::string_view taskStateName(TaskState state) {
  switch (state) {
    case TaskState::Queued:
      return "queued";
    case TaskState::Checking:
      return "checking";
    case TaskState::FetchingMetadata:
      return "fetching_metadata";
    case TaskState::Downloading:
      return "downloading";
    case TaskState::Seeding:
      return "seeding";
    case TaskState::Paused:
      return "paused";
    case TaskState::Completed:
      return "completed";
    case TaskState::Failed:
      return "failed";
  }
  return "unknown";
}

std::string_view sourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::Bt:
      return "bt";
    case SourceKind::Http:
      return "http";
    case SourceKind::Cdn:
      return "cdn";
  }
  return "unknown";
}

std::string formatBytes(std::uint64_t bytes) {
  constexpr std::array kUnits{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) {
    return std::to_string(bytes) + " B";
  }
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string formatDuration(std::optional<std::uint64_t> seconds) {
  if (!seconds) {
    return "--";
  }
  char text[48];
  std::snprintf(text, sizeof text, "%llu:%02u:%02u",
                static_cast<unsigned long long>(*seconds / 3600),
                static_cast<unsigned>(*seconds / 60 % 60), static_cast<unsigned>(*seconds % 60));
  return text;
}

std::optional<unsigned> permille(const TaskSnapshot& task) {
  if (!task.sizeKnown) {
    return std::nullopt;
  }
  if (task.totalBytes == 0 || task.verifiedBytes >= task.totalBytes) {
    return 1000;
  }
  // Long double keeps the ratio exact enough for sizes far beyond 2^53 bytes.
  const auto ratio = static_cast<long double>(task.verifiedBytes) / task.totalBytes;
  return static_cast<unsigned>(ratio * 1000);
}

std::optional<std::uint64_t> etaSeconds(const TaskSnapshot& task) {
  if (!task.sizeKnown) {
    return std::nullopt;
  }
  if (task.verifiedBytes >= task.totalBytes) {
    return 0;
  }
  if (task.downloadRate == 0) {
    return std::nullopt;
  }
  const std::uint64_t left = task.totalBytes - task.verifiedBytes;
  return left / task.downloadRate + (left % task.downloadRate != 0 ? 1 : 0);
}

unsigned connectionCount(const TaskSnapshot& task) {
  unsigned count = 0;
  bool listsBt = false;
  for (const auto& source : task.sources) {
    count += source.connections;
    listsBt = listsBt || source.kind == SourceKind::Bt;
  }
  return listsBt ? count : count + task.peers;
}

std::string progressLine(const TaskSnapshot& task) {
  std::string line = displayName(task) + ": ";
  if (const auto done = permille(task)) {
    line += permilleText(*done) + "% of " + formatBytes(task.totalBytes);
  } else {
    line += formatBytes(task.verifiedBytes) + " of unknown size";
  }
  if (isTorrent(task)) {
    return torrentLine(task, std::move(line));
  }
  line += ", " + formatBytes(task.downloadRate) + "/s";
  line += ", ETA " + formatDuration(etaSeconds(task));
  line += ", " + std::to_string(connectionCount(task)) + " connections";
  line += " [" + std::string(taskStateName(task.state)) + "]";
  return line;
}

std::string doneLine(const TaskSnapshot& task) {
  const auto& t = task.traffic;
  return displayName(task) + ": done, " + formatBytes(task.verifiedBytes) + " (http " +
         formatBytes(t.http) + ", cdn " + formatBytes(t.cdn) + ", bt " + formatBytes(t.bt) +
         ", shared " + formatBytes(t.shared) + ")";
}

bool isTorrent(const TaskSnapshot& task) {
  return task.kind != TaskKind::Http || task.torrent.has_value();
}

std::string progressJson(const TaskSnapshot& task, const std::vector<double>& loopBusy) {
  JsonLine json;
  json.string("type", "progress")
      .number("id", task.id)
      .string("kind", taskKindName(task.kind))
      .string("name", displayName(task))
      .string("state", taskStateName(task.state));
  if (task.sizeKnown) {
    json.number("total", task.totalBytes);
  } else {
    json.null("total");
  }
  json.number("verified", task.verifiedBytes);
  if (const auto done = permille(task)) {
    json.raw("percent", permilleText(*done));
  } else {
    json.null("percent");
  }
  json.number("download_rate", task.downloadRate).number("upload_rate", task.uploadRate);
  if (const auto eta = etaSeconds(task)) {
    json.number("eta", *eta);
  } else {
    json.null("eta");
  }
  return json.number("connections", connectionCount(task))
      .number("peers", task.peers)
      .number("seeds", task.seeds)
      .raw("traffic", trafficJson(task.traffic))
      .raw("sources", sourcesJson(task))
      .raw("torrent", torrentJson(task))
      .raw("loops", loopsJson(loopBusy))
      .str();
}

std::string doneJson(const TaskSnapshot& task) {
  return JsonLine()
      .string("type", "done")
      .number("id", task.id)
      .string("kind", taskKindName(task.kind))
      .string("name", displayName(task))
      .number("total", task.verifiedBytes)
      .raw("traffic", trafficJson(task.traffic))
      .raw("torrent", torrentJson(task))
      .str();
}

std::string errorJson(TaskId task, std::string_view source, std::string_view codeName,
                      std::string_view message) {
  JsonLine json;
  json.string("type", "error");
  if (task == kInvalidTaskId) {
    json.null("id");  // add() refused the source: there is no task
  } else {
    json.number("id", task);
  }
  return json.string("source", source).string("code", codeName).string("message", message).str();
}

}  // namespace tributary::cli
