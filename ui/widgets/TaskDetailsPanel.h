// Public to ui/: the details panel under the task table, for the selected
// task: General, Peers, Trackers, Files, Sources and Traffic tabs, and
// a piece bar beside the tabs for a torrent. It is handed TaskDetails values;
// from the bridge it takes every task's traffic (so a task's history is there
// when it is selected) and it sends file priorities back.
#pragma once

#include <QElapsedTimer>
#include <QTabWidget>
#include <functional>
#include <optional>

#include "ui/bridge/TaskDetails.h"
#include "ui/models/TrafficHistory.h"

class QMenu;
class QTimer;

namespace tributary::ui {

class DetailsGeneralPage;
class DetailsTablePage;
class DetailsTrafficPage;
class EngineBridge;
class FileListModel;
class PeerListModel;
class PieceBar;
class SourceListModel;
class TrackerListModel;

class TaskDetailsPanel : public QTabWidget {
  Q_OBJECT

 public:
  enum Tab { GeneralTab, PeersTab, TrackersTab, FilesTab, SourcesTab, TrafficTab };

  explicit TaskDetailsPanel(QWidget* parent = nullptr);

  // Follows the traffic of every task and sends the priorities the user
  // picks in the Files tab to `bridge`.
  void connectBridge(EngineBridge* bridge);

  // The task to show, or nothing (no selection, or the task is gone).
  void showDetails(const std::optional<TaskDetails>& details);
  quint64 shownTask() const { return shownTask_; }

  // Milliseconds on a monotonic clock; tests replace it to draw minutes of
  // history without waiting for them.
  void setClock(std::function<qint64()> nowMs);
  TrafficHistory& trafficHistory() { return history_; }
  DetailsTrafficPage* trafficPage() const { return traffic_; }
  PieceBar* pieceBar() const { return pieceBar_; }
  // The Files tab's context menu for the selected files (nullptr when their
  // priorities cannot change); the caller owns it.
  QMenu* createFilesMenu(QWidget* parent);

  DetailsGeneralPage* generalPage() const { return general_; }
  DetailsTablePage* page(Tab tab) const;
  PeerListModel* peerModel() const { return peers_; }
  TrackerListModel* trackerModel() const { return trackers_; }
  FileListModel* fileModel() const { return files_; }
  SourceListModel* sourceModel() const { return sources_; }

 public slots:
  // EngineBridge::tasksUpdated.
  void recordTraffic(const QList<tributary::ui::TaskRow>& changed, const QList<quint64>& removed,
                     bool full);

 signals:
  void filePrioritiesChangeRequested(quint64 task, const QList<quint8>& priorities);

 private:
  void showNothing();
  void showPieces(const TaskDetails& details);
  void showTraffic(quint64 task, const Traffic& totals);
  void refreshTraffic();
  void setupFilesPage();
  QList<int> selectedFileRows() const;
  qint64 now() const;
  void showPeers(const TaskDetails& details);
  void showTrackers(const TaskDetails& details);
  void showFiles(const TaskDetails& details);
  void showSources(const TaskDetails& details);

  quint64 shownTask_ = 0;
  DetailsGeneralPage* general_ = nullptr;
  PeerListModel* peers_ = nullptr;
  TrackerListModel* trackers_ = nullptr;
  FileListModel* files_ = nullptr;
  SourceListModel* sources_ = nullptr;
  DetailsTablePage* peersPage_ = nullptr;
  DetailsTablePage* trackersPage_ = nullptr;
  DetailsTablePage* filesPage_ = nullptr;
  DetailsTablePage* sourcesPage_ = nullptr;
  DetailsTrafficPage* traffic_ = nullptr;
  PieceBar* pieceBar_ = nullptr;
  QWidget* pieceCorner_ = nullptr;
  QTimer* trafficTimer_ = nullptr;
  TrafficHistory history_;
  Traffic shownTotals_;
  QElapsedTimer elapsed_;
  std::function<qint64()> clock_;
};

}  // namespace tributary::ui
