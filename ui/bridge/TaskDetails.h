// Public to ui/: what the details panel shows of one task (peers, trackers,
// files, HTTP sources, torrent facts), as Qt values. The bridge builds these
// only for the task the panel asks about, so a long list of busy torrents
// does not pay for peer lists nobody is looking at.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QtGlobal>
#include <optional>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

// How a peer is reached: a BitTorrent connection over TCP or uTP, or an HTTP
// web seed standing in the peer list.
enum class PeerTransport : quint8 { Tcp, Utp, Web };

// How a peer was found (the peer list's source column).
enum class PeerOrigin : quint8 { Tracker, Dht, Pex, Lsd, Incoming, WebSeed, Manual };

struct PeerInfo {
  QString address;  // "1.2.3.4:6881", "[::1]:6881", or a web seed's URL; the row's key
  PeerTransport transport = PeerTransport::Tcp;
  PeerOrigin origin = PeerOrigin::Tracker;
  QString flags;  // qBittorrent's legend letters, e.g. "DUI"
  QString client;
  QString peerIdPrefix;
  double progress = 0;  // 0..1
  quint64 downloadRate = 0;
  quint64 uploadRate = 0;
  quint64 downloaded = 0;
  quint64 uploaded = 0;
  double relevance = 0;  // 0..1
  QString files;
  quint32 rttMs = 0;  // 0 = not measured yet
  quint32 hashFailures = 0;
  quint32 requestsOut = 0;
  quint32 requestsIn = 0;
  qint64 connectedAtUnix = 0;

  bool operator==(const PeerInfo&) const = default;
};

enum class TrackerStatus : quint8 { NotContacted, Updating, Working, Failed, Disabled };

struct TrackerInfo {
  QString url;  // the row's key
  quint32 tier = 0;
  TrackerStatus status = TrackerStatus::NotContacted;
  quint32 peers = 0;
  qint64 seeds = -1;  // -1: the tracker did not say
  qint64 leechers = -1;
  qint64 nextAnnounceUnix = 0;  // 0 = none planned
  QString message;              // untrusted text from the tracker: show as plain text only

  bool operator==(const TrackerInfo&) const = default;
};

struct FileInfo {
  QString path;  // relative to the save folder; the row's key
  quint64 size = 0;
  quint64 doneBytes = 0;
  quint8 priority = 1;  // 0 = skip, 1 = normal, 2 = high
  // In the torrent's file list, padding files included: what priorities are
  // counted by (the list shown leaves padding files out).
  quint32 index = 0;

  bool operator==(const FileInfo&) const = default;
};

enum class SourceKind : quint8 { Bt, Http, Cdn };
enum class SourceState : quint8 { Connecting, Active, Idle, Dropped };

// One HTTP origin or CDN mirror feeding a task.
struct SourceInfo {
  QString url;  // the row's key
  SourceKind kind = SourceKind::Http;
  SourceState state = SourceState::Idle;
  quint64 downloaded = 0;
  quint64 downloadRate = 0;
  quint32 connections = 0;
  QString errorText;  // translated; why it was dropped

  bool operator==(const SourceInfo&) const = default;
};

// What only a torrent (or a magnet once its metadata arrived) has.
struct TorrentInfo {
  QString infoHashHex;
  quint32 pieceCount = 0;
  quint64 pieceLength = 0;
  quint32 piecesHave = 0;
  QString comment;    // untrusted: show as plain text only
  QString createdBy;  // untrusted as well
  bool isPrivate = false;
  quint64 wastedBytes = 0;
  QList<quint8> pieceMap;
  QList<PeerInfo> peers;
  QList<TrackerInfo> trackers;
  QList<FileInfo> files;

  bool operator==(const TorrentInfo&) const = default;
};

struct TaskDetails {
  TaskRow task;
  QList<SourceInfo> sources;
  std::optional<TorrentInfo> torrent;  // torrent and magnet tasks
};

}  // namespace tributary::ui

Q_DECLARE_METATYPE(tributary::ui::TaskDetails)
