// Public to ui/: the details panel under the task table, for the selected
// task: General, Peers, Trackers, Files and HTTP Sources tabs. It is handed
// TaskDetails values and knows nothing of the bridge or the engine.
#pragma once

#include <QTabWidget>
#include <optional>

#include "ui/bridge/TaskDetails.h"

namespace tributary::ui {

class DetailsGeneralPage;
class DetailsTablePage;
class FileListModel;
class PeerListModel;
class SourceListModel;
class TrackerListModel;

class TaskDetailsPanel : public QTabWidget {
  Q_OBJECT

 public:
  enum Tab { GeneralTab, PeersTab, TrackersTab, FilesTab, SourcesTab };

  explicit TaskDetailsPanel(QWidget* parent = nullptr);

  // The task to show, or nothing (no selection, or the task is gone).
  void showDetails(const std::optional<TaskDetails>& details);
  quint64 shownTask() const { return shownTask_; }

  DetailsGeneralPage* generalPage() const { return general_; }
  DetailsTablePage* page(Tab tab) const;
  PeerListModel* peerModel() const { return peers_; }
  TrackerListModel* trackerModel() const { return trackers_; }
  FileListModel* fileModel() const { return files_; }
  SourceListModel* sourceModel() const { return sources_; }

 private:
  void showNothing();
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
};

}  // namespace tributary::ui
