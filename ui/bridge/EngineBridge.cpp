#include "ui/bridge/EngineBridge.h"

#include <QDir>
#include <QMetaObject>
#include <utility>

#include "engine/api/Engine.h"
#include "ui/bridge/BridgeConvert.h"
#include "ui/bridge/ErrorText.h"
#include "ui/bridge/SnapshotCache.h"
#include "ui/bridge/UpdateInbox.h"

namespace tributary::ui {

EngineBridge::EngineBridge(const tributary::EngineConfig& config, QObject* parent)
    : EngineBridge(tributary::Engine::create(config), parent) {}

EngineBridge::EngineBridge(std::unique_ptr<tributary::Engine> engine, QObject* parent)
    : QObject(parent),
      inbox_(std::make_unique<UpdateInbox>()),
      engine_(std::move(engine)),
      cache_(std::make_unique<SnapshotCache>()) {
  registerBridgeMetaTypes();
  subscribe();
}

EngineBridge::~EngineBridge() {
  if (engine_) {
    // unsubscribe waits for a callback already running; destroying the engine
    // joins its threads. After this nothing can post into this object, and
    // ~QObject discards a drain that was posted but not yet run.
    engine_->unsubscribe(subscription_);
    engine_.reset();
  }
}

void EngineBridge::subscribe() {
  if (!engine_) {
    return;
  }
  // The callbacks capture `this` although they run on engine threads: the
  // bridge owns the engine and unsubscribes and destroys it before any member
  // goes away, so `this` outlives every call. They only copy into the inbox.
  subscription_ = engine_->subscribe(
      [this](const Update& update) {
        if (inbox_->push(update)) {
          scheduleDrain();
        }
      },
      [this](const Event& event) {
        if (inbox_->push(event)) {
          scheduleDrain();
        }
      });
}

void EngineBridge::scheduleDrain() {
  // Posts to the thread that owns the bridge; the inbox guarantees at most one
  // such message is in flight however fast the engine pushes.
  QMetaObject::invokeMethod(this, &EngineBridge::drain, Qt::QueuedConnection);
}

void EngineBridge::drain() {
  UpdateInbox::Batch batch = inbox_->take();
  if (batch.full || !batch.tasks.empty() || !batch.removed.empty()) {
    QList<TaskRow> changed;
    changed.reserve(static_cast<qsizetype>(batch.tasks.size()));
    std::optional<TaskDetails> watched;
    for (const TaskSnapshot& task : batch.tasks) {
      changed.append(toTaskRow(task));
      if (detailsTask_ != 0 && task.id == detailsTask_) {
        watched = toTaskDetails(task);
      }
    }
    QList<quint64> removed;
    removed.reserve(static_cast<qsizetype>(batch.removed.size()));
    for (TaskId id : batch.removed) {
      removed.append(id);
    }
    // Before any emission, so a slot that asks for details sees this batch.
    cache_->apply(batch.full, std::move(batch.tasks), batch.removed);
    emit tasksUpdated(changed, removed, batch.full);
    if (watched) {
      emit taskDetailsUpdated(*watched);
    }
  }
  if (batch.stats) {
    GlobalStats stats = toGlobalStats(*batch.stats);
    if (batch.stats->trafficDaysOmitted) {
      stats.trafficDays = trafficDays_;  // shared, not copied
    } else {
      trafficDays_ = stats.trafficDays;
    }
    emit statsUpdated(stats);
  }
  // After the rows, so a slot reacting to an event finds the task's row.
  for (const Event& event : batch.events) {
    emit taskEvent(toTaskEventInfo(event));
  }
}

std::optional<TaskDetails> EngineBridge::taskDetails(quint64 id) const {
  const TaskSnapshot* snapshot = cache_->find(id);
  if (!snapshot) {
    return std::nullopt;
  }
  return toTaskDetails(*snapshot);
}

AddResult EngineBridge::addSource(const QString& source, const QString& saveDir,
                                  const AddOptions& options) {
  if (!engine_) {
    return AddResult{0, tr("The download engine is not running.")};
  }
  const QString trimmed = source.trimmed();
  if (trimmed.isEmpty()) {
    return AddResult{0, tr("Enter a URL, a magnet link or a .torrent file.")};
  }
  AddParams params;
  params.source = trimmed.toStdString();
  params.saveDir = saveDir.toStdString();
  for (const QString& mirror : options.mirrors) {
    params.mirrors.push_back(mirror.trimmed().toStdString());
  }
  params.alsoFrom = options.alsoFrom.trimmed().toStdString();
  params.sourcePolicy = toEngineSourcePolicy(options.sourcePolicy);
  params.startPaused = options.startPaused;
  params.stopAfterMetadata = options.stopAfterMetadata;
  if (options.connections > 0) {
    params.connections = options.connections;
  }
  params.filePriorities.assign(options.filePriorities.begin(), options.filePriorities.end());
  Result<TaskId> result = engine_->add(params);
  if (!result) {
    return AddResult{0, ErrorText::describe(result.error().code, result.error().detail)};
  }
  return AddResult{result.value(), {}};
}

void EngineBridge::pause(quint64 id) {
  if (engine_) {
    engine_->pause(id);
  }
}

void EngineBridge::resume(quint64 id) {
  if (engine_) {
    engine_->resume(id);
  }
}

void EngineBridge::remove(quint64 id, bool deleteFiles) {
  if (engine_) {
    engine_->remove(id, deleteFiles);
  }
}

void EngineBridge::pauseAll() {
  if (engine_) {
    engine_->pauseAll();
  }
}

void EngineBridge::resumeAll() {
  if (engine_) {
    engine_->resumeAll();
  }
}

void EngineBridge::setGlobalLimits(quint64 maxDownloadRate, quint64 maxUploadRate) {
  if (engine_) {
    engine_->setGlobalLimits(maxDownloadRate, maxUploadRate);
  }
}

void EngineBridge::setTaskLimits(quint64 id, quint64 maxDownloadRate, quint64 maxUploadRate) {
  if (engine_) {
    engine_->setTaskLimits(id, maxDownloadRate, maxUploadRate);
  }
}

void EngineBridge::recheck(quint64 id) {
  if (engine_) {
    engine_->recheck(id);
  }
}

void EngineBridge::setLocation(quint64 id, const QString& dir) {
  if (engine_ && !dir.isEmpty()) {
    engine_->setLocation(id, QDir::cleanPath(dir).toStdString());
  }
}

void EngineBridge::setSourcePolicy(quint64 id, SourcePreference preference, quint64 cdnCapBytes) {
  if (engine_) {
    engine_->setSourcePolicy(id, toEngineSourcePolicy(SourcePolicy{preference, cdnCapBytes}));
  }
}

void EngineBridge::moveInQueue(quint64 id, QueueMove move) {
  if (!engine_) {
    return;
  }
  switch (move) {
    case QueueMove::Up:
      engine_->moveInQueue(id, tributary::QueueMove::Up);
      break;
    case QueueMove::Down:
      engine_->moveInQueue(id, tributary::QueueMove::Down);
      break;
    case QueueMove::Top:
      engine_->moveInQueue(id, tributary::QueueMove::Top);
      break;
    case QueueMove::Bottom:
      engine_->moveInQueue(id, tributary::QueueMove::Bottom);
      break;
  }
}

void EngineBridge::setMaxActiveDownloads(unsigned maxActive) {
  if (engine_) {
    engine_->setMaxActiveDownloads(maxActive);
  }
}

void EngineBridge::setFilePriorities(quint64 id, const QList<quint8>& priorities) {
  if (engine_) {
    engine_->setFilePriorities(id, std::vector<std::uint8_t>(priorities.begin(), priorities.end()));
  }
}

}  // namespace tributary::ui
