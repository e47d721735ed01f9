#include "ui/widgets/TaskDetailsPanel.h"

#include <QDateTime>
#include <QLocale>
#include <QTableView>

#include "ui/delegates/ProgressDelegate.h"
#include "ui/models/FileListModel.h"
#include "ui/models/Format.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/SourceListModel.h"
#include "ui/models/TrackerListModel.h"
#include "ui/widgets/DetailsGeneralPage.h"
#include "ui/widgets/DetailsTablePage.h"

namespace tributary::ui {

namespace {

// Why a torrent has no peer rows right now, in the words of its state.
QString noPeersText(TaskStatus status) {
  switch (status) {
    case TaskStatus::Paused:
      return TaskDetailsPanel::tr("The download is paused, so no peers are connected.");
    case TaskStatus::Completed:
      return TaskDetailsPanel::tr(
          "The download is complete and not seeding, so no peers are "
          "connected.");
    case TaskStatus::Failed:
      return TaskDetailsPanel::tr("The download stopped on an error, so no peers are connected.");
    case TaskStatus::Checking:
      return TaskDetailsPanel::tr("Peers are contacted once the existing data is checked.");
    default:
      return TaskDetailsPanel::tr("No peers connected yet.");
  }
}

// A date and time as wide as the tables show them.
QString sampleDateTime() {
  return QLocale().toString(QDateTime(QDate(2000, 12, 28), QTime(23, 58, 58)),
                            QLocale::ShortFormat);
}

QString waitingForMetadataText() {
  return TaskDetailsPanel::tr("This appears once the torrent's metadata has arrived.");
}

}  // namespace

TaskDetailsPanel::TaskDetailsPanel(QWidget* parent) : QTabWidget(parent) {
  setObjectName(QStringLiteral("taskDetails"));
  setDocumentMode(true);

  general_ = new DetailsGeneralPage(this);
  general_->setObjectName(QStringLiteral("generalPage"));

  peers_ = new PeerListModel(this);
  peersPage_ =
      new DetailsTablePage(peers_, PeerListModel::SortRole, PeerListModel::FilesColumn, this);
  peersPage_->setObjectName(QStringLiteral("peersPage"));
  peersPage_->view()->setItemDelegateForColumn(
      PeerListModel::ProgressColumn, new ProgressDelegate(PeerListModel::ProgressRole, this));

  peersPage_->fitColumnTo(PeerListModel::AddressColumn, QStringLiteral("[2001:db8::42]:51413"));
  peersPage_->fitColumnTo(PeerListModel::ClientColumn, QStringLiteral("qBittorrent 4.6.3"));
  peersPage_->fitColumnTo(PeerListModel::FlagsColumn, QStringLiteral("D U O I H"));
  for (int column :
       {int{PeerListModel::DownloadRateColumn}, int{PeerListModel::UploadRateColumn}}) {
    peersPage_->fitColumnTo(column, Format::rate(1023 * 1024 + 900 * 1024 / 1000));
  }
  for (int column : {int{PeerListModel::DownloadedColumn}, int{PeerListModel::UploadedColumn}}) {
    peersPage_->fitColumnTo(column, Format::bytes(1023 * 1024 * 1024 + 900 * 1024 * 1024 / 1000));
  }
  peersPage_->fitColumnTo(PeerListModel::ConnectedColumn, sampleDateTime());

  trackers_ = new TrackerListModel(this);
  trackersPage_ = new DetailsTablePage(trackers_, TrackerListModel::SortRole,
                                       TrackerListModel::MessageColumn, this);
  trackersPage_->setObjectName(QStringLiteral("trackersPage"));

  trackersPage_->fitColumnTo(TrackerListModel::UrlColumn,
                             QStringLiteral("udp://tracker.example.org:6969/announce"));
  trackersPage_->fitColumnTo(TrackerListModel::StatusColumn,
                             TrackerListModel::statusText(TrackerStatus::NotContacted));
  trackersPage_->fitColumnTo(TrackerListModel::NextAnnounceColumn, sampleDateTime());

  files_ = new FileListModel(this);
  filesPage_ =
      new DetailsTablePage(files_, FileListModel::SortRole, FileListModel::PathColumn, this);
  filesPage_->setObjectName(QStringLiteral("filesPage"));
  filesPage_->view()->setItemDelegateForColumn(
      FileListModel::ProgressColumn, new ProgressDelegate(FileListModel::ProgressRole, this));

  sources_ = new SourceListModel(this);
  sourcesPage_ =
      new DetailsTablePage(sources_, SourceListModel::SortRole, SourceListModel::UrlColumn, this);
  sourcesPage_->setObjectName(QStringLiteral("sourcesPage"));
  sourcesPage_->fitColumnTo(SourceListModel::ErrorColumn,
                            QStringLiteral("Not found on the server (HTTP 404)"));

  addTab(general_, tr("General"));
  addTab(peersPage_, tr("Peers"));
  addTab(trackersPage_, tr("Trackers"));
  addTab(filesPage_, tr("Files"));
  addTab(sourcesPage_, tr("HTTP Sources"));
  showNothing();
}

DetailsTablePage* TaskDetailsPanel::page(Tab tab) const {
  switch (tab) {
    case PeersTab:
      return peersPage_;
    case TrackersTab:
      return trackersPage_;
    case FilesTab:
      return filesPage_;
    case SourcesTab:
      return sourcesPage_;
    case GeneralTab:
      return nullptr;
  }
  return nullptr;
}

void TaskDetailsPanel::showDetails(const std::optional<TaskDetails>& details) {
  if (!details || details->task.id == 0) {
    showNothing();
    return;
  }
  shownTask_ = details->task.id;
  general_->setDetails(*details);
  showPeers(*details);
  showTrackers(*details);
  showFiles(*details);
  showSources(*details);
}

void TaskDetailsPanel::showNothing() {
  shownTask_ = 0;
  const QString text = tr("Select a download to see its details.");
  general_->showEmpty(text);
  for (DetailsTablePage* page : {peersPage_, trackersPage_, filesPage_, sourcesPage_}) {
    page->showEmpty(text);
  }
  peers_->clear();
  trackers_->clear();
  files_->clear();
  sources_->clear();
}

void TaskDetailsPanel::showPeers(const TaskDetails& details) {
  const quint64 id = details.task.id;
  if (details.task.kind == TaskKind::Http) {
    peers_->clear();
    peersPage_->showEmpty(
        tr("An HTTP download has no peers: its bytes come from the servers "
           "listed under HTTP Sources."));
  } else if (!details.torrent) {
    peers_->clear();
    peersPage_->showEmpty(waitingForMetadataText());
  } else {
    peers_->setRows(id, details.torrent->peers);
    if (details.torrent->peers.isEmpty()) {
      peersPage_->showEmpty(noPeersText(details.task.status));
    } else {
      peersPage_->showTable();
    }
  }
}

void TaskDetailsPanel::showTrackers(const TaskDetails& details) {
  const quint64 id = details.task.id;
  if (details.task.kind == TaskKind::Http) {
    trackers_->clear();
    trackersPage_->showEmpty(tr("An HTTP download has no trackers."));
  } else if (!details.torrent) {
    trackers_->clear();
    trackersPage_->showEmpty(waitingForMetadataText());
  } else {
    trackers_->setRows(id, details.torrent->trackers);
    if (details.torrent->trackers.isEmpty()) {
      trackersPage_->showEmpty(tr("This torrent lists no trackers."));
    } else {
      trackersPage_->showTable();
    }
  }
}

void TaskDetailsPanel::showFiles(const TaskDetails& details) {
  const TaskRow& task = details.task;
  if (details.torrent) {
    files_->setRows(task.id, details.torrent->files);
    filesPage_->showTable();
  } else if (task.kind != TaskKind::Http) {
    files_->clear();
    filesPage_->showEmpty(waitingForMetadataText());
  } else if (task.sizeKnown && !task.name.isEmpty()) {
    // An HTTP download is one file: the task's own name, size and verified bytes.
    files_->setRows(task.id, {FileInfo{task.name, task.totalBytes, task.verifiedBytes, 1}});
    filesPage_->showTable();
  } else {
    files_->clear();
    filesPage_->showEmpty(tr("The file's name and size are known once the server answers."));
  }
}

void TaskDetailsPanel::showSources(const TaskDetails& details) {
  if (!details.sources.isEmpty()) {
    sources_->setRows(details.task.id, details.sources);
    sourcesPage_->showTable();
    return;
  }
  sources_->clear();
  sourcesPage_->showEmpty(details.task.kind == TaskKind::Http
                              ? tr("No server has been contacted yet.")
                              : tr("This torrent has no web seeds or mirrors: its bytes come "
                                   "from the peers listed under Peers."));
}

}  // namespace tributary::ui
