#include "ui/bridge/BridgeConvert.h"

#include "ui/bridge/ErrorText.h"

namespace tributary::ui {

namespace {

Traffic toTraffic(const TrafficCounters& counters) {
  return Traffic{counters.bt, counters.http, counters.cdn, counters.shared};
}

// Spelled out so a new engine enumerator is a compile warning here, not a
// silently wrong cast.
TaskStatus toStatus(TaskState state) {
  switch (state) {
    case TaskState::Queued:
      return TaskStatus::Queued;
    case TaskState::Checking:
      return TaskStatus::Checking;
    case TaskState::FetchingMetadata:
      return TaskStatus::FetchingMetadata;
    case TaskState::Downloading:
      return TaskStatus::Downloading;
    case TaskState::Seeding:
      return TaskStatus::Seeding;
    case TaskState::Paused:
      return TaskStatus::Paused;
    case TaskState::Completed:
      return TaskStatus::Completed;
    case TaskState::Failed:
      return TaskStatus::Failed;
  }
  return TaskStatus::Queued;
}

ui::TaskKind toKind(tributary::TaskKind kind) {
  switch (kind) {
    case tributary::TaskKind::Http:
      return ui::TaskKind::Http;
    case tributary::TaskKind::Torrent:
      return ui::TaskKind::Torrent;
    case tributary::TaskKind::Magnet:
      return ui::TaskKind::Magnet;
  }
  return ui::TaskKind::Http;
}

TaskEventInfo::Kind toEventKind(Event::Kind kind) {
  switch (kind) {
    case Event::Kind::Added:
      return TaskEventInfo::Kind::Added;
    case Event::Kind::MetadataReceived:
      return TaskEventInfo::Kind::MetadataReceived;
    case Event::Kind::Completed:
      return TaskEventInfo::Kind::Completed;
    case Event::Kind::Failed:
      return TaskEventInfo::Kind::Failed;
    case Event::Kind::Removed:
      return TaskEventInfo::Kind::Removed;
  }
  return TaskEventInfo::Kind::Added;
}

}  // namespace

ui::SourcePolicy toSourcePolicy(const tributary::SourcePolicy& policy) {
  ui::SourcePolicy out;
  out.cdnByteCap = policy.cdnByteCap;
  switch (policy.preference) {
    case tributary::SourcePreference::Balanced:
      out.preference = ui::SourcePreference::Balanced;
      break;
    case tributary::SourcePreference::PreferP2P:
      out.preference = ui::SourcePreference::PreferP2P;
      break;
    case tributary::SourcePreference::PreferCdn:
      out.preference = ui::SourcePreference::PreferCdn;
      break;
  }
  return out;
}

tributary::SourcePolicy toEngineSourcePolicy(const ui::SourcePolicy& policy) {
  tributary::SourcePolicy out;
  out.cdnByteCap = policy.cdnByteCap;
  switch (policy.preference) {
    case ui::SourcePreference::Balanced:
      out.preference = tributary::SourcePreference::Balanced;
      break;
    case ui::SourcePreference::PreferP2P:
      out.preference = tributary::SourcePreference::PreferP2P;
      break;
    case ui::SourcePreference::PreferCdn:
      out.preference = tributary::SourcePreference::PreferCdn;
      break;
  }
  return out;
}

TaskRow toTaskRow(const TaskSnapshot& snapshot) {
  TaskRow row;
  row.id = snapshot.id;
  row.kind = toKind(snapshot.kind);
  row.status = toStatus(snapshot.state);
  row.name = QString::fromStdString(snapshot.name);
  row.saveDir = QString::fromStdString(snapshot.saveDir);
  row.source = QString::fromStdString(snapshot.source);
  row.totalBytes = snapshot.totalBytes;
  row.sizeKnown = snapshot.sizeKnown;
  row.verifiedBytes = snapshot.verifiedBytes;
  row.downloadRate = snapshot.downloadRate;
  row.uploadRate = snapshot.uploadRate;
  row.traffic = toTraffic(snapshot.traffic);
  row.seeds = snapshot.seeds;
  row.peers = snapshot.peers;
  row.addedAtUnix = snapshot.addedAtUnix;
  row.queuePosition = snapshot.queuePosition;
  row.sourcePolicy = toSourcePolicy(snapshot.sourcePolicy);
  row.errorText = ErrorText::describe(snapshot.error, snapshot.errorDetail);
  if (snapshot.torrent) {
    row.infoHash = QString::fromStdString(snapshot.torrent->infoHashHex);
  }
  return row;
}

GlobalStats toGlobalStats(const EngineStats& stats) {
  GlobalStats out;
  out.downloadRate = stats.downloadRate;
  out.uploadRate = stats.uploadRate;
  out.maxDownloadRate = stats.maxDownloadRate;
  out.maxUploadRate = stats.maxUploadRate;
  out.traffic = toTraffic(stats.traffic);
  out.dhtNodes = stats.dhtNodes;
  out.listenPort = stats.listenPort;
  out.totalTraffic = toTraffic(stats.totalTraffic);
  // The engine counts days from 1970-01-01; QDate from the Julian day 0.
  constexpr qint64 kJulianDayOfEpoch = 2'440'588;
  out.trafficDays.reserve(static_cast<qsizetype>(stats.trafficDays.size()));
  for (const TrafficDay& day : stats.trafficDays) {
    out.trafficDays.append(
        DayTraffic{QDate::fromJulianDay(kJulianDayOfEpoch + day.day), toTraffic(day.bytes)});
  }
  if (stats.trafficToday != 0) {
    out.trafficToday = QDate::fromJulianDay(kJulianDayOfEpoch + stats.trafficToday);
  }
  return out;
}

TaskEventInfo toTaskEventInfo(const Event& event) {
  TaskEventInfo info;
  info.kind = toEventKind(event.kind);
  info.task = event.task;
  info.errorText = ErrorText::describe(event.error);
  info.detail = QString::fromStdString(event.message);
  return info;
}

}  // namespace tributary::ui
