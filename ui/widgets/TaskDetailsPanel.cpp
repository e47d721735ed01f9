#include "ui/widgets/TaskDetailsPanel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <algorithm>

#include "ui/bridge/EngineBridge.h"
#include "ui/delegates/ChoiceDelegate.h"
#include "ui/delegates/ProgressDelegate.h"
#include "ui/models/FileListModel.h"
#include "ui/models/Format.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/SourceListModel.h"
#include "ui/models/SwarmSource.h"
#include "ui/models/TrackerListModel.h"
#include "ui/widgets/DetailsGeneralPage.h"
#include "ui/widgets/DetailsTablePage.h"
#include "ui/widgets/DetailsTrafficPage.h"
#include "ui/widgets/HeaderStateKeeper.h"
#include "ui/widgets/PieceBar.h"

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

// The chart moves on between ticks too, so a quiet spell scrolls away.
constexpr int kTrafficRefreshMs = 1000;

}  // namespace

TaskDetailsPanel::TaskDetailsPanel(QWidget* parent) : QTabWidget(parent) {
  setObjectName(QStringLiteral("taskDetails"));
  setDocumentMode(true);
  elapsed_.start();

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
  // The user's columns from the last run; the address identifies a peer.
  new HeaderStateKeeper(peersPage_->view(), QStringLiteral("peerTable"),
                        {int{PeerListModel::AddressColumn}});

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
  setupFilesPage();

  sources_ = new SourceListModel(this);
  sourcesPage_ =
      new DetailsTablePage(sources_, SourceListModel::SortRole, SourceListModel::UrlColumn, this);
  sourcesPage_->setObjectName(QStringLiteral("sourcesPage"));
  sourcesPage_->fitColumnTo(SourceListModel::ErrorColumn,
                            QStringLiteral("Not found on the server (HTTP 404)"));

  traffic_ = new DetailsTrafficPage(this);
  traffic_->setObjectName(QStringLiteral("trafficPage"));

  addTab(general_, tr("General"));
  addTab(peersPage_, tr("Peers"));
  addTab(trackersPage_, tr("Trackers"));
  addTab(filesPage_, tr("Files"));
  addTab(sourcesPage_, tr("Sources"));
  addTab(traffic_, tr("Traffic"));

  // Beside the tabs rather than on one of them: which pieces are in is worth
  // a glance whatever tab is open.
  pieceCorner_ = new QWidget(this);
  auto* cornerLayout = new QHBoxLayout(pieceCorner_);
  cornerLayout->setContentsMargins(12, 0, 6, 0);
  pieceBar_ = new PieceBar(pieceCorner_);
  auto* pieceTitle = new QLabel(tr("Pieces:"), pieceCorner_);
  pieceTitle->setBuddy(pieceBar_);
  cornerLayout->addWidget(pieceTitle, 0, Qt::AlignVCenter);
  cornerLayout->addWidget(pieceBar_, 0, Qt::AlignVCenter);
  // The style places a corner widget at its size hint, bottom-aligned with
  // the tabs: as tall as they are, the bar sits level with their titles.
  const int spare = std::max(0, tabBar()->sizeHint().height() - pieceCorner_->sizeHint().height());
  cornerLayout->setContentsMargins(12, spare / 2, 6, spare - spare / 2);
  setCornerWidget(pieceCorner_, Qt::TopRightCorner);

  trafficTimer_ = new QTimer(this);
  trafficTimer_->setInterval(kTrafficRefreshMs);
  connect(trafficTimer_, &QTimer::timeout, this, &TaskDetailsPanel::refreshTraffic);
  connect(this, &QTabWidget::currentChanged, this, &TaskDetailsPanel::refreshTraffic);
  showNothing();
}

void TaskDetailsPanel::setupFilesPage() {
  QTableView* view = filesPage_->view();
  view->setItemDelegateForColumn(
      FileListModel::PriorityColumn,
      new ChoiceDelegate(
          {{FileListModel::priorityText(FileListModel::Skip), FileListModel::Skip},
           {FileListModel::priorityText(FileListModel::Normal), FileListModel::Normal},
           {FileListModel::priorityText(FileListModel::High), FileListModel::High}},
          this));
  // Only the priority cells are editable (FileListModel::flags).
  view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked |
                        QAbstractItemView::EditKeyPressed);
  filesPage_->fitColumnTo(FileListModel::PriorityColumn,
                          FileListModel::priorityText(FileListModel::Normal) +
                              QStringLiteral("MMMM"));  // room for the combo's arrow
  view->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& position) {
    if (QMenu* menu = createFilesMenu(this)) {
      menu->setAttribute(Qt::WA_DeleteOnClose);
      menu->popup(view->viewport()->mapToGlobal(position));
    }
  });
  connect(files_, &FileListModel::prioritiesChangeRequested, this,
          &TaskDetailsPanel::filePrioritiesChangeRequested);
}

