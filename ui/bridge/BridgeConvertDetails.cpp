// Engine values -> the details panel's values (TaskDetails). Enumerations are
// mapped case by case, so a new engine enumerator is a compile warning here
// rather than a silently wrong cast.
#include "ui/bridge/BridgeConvert.h"
#include "ui/bridge/ErrorText.h"

namespace tributary::ui {

namespace {

QString fromStd(const std::string& text) {
  return QString::fromStdString(text);
}

PeerTransport toTransport(PeerSnapshot::Transport transport) {
  switch (transport) {
    case PeerSnapshot::Transport::Tcp:
      return PeerTransport::Tcp;
    case PeerSnapshot::Transport::Utp:
      return PeerTransport::Utp;
    case PeerSnapshot::Transport::Web:
      return PeerTransport::Web;
  }
  return PeerTransport::Tcp;
}

PeerOrigin toOrigin(PeerSource source) {
  switch (source) {
    case PeerSource::Tracker:
      return PeerOrigin::Tracker;
    case PeerSource::Dht:
      return PeerOrigin::Dht;
    case PeerSource::Pex:
      return PeerOrigin::Pex;
    case PeerSource::Lsd:
      return PeerOrigin::Lsd;
    case PeerSource::Incoming:
      return PeerOrigin::Incoming;
    case PeerSource::WebSeed:
      return PeerOrigin::WebSeed;
    case PeerSource::Manual:
      return PeerOrigin::Manual;
  }
  return PeerOrigin::Manual;
}

TrackerStatus toTrackerStatus(TrackerSnapshot::Status status) {
  switch (status) {
    case TrackerSnapshot::Status::NotContacted:
      return TrackerStatus::NotContacted;
    case TrackerSnapshot::Status::Updating:
      return TrackerStatus::Updating;
    case TrackerSnapshot::Status::Working:
      return TrackerStatus::Working;
    case TrackerSnapshot::Status::Failed:
      return TrackerStatus::Failed;
    case TrackerSnapshot::Status::Disabled:
      return TrackerStatus::Disabled;
  }
  return TrackerStatus::NotContacted;
}

ui::SourceKind toSourceKind(tributary::SourceKind kind) {
  switch (kind) {
    case tributary::SourceKind::Bt:
      return ui::SourceKind::Bt;
    case tributary::SourceKind::Http:
      return ui::SourceKind::Http;
    case tributary::SourceKind::Cdn:
      return ui::SourceKind::Cdn;
  }
  return ui::SourceKind::Http;
}

SourceState toSourceState(SourceSnapshot::State state) {
  switch (state) {
    case SourceSnapshot::State::Connecting:
      return SourceState::Connecting;
    case SourceSnapshot::State::Active:
      return SourceState::Active;
    case SourceSnapshot::State::Idle:
      return SourceState::Idle;
    case SourceSnapshot::State::Dropped:
      return SourceState::Dropped;
  }
  return SourceState::Idle;
}

PeerInfo toPeerInfo(const PeerSnapshot& peer) {
  PeerInfo out;
  out.address = fromStd(peer.address);
  out.transport = toTransport(peer.transport);
  out.origin = toOrigin(peer.source);
  out.flags = fromStd(peer.flags);
  out.client = fromStd(peer.client);
  out.peerIdPrefix = fromStd(peer.peerIdPrefix);
  out.progress = peer.progress;
  out.downloadRate = peer.downloadRate;
  out.uploadRate = peer.uploadRate;
  out.downloaded = peer.downloaded;
  out.uploaded = peer.uploaded;
  out.relevance = peer.relevance;
  out.files = fromStd(peer.files);
  out.rttMs = peer.rttMs;
  out.hashFailures = peer.hashFailures;
  out.requestsOut = peer.requestsOut;
  out.requestsIn = peer.requestsIn;
  out.connectedAtUnix = peer.connectedAtUnix;
  return out;
}

TrackerInfo toTrackerInfo(const TrackerSnapshot& tracker) {
  TrackerInfo out;
  out.url = fromStd(tracker.url);
  out.tier = tracker.tier;
  out.status = toTrackerStatus(tracker.status);
  out.peers = tracker.peers;
  out.seeds = tracker.seeds;
  out.leechers = tracker.leechers;
  out.nextAnnounceUnix = tracker.nextAnnounceUnix;
  out.message = fromStd(tracker.message);
  return out;
}

FileInfo toFileInfo(const FileSnapshot& file) {
  return FileInfo{fromStd(file.path), file.size, file.doneBytes, file.priority, file.index};
}

SourceInfo toSourceInfo(const SourceSnapshot& source) {
  SourceInfo out;
  out.url = fromStd(source.url);
  out.kind = toSourceKind(source.kind);
  out.state = toSourceState(source.state);
  out.downloaded = source.downloaded;
  out.downloadRate = source.downloadRate;
  out.connections = source.connections;
  out.errorText = ErrorText::describe(source.error, source.errorDetail);
  return out;
}

TorrentInfo toTorrentInfo(const TorrentSnapshot& torrent) {
  TorrentInfo out;
  out.infoHashHex = fromStd(torrent.infoHashHex);
  out.pieceCount = torrent.pieceCount;
  out.pieceLength = torrent.pieceLength;
  out.piecesHave = torrent.piecesHave;
  out.comment = fromStd(torrent.comment);
  out.createdBy = fromStd(torrent.createdBy);
  out.isPrivate = torrent.isPrivate;
  out.wastedBytes = torrent.wastedBytes;
  out.pieceMap = QList<quint8>(torrent.pieceMap.begin(), torrent.pieceMap.end());
  out.peers.reserve(static_cast<qsizetype>(torrent.peers.size()));
  for (const PeerSnapshot& peer : torrent.peers) {
    out.peers.append(toPeerInfo(peer));
  }
  out.trackers.reserve(static_cast<qsizetype>(torrent.trackers.size()));
  for (const TrackerSnapshot& tracker : torrent.trackers) {
    out.trackers.append(toTrackerInfo(tracker));
  }
  out.files.reserve(static_cast<qsizetype>(torrent.files.size()));
  for (const FileSnapshot& file : torrent.files) {
    out.files.append(toFileInfo(file));
  }
  return out;
}

}  // namespace

TaskDetails toTaskDetails(const TaskSnapshot& snapshot) {
  TaskDetails details;
  details.task = toTaskRow(snapshot);
  details.sources.reserve(static_cast<qsizetype>(snapshot.sources.size()));
  for (const SourceSnapshot& source : snapshot.sources) {
    details.sources.append(toSourceInfo(source));
  }
  if (snapshot.torrent) {
    details.torrent = toTorrentInfo(*snapshot.torrent);
  }
  return details;
}

}  // namespace tributary::ui
