// Public to ui/: the Qt value types the bridge delivers. Models and widgets see
// these only, never engine/api, so the engine can change without touching them.
#pragma once

#include <QDate>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace tributary::ui {

enum class TaskKind : quint8 { Http, Torrent, Magnet };

enum class TaskStatus : quint8 {
  Queued,
  Checking,
  FetchingMetadata,
  Downloading,
  Seeding,
  Paused,
  Completed,
  Failed,
};

// Bytes by where they came from (DESIGN.md, "Sources"); `shared` is uploaded.
struct Traffic {
  quint64 bt = 0;
  quint64 http = 0;
  quint64 cdn = 0;
  quint64 shared = 0;

  quint64 downloaded() const { return bt + http + cdn; }
  bool operator==(const Traffic&) const = default;
};

// How a torrent shares its pieces between its swarm and its web seeds (CDN
// mirrors, url-list, its origin URL): engine/api SourcePreference, whose
// comments say what each one does.
enum class SourcePreference : quint8 { Balanced, PreferP2P, PreferCdn };

struct SourcePolicy {
  SourcePreference preference = SourcePreference::Balanced;
  quint64 cdnByteCap = 0;  // bytes from CDN web seeds and mirrors; 0 = no cap

  bool operator==(const SourcePolicy&) const = default;
};

// One task at one tick. Figures the engine does not know yet stay at their
// "unknown" value (sizeKnown false, addedAtUnix 0) so views can leave them blank.
struct TaskRow {
  quint64 id = 0;
  TaskKind kind = TaskKind::Http;
  TaskStatus status = TaskStatus::Queued;
  QString name;
  QString saveDir;
  QString source;
  quint64 totalBytes = 0;
  bool sizeKnown = false;
  quint64 verifiedBytes = 0;
  quint64 downloadRate = 0;  // bytes/s
  quint64 uploadRate = 0;
  Traffic traffic;
  quint32 seeds = 0;
  quint32 peers = 0;
  qint64 addedAtUnix = 0;  // 0 = unknown
  QString errorText;       // translated; empty unless the task failed
  QString infoHash;        // torrents: the v1 info-hash in hex; empty otherwise
  // 1-based place in the download queue; 0 for a finished (seeding,
  // completed) task, which has none.
  quint32 queuePosition = 0;
  SourcePolicy sourcePolicy;  // torrent and magnet tasks; HTTP tasks keep the default
};

// One local day of the engine's traffic history (the Traffic window).
struct DayTraffic {
  QDate date;
  Traffic bytes;

  bool operator==(const DayTraffic&) const = default;
};

struct GlobalStats {
  quint64 downloadRate = 0;  // bytes/s, all tasks
  quint64 uploadRate = 0;
  quint64 maxDownloadRate = 0;  // 0 = unlimited
  quint64 maxUploadRate = 0;
  Traffic traffic;  // since the engine started
  quint32 dhtNodes = 0;
  quint16 listenPort = 0;  // 0 = not listening
  // All traffic ever, removed tasks and earlier runs included.
  Traffic totalTraffic;
  // The days of the last 90 (up to trafficToday) that carried traffic, oldest first.
  QList<DayTraffic> trafficDays;
  QDate trafficToday;  // the engine's "today"; invalid before its first figures
};

struct TaskEventInfo {
  enum class Kind : quint8 { Added, MetadataReceived, Completed, Failed, Removed };
  Kind kind = Kind::Added;
  quint64 task = 0;
  QString errorText;  // translated; set for Failed
  QString detail;     // the engine's untranslated message, may be empty
};

// EngineBridge::moveInQueue: one place up (towards the front) or down, or to an end.
enum class QueueMove : quint8 { Up, Down, Top, Bottom };

// Optional parts of an add command; the source and the folder are always given.
struct AddOptions {
  QStringList mirrors;
  bool startPaused = false;
  // A torrent's files in its order (TorrentPreview::files): 0 = skip, 1 =
  // normal, 2 = high; empty or missing entries mean normal.
  QList<quint8> filePriorities;
  // A magnet link: once its metadata is in, the task pauses with its files
  // known and nothing written, so they can be chosen (MagnetFileChooser);
  // resume() then starts it. Other sources ignore it.
  bool stopAfterMetadata = false;
  // Connections an http(s) download opens to its sources at once, 1 to
  // kMaxConnections; 0 leaves the engine's default. Torrents ignore it.
  static constexpr unsigned kMaxConnections = 64;
  static constexpr unsigned kDefaultConnections = 8;
  unsigned connections = 0;
  // "Also download from" (AddParams::alsoFrom): the same content from the
  // other kind of source, in the same task: an http(s) URL beside a torrent
  // or magnet, a .torrent path or magnet beside a URL. Empty = none.
  QString alsoFrom;
  // Torrents and magnets (AddParams::sourcePolicy); HTTP downloads ignore it.
  SourcePolicy sourcePolicy;
};

// What addSource returns: the new task's id, or why it was refused (translated).
struct AddResult {
  quint64 id = 0;
  QString error;

  bool ok() const { return id != 0; }
};

// Queued connections copy arguments through the meta-type system; call once
// before connecting across threads (EngineBridge does it in its constructor).
void registerBridgeMetaTypes();

}  // namespace tributary::ui

Q_DECLARE_METATYPE(tributary::ui::TaskRow)
Q_DECLARE_METATYPE(tributary::ui::GlobalStats)
Q_DECLARE_METATYPE(tributary::ui::TaskEventInfo)