void TaskDetailsPanel::connectBridge(EngineBridge* bridge) {
  connect(bridge, &EngineBridge::tasksUpdated, this, &TaskDetailsPanel::recordTraffic);
  connect(this, &TaskDetailsPanel::filePrioritiesChangeRequested, bridge,
          &EngineBridge::setFilePriorities);
}

void TaskDetailsPanel::setClock(std::function<qint64()> nowMs) {
  clock_ = std::move(nowMs);
}

qint64 TaskDetailsPanel::now() const {
  return clock_ ? clock_() : elapsed_.elapsed();
}

void TaskDetailsPanel::recordTraffic(const QList<TaskRow>& changed, const QList<quint64>& removed,
                                     bool full) {
  history_.apply(changed, removed, full, now());
}

QList<int> TaskDetailsPanel::selectedFileRows() const {
  const QTableView* view = filesPage_->view();
  QList<int> rows;
  for (const QModelIndex& index : view->selectionModel()->selectedRows()) {
    rows.append(filesPage_->proxy()->mapToSource(index).row());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

QMenu* TaskDetailsPanel::createFilesMenu(QWidget* parent) {
  const QList<int> rows = selectedFileRows();
  if (!files_->prioritiesEditable() || rows.isEmpty()) {
    return nullptr;
  }
  auto* menu = new QMenu(parent);
  menu->setObjectName(QStringLiteral("filesMenu"));
  menu->addSection(tr("Priority"));
  static constexpr const char* kNames[] = {"filePrioritySkip", "filePriorityNormal",
                                           "filePriorityHigh"};
  for (quint8 priority : {FileListModel::Skip, FileListModel::Normal, FileListModel::High}) {
    QAction* action = menu->addAction(FileListModel::priorityText(priority));
    action->setObjectName(QLatin1String(kNames[priority]));
    // Checked when every selected file already has it.
    action->setCheckable(true);
    action->setChecked(std::all_of(rows.cbegin(), rows.cend(), [&](int row) {
      return std::min<quint8>(files_->rowAt(row).priority, FileListModel::High) == priority;
    }));
    connect(action, &QAction::triggered, this,
            [this, rows, priority] { files_->setPriority(rows, priority); });
  }
  return menu;
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
    case TrafficTab:
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
  showPieces(*details);
  showTraffic(details->task.id, details->task.traffic);
  if (!trafficTimer_->isActive()) {
    trafficTimer_->start();
  }
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
  files_->setPrioritiesEditable(false);
  sources_->clear();
  traffic_->showEmpty(text);
  pieceBar_->clear();
  pieceCorner_->hide();
  trafficTimer_->stop();
}

void TaskDetailsPanel::showPieces(const TaskDetails& details) {
  // An HTTP download has no pieces; a magnet has none until its metadata.
  if (!details.torrent || details.torrent->pieceCount == 0) {
    pieceBar_->clear();
    pieceCorner_->hide();
    return;
  }
  const TorrentInfo& torrent = *details.torrent;
  pieceBar_->setPieceMap(torrent.pieceMap, torrent.pieceCount, torrent.piecesHave);
  pieceCorner_->show();
}

void TaskDetailsPanel::showTraffic(quint64 task, const Traffic& totals) {
  shownTotals_ = totals;
  const qint64 nowMs = now();
  traffic_->setTraffic(totals, history_.currentRate(task, nowMs), history_.rates(task, nowMs),
                       nowMs);
}

void TaskDetailsPanel::refreshTraffic() {
  if (shownTask_ == 0 || currentWidget() != traffic_) {
    return;
  }
  showTraffic(shownTask_, shownTotals_);
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
  // Only a torrent's files have priorities (an HTTP download is one file).
  files_->setPrioritiesEditable(details.torrent.has_value());
  if (details.torrent) {
    files_->setFiles(task.id, details.torrent->files);
    filesPage_->showTable();
  } else if (task.kind != TaskKind::Http) {
    files_->clear();
    filesPage_->showEmpty(waitingForMetadataText());
  } else if (task.sizeKnown && !task.name.isEmpty()) {
    // An HTTP download is one file: the task's own name, size and verified bytes.
    files_->setFiles(task.id, {FileInfo{task.name, task.totalBytes, task.verifiedBytes, 1}});
    filesPage_->showTable();
  } else {
    files_->clear();
    filesPage_->showEmpty(tr("The file's name and size are known once the server answers."));
  }
}

void TaskDetailsPanel::showSources(const TaskDetails& details) {
  if (details.task.kind == TaskKind::Http && details.sources.isEmpty()) {
    sources_->clear();
    sourcesPage_->showEmpty(tr("No server has been contacted yet."));
    return;
  }
  QList<SourceInfo> rows;
  if (details.task.kind != TaskKind::Http) {
    // The swarm first, as the one BT source beside the web seeds and mirrors.
    rows.append(SwarmSource::row(details.task, history_.currentRate(details.task.id, now()).bt));
  }
  rows.append(details.sources);
  sources_->setRows(details.task.id, rows);
  sourcesPage_->showTable();
}

}  // namespace tributary::ui
