#include "engine/session/SessionState.h"

#include "engine/codec/Bencode.h"
#include "engine/storage/SealedFile.h"

namespace tributary::session {
namespace {

constexpr std::string_view kKind = "tributary-session";
// seedRatio is a double; kept as thousandths so the file stays integers.
constexpr double kRatioScale = 1000.0;

codec::BencodeNode stringList(const std::vector<std::string>& items) {
  codec::BencodeNode list = codec::BencodeNode::makeList();
  for (const std::string& item : items) {
    list.push(item);
  }
  return list;
}

codec::BencodeNode encodeTask(const SavedTask& task) {
  const AddParams& p = task.params;
  codec::BencodeNode d = codec::BencodeNode::makeDict();
  d.set("source", p.source);
  d.set("dir", p.saveDir);
  if (!p.mirrors.empty()) {
    d.set("mirrors", stringList(p.mirrors));
  }
  if (!p.alsoFrom.empty()) {
    d.set("also-from", p.alsoFrom);  // absent in files from before it existed
  }
  if (!p.peers.empty()) {
    d.set("peers", stringList(p.peers));
  }
  if (!p.caCertFile.empty()) {
    d.set("ca", p.caCertFile);
  }
  if (!p.userAgent.empty()) {
    d.set("agent", p.userAgent);
  }
  if (!p.referer.empty()) {
    d.set("referer", p.referer);
  }
  if (p.checksum) {
    d.set("checksum",
          std::string(p.checksum->algorithm == Checksum::Algorithm::Sha1 ? "sha1:" : "sha256:") +
              p.checksum->hex);
  }
  d.set("connections", static_cast<std::int64_t>(p.connections));
  d.set("down", static_cast<std::int64_t>(p.maxDownloadRate));
  d.set("up", static_cast<std::int64_t>(p.maxUploadRate));
  d.set("seed-time", static_cast<std::int64_t>(p.seedTime.count()));
  d.set("seed-ratio", static_cast<std::int64_t>(p.seedRatio * kRatioScale + 0.5));
  if (!p.filePriorities.empty()) {
    d.set("priorities", std::string(p.filePriorities.begin(), p.filePriorities.end()));
  }
  d.set("paused", static_cast<std::int64_t>(p.startPaused ? 1 : 0));
  d.set("metadata-stop", static_cast<std::int64_t>(p.stopAfterMetadata ? 1 : 0));
  if (p.sourcePolicy != SourcePolicy{}) {  // absent in files from before it existed
    d.set("source-preference", static_cast<std::int64_t>(p.sourcePolicy.preference));
    d.set("cdn-cap", static_cast<std::int64_t>(p.sourcePolicy.cdnByteCap));
  }
  d.set("added", task.addedAtUnix);
  d.set("finished", static_cast<std::int64_t>(task.finished ? 1 : 0));
  if (!task.fileName.empty()) {
    d.set("file", task.fileName);
    d.set("size", static_cast<std::int64_t>(task.totalBytes));
  }
  codec::BencodeNode traffic = codec::BencodeNode::makeDict();
  traffic.set("bt", static_cast<std::int64_t>(task.traffic.bt));
  traffic.set("http", static_cast<std::int64_t>(task.traffic.http));
  traffic.set("cdn", static_cast<std::int64_t>(task.traffic.cdn));
  traffic.set("shared", static_cast<std::int64_t>(task.traffic.shared));
  d.set("traffic", std::move(traffic));
  return d;
}

// Integers that must not be negative (sizes, rates, counters): a negative one
// reads as 0, as if absent.
std::uint64_t unsignedOr0(const codec::BencodeValue& dict, std::string_view key) {
  const std::optional<std::int64_t> v = dict.findInteger(key);
  return v && *v > 0 ? static_cast<std::uint64_t>(*v) : 0;
}

std::vector<std::string> readStrings(const codec::BencodeValue& dict, std::string_view key) {
  std::vector<std::string> out;
  for (const codec::BencodeValue item : dict.findList(key).items()) {
    if (const auto text = item.asString()) {
      out.emplace_back(*text);
    }
  }
  return out;
}

std::optional<SavedTask> decodeTask(const codec::BencodeValue& d) {
  if (!d.isDict()) {
    return std::nullopt;
  }
  SavedTask task;
  AddParams& p = task.params;
  p.source = std::string(d.findString("source").value_or(""));
  p.saveDir = std::string(d.findString("dir").value_or(""));
  if (p.source.empty() || p.saveDir.empty()) {
    return std::nullopt;
  }
  p.mirrors = readStrings(d, "mirrors");
  p.alsoFrom = std::string(d.findString("also-from").value_or(""));
  p.peers = readStrings(d, "peers");
  p.caCertFile = std::string(d.findString("ca").value_or(""));
  p.userAgent = std::string(d.findString("agent").value_or(""));
  p.referer = std::string(d.findString("referer").value_or(""));
  if (const auto checksum = d.findString("checksum")) {
    const std::size_t colon = checksum->find(':');
    if (colon != std::string_view::npos) {
      const std::string_view algorithm = checksum->substr(0, colon);
      if (algorithm == "sha1" || algorithm == "sha256") {
        p.checksum =
            Checksum{algorithm == "sha1" ? Checksum::Algorithm::Sha1 : Checksum::Algorithm::Sha256,
                     std::string(checksum->substr(colon + 1))};
      }
    }
  }
  const std::uint64_t connections = unsignedOr0(d, "connections");
  p.connections = connections >= 1 && connections <= 64 ? static_cast<unsigned>(connections) : 8;
  p.maxDownloadRate = unsignedOr0(d, "down");
  p.maxUploadRate = unsignedOr0(d, "up");
  // An unknown preference (a newer version's) reads as the default.
  const std::uint64_t preference = unsignedOr0(d, "source-preference");
  p.sourcePolicy.preference = preference <= static_cast<std::uint64_t>(SourcePreference::PreferCdn)
                                  ? static_cast<SourcePreference>(preference)
                                  : SourcePreference::Balanced;
  p.sourcePolicy.cdnByteCap = unsignedOr0(d, "cdn-cap");
  p.seedTime = std::chrono::seconds(
      static_cast<std::int64_t>(std::min<std::uint64_t>(unsignedOr0(d, "seed-time"), 1u << 31)));
  p.seedRatio =
      static_cast<double>(std::min<std::uint64_t>(unsignedOr0(d, "seed-ratio"), 1'000'000'000)) /
      kRatioScale;
  if (const auto priorities = d.findString("priorities")) {
    for (const char c : *priorities) {
      p.filePriorities.push_back(static_cast<std::uint8_t>(std::min<unsigned char>(c, 2)));
    }
  }
  p.startPaused = unsignedOr0(d, "paused") != 0;
  p.stopAfterMetadata = unsignedOr0(d, "metadata-stop") != 0;
  task.addedAtUnix = d.findInteger("added").value_or(0);
  task.finished = unsignedOr0(d, "finished") != 0;
  // A plain name only: the file is looked for (and may be deleted) in saveDir.
  const std::string_view file = d.findString("file").value_or("");
  if (file != "." && file != ".." &&
      file.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos) {
    task.fileName = std::string(file);
    task.totalBytes = unsignedOr0(d, "size");
  }
  const codec::BencodeValue traffic = d.findDict("traffic");
  task.traffic.bt = unsignedOr0(traffic, "bt");
  task.traffic.http = unsignedOr0(traffic, "http");
  task.traffic.cdn = unsignedOr0(traffic, "cdn");
  task.traffic.shared = unsignedOr0(traffic, "shared");
  return task;
}

Error damaged(std::string detail) {
  return Error{ErrorCode::InvalidArgument, "session state: " + std::move(detail)};
}

}  // namespace

std::string encodeSessionState(const SessionState& state) {
  codec::BencodeNode root = codec::BencodeNode::makeDict();
  root.set("v", static_cast<std::int64_t>(kSessionStateVersion));
  codec::BencodeNode tasks = codec::BencodeNode::makeList();
  for (const SavedTask& task : state.tasks) {
    tasks.push(encodeTask(task));
  }
  root.set("tasks", std::move(tasks));
  return storage::seal(kKind, kSessionStateVersion, root.encode());
}

Result<SessionState> decodeSessionState(std::string_view bytes) {
  if (bytes.size() > kMaxSessionStateBytes) {
    return damaged("file too large");
  }
  Result<storage::Unsealed> unsealed = storage::unseal(bytes, kKind, kSessionStateVersion);
  if (!unsealed) {
    return unsealed.error();
  }
  codec::BencodeLimits limits;
  limits.maxDepth = 8;
  Result<codec::BencodeDocument> document = codec::decodeBencode(unsealed.value().body, limits);
  if (!document) {
    return damaged(document.error().detail);
  }
  const codec::BencodeValue root = document.value().root();
  const codec::BencodeValue tasks = root.findList("tasks");
  if (!root.isDict() || !tasks) {
    return damaged("no task list");
  }
  if (tasks.size() > kMaxSavedTasks) {
    return damaged("too many tasks");
  }
  SessionState state;
  state.tasks.reserve(tasks.size());
  for (const codec::BencodeValue item : tasks.items()) {
    if (std::optional<SavedTask> task = decodeTask(item)) {
      state.tasks.push_back(std::move(*task));
    } else {
      ++state.skipped;
    }
  }
  return state;
}

}  // namespace tributary::session
