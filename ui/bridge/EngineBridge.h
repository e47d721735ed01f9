// Public to ui/: the one QObject between the engine and the GUI (DESIGN.md,
// "The shape"). Commands go straight into the engine, which never blocks;
// state comes back from engine threads and is re-emitted as queued signals on
// the thread that owns the bridge (the GUI thread). This header names no engine
// type, so models and widgets that include it never see engine/api.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/TaskDetails.h"

namespace tributary {
class Engine;
struct EngineConfig;
}  // namespace tributary

namespace tributary::ui {

class SnapshotCache;
class UpdateInbox;

class EngineBridge : public QObject {
  Q_OBJECT

 public:
  // Starts the real engine. If it cannot start, the bridge still exists and
  // every command reports that the engine is not running.
  explicit EngineBridge(const tributary::EngineConfig& config, QObject* parent = nullptr);
  // Takes an engine made elsewhere (tests pass a FakeEngine).
  explicit EngineBridge(std::unique_ptr<tributary::Engine> engine, QObject* parent = nullptr);
  // Stops the engine first, so no engine callback can run into a dead bridge.
  ~EngineBridge() override;

  bool hasEngine() const { return engine_ != nullptr; }

  // Returns the new task's id, or a translated reason it was refused. Network
  // and disk problems arrive later, as a Failed taskEvent.
  AddResult addSource(const QString& source, const QString& saveDir,
                      const tributary::ui::AddOptions& options = {});

  // The latest details of task `id` as last pushed by the engine, read from
  // the bridge's own copy (it never waits on the engine); nullopt for a task
  // that is unknown or gone.
  std::optional<TaskDetails> taskDetails(quint64 id) const;
  // Which task's details taskDetailsUpdated follows (0 = none). Details cost
  // a conversion of every peer, so only the task on screen gets them.
  void watchDetails(quint64 id) { detailsTask_ = id; }
  quint64 watchedDetails() const { return detailsTask_; }

 public slots:
  void pause(quint64 id);
  void resume(quint64 id);
  void remove(quint64 id, bool deleteFiles);
  void pauseAll();
  void resumeAll();
  // Bytes per second; 0 means unlimited.
  void setGlobalLimits(quint64 maxDownloadRate, quint64 maxUploadRate);
  // One entry per file of a torrent, in its order: 0 = skip, 1 = normal,
  // 2 = high (Engine::setFilePriorities).
  void setFilePriorities(quint64 id, const QList<quint8>& priorities);
  // Bytes per second; 0 means unlimited.
  void setTaskLimits(quint64 id, quint64 maxDownloadRate, quint64 maxUploadRate);
  // A torrent's data hashed again (Engine::recheck).
  void recheck(quint64 id);
  // A torrent's files moved to, or found in, `dir` (Engine::setLocation).
  void setLocation(quint64 id, const QString& dir);
  // A torrent's or magnet's share between swarm and web seeds, and its CDN
  // byte cap, 0 = none (Engine::setSourcePolicy); live, kept with the task.
  void setSourcePolicy(quint64 id, tributary::ui::SourcePreference preference, quint64 cdnCapBytes);
  // The download queue (Engine::moveInQueue, Engine::setMaxActiveDownloads):
  // a finished task does not move; 0 active downloads means no limit.
  void moveInQueue(quint64 id, tributary::ui::QueueMove move);
  void setMaxActiveDownloads(unsigned maxActive);

 signals:
  // `changed` holds the latest row of every task that changed since the last
  // emission; when `full` it holds every task and any other row is gone.
  void tasksUpdated(const QList<tributary::ui::TaskRow>& changed, const QList<quint64>& removed,
                    bool full);
  void statsUpdated(const tributary::ui::GlobalStats& stats);
  void taskEvent(const tributary::ui::TaskEventInfo& event);
  // After tasksUpdated, when the watched task was among the changed ones.
  void taskDetailsUpdated(const tributary::ui::TaskDetails& details);

 private:
  void subscribe();
  void scheduleDrain();
  void drain();

  // Declared before engine_ so it outlives it: engine callbacks write into it.
  std::unique_ptr<UpdateInbox> inbox_;
  std::unique_ptr<tributary::Engine> engine_;
  std::uint64_t subscription_ = 0;
  std::unique_ptr<SnapshotCache> cache_;  // GUI thread only
  quint64 detailsTask_ = 0;
  // The engine sends the traffic history's days only when they changed
  // (EngineStats::trafficDaysOmitted): the last copy, for the updates without.
  QList<DayTraffic> trafficDays_;
};

}  // namespace tributary::ui
