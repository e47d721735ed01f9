#include "ui/widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>

#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/DroppedSources.h"
#include "ui/widgets/SourceAdder.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TaskTableView.h"
#include "ui/widgets/TransferStatusWidget.h"

// The icons (resources/tributary.qrc) are compiled into this static library;
// referencing them here keeps the linker from dropping them. It must be
// outside any namespace.
static void initTributaryResources() {
  Q_INIT_RESOURCE(tributary);
}

namespace tributary::ui {

namespace {

constexpr int kStatusMessageMs = 5000;

// Never a move, even when the source proposes one: a file manager that saw
// its move accepted would delete the .torrent the engine is about to read.
void acceptAsCopy(QDropEvent* event) {
  for (Qt::DropAction action : {Qt::CopyAction, Qt::LinkAction}) {
    if (event->possibleActions().testFlag(action)) {
      event->setDropAction(action);
      event->accept();
      return;
    }
  }
}

bool looksLikeLink(const QString& text) {
  const QString trimmed = text.trimmed();
  return trimmed.startsWith(QLatin1String("magnet:?"), Qt::CaseInsensitive) ||
         trimmed.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
         trimmed.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

}  // namespace

MainWindow::MainWindow(EngineBridge* bridge, QWidget* parent)
    : QMainWindow(parent), bridge_(bridge), settings_(std::make_unique<AppSettings>()) {
  initTributaryResources();
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Tributary"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/tributary.svg")));
  // Files from a file manager, links from a browser (DroppedSources).
  setAcceptDrops(true);
  adder_ = new SourceAdder(bridge_, settings_.get(), this);

  model_ = new TaskListModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(TaskListModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setSortLocaleAware(true);
  proxy_->setDynamicSortFilter(true);

  view_ = new TaskTableView(this);
  view_->setModel(proxy_);
  details_ = new TaskDetailsPanel(this);
  splitter_ = new QSplitter(Qt::Vertical, this);
  splitter_->setObjectName(QStringLiteral("mainSplitter"));
  splitter_->addWidget(view_);
  splitter_->addWidget(details_);
  splitter_->setChildrenCollapsible(false);
  // The list gets most of the height; the details panel keeps a usable share
  // (a dozen peer rows at the default size).
  splitter_->setStretchFactor(0, 3);
  splitter_->setStretchFactor(1, 2);
  splitter_->setSizes({400, 320});
  setCentralWidget(splitter_);

  createActions();
  createMenus();
  createToolBar();
  createStatusBar();

  connect(bridge_, &EngineBridge::tasksUpdated, model_, &TaskListModel::applyUpdate);
  connect(bridge_, &EngineBridge::statsUpdated, this, &MainWindow::onStats);
  connect(bridge_, &EngineBridge::taskEvent, this, &MainWindow::onTaskEvent);
  connect(bridge_, &EngineBridge::taskDetailsUpdated, this, &MainWindow::onTaskDetails);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateActionStates);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateDetails);
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &MainWindow::updateDetails);
  // Removing selected rows does not always report a selection change.
  connect(model_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActionStates);
  connect(model_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateDetails);
  connect(model_, &QAbstractItemModel::modelReset, this, &MainWindow::updateDetails);
  connect(view_, &QAbstractItemView::doubleClicked, this, [this] {
    // Double-click toggles: a paused task resumes, anything else pauses.
    const QModelIndex current = view_->currentIndex();
    const auto status = static_cast<TaskStatus>(current.data(TaskListModel::StatusRole).toInt());
    status == TaskStatus::Paused ? resumeSelected() : pauseSelected();
  });
  updateActionStates();
  resize(1240, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::createStatusBar() {
  transferStatus_ = new TransferStatusWidget(this);
  statusBar()->addPermanentWidget(transferStatus_);
  if (!bridge_->hasEngine()) {
    auto* warning = new QLabel(tr("The download engine could not start."), this);
    warning->setObjectName(QStringLiteral("engineMissing"));
    statusBar()->addWidget(warning);
  } else {
    statusBar()->showMessage(tr("Ready"), kStatusMessageMs);
  }
}

QString MainWindow::addSource(const QString& source, const QString& saveDir) {
  return adder_->add(source, saveDir);
}

int MainWindow::addSources(const QStringList& sources) {
  return adder_->addAll(sources);
}

void MainWindow::addTorrentFiles() {
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Add Torrent Files"), settings_->lastTorrentDir(),
                                    tr("Torrent files (*.torrent);;All files (*)"));
  if (files.isEmpty()) {
    return;
  }
  settings_->setLastTorrentDir(QFileInfo(files.first()).absolutePath());
  addSources(files);
}

void MainWindow::addLink() {
  // Offer what was just copied: adding a link usually follows copying it.
  const QString clipboard = QApplication::clipboard()->text();
  bool accepted = false;
  const QString link = QInputDialog::getText(
      this, tr("Add Magnet or URL"), tr("Magnet link or HTTP(S) URL:"), QLineEdit::Normal,
      looksLikeLink(clipboard) ? clipboard.trimmed() : QString(), &accepted);
  if (!accepted || link.trimmed().isEmpty()) {
    return;
  }
  addSources({link});
}

void MainWindow::pasteLinks() {
  // One link per line, as browsers and chat clients copy several at once.
  QStringList links;
  const QStringList lines =
      QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  for (const QString& line : lines) {
    if (looksLikeLink(line)) {
      links << line.trimmed();
    }
  }
  if (links.isEmpty()) {
    statusBar()->showMessage(tr("The clipboard holds no link."), kStatusMessageMs);
    return;
  }
  addSources(links);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  // Refused here, the cursor tells the user before they let go.
  if (!DroppedSources::fromMimeData(event->mimeData()).sources.isEmpty()) {
    acceptAsCopy(event);
  }
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
  if (!DroppedSources::fromMimeData(event->mimeData()).sources.isEmpty()) {
    acceptAsCopy(event);
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const DroppedSources dropped = DroppedSources::fromMimeData(event->mimeData());
  if (dropped.sources.isEmpty()) {
    return;
  }
  acceptAsCopy(event);
  adder_->reportRejected(dropped.rejected);
  addSources(dropped.sources);
}

void MainWindow::resumeSelected() {
  for (quint64 id : view_->selectedTaskIds()) {
    bridge_->resume(id);
  }
}

void MainWindow::pauseSelected() {
  for (quint64 id : view_->selectedTaskIds()) {
    bridge_->pause(id);
  }
}

void MainWindow::removeSelected() {
  const QList<quint64> ids = view_->selectedTaskIds();
  if (ids.isEmpty()) {
    return;
  }
  QMessageBox box(QMessageBox::Question, tr("Remove Downloads"),
                  ids.size() == 1 ? tr("Remove “%1” from the list?").arg(taskName(ids.first()))
                                  : tr("Remove %n downloads from the list?", nullptr,
                                       static_cast<int>(ids.size())),
                  QMessageBox::Cancel, this);
  QPushButton* remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
  box.setDefaultButton(QMessageBox::Cancel);
  auto* deleteFiles = new QCheckBox(tr("Also delete the downloaded files"), &box);
  box.setCheckBox(deleteFiles);
  box.exec();
  if (box.clickedButton() != remove) {
    return;
  }
  for (quint64 id : ids) {
    bridge_->remove(id, deleteFiles->isChecked());
  }
}

void MainWindow::openSettings() {
  SettingsDialog dialog(this);
  dialog.setLimits(lastStats_.maxDownloadRate, lastStats_.maxUploadRate);
  dialog.setDefaultSaveDir(settings_->defaultSaveDir());
  if (dialog.exec() == QDialog::Accepted) {
    bridge_->setGlobalLimits(dialog.maxDownloadRate(), dialog.maxUploadRate());
    settings_->setDefaultSaveDir(dialog.defaultSaveDir());
  }
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Tributary"),
                     tr("<h3>Tributary %1</h3><p>One download, many sources: BitTorrent peers, the "
                        "origin URL and mirrors feed the same file.</p>")
                         .arg(QApplication::applicationVersion()));
}

void MainWindow::onStats(const GlobalStats& stats) {
  lastStats_ = stats;
  transferStatus_->setStats(stats);
}

void MainWindow::onTaskEvent(const TaskEventInfo& event) {
  switch (event.kind) {
    case TaskEventInfo::Kind::Completed:
      statusBar()->showMessage(tr("Finished: %1").arg(taskName(event.task)), kStatusMessageMs);
      break;
    case TaskEventInfo::Kind::Failed:
      statusBar()->showMessage(tr("Failed: %1: %2").arg(taskName(event.task), event.errorText),
                               kStatusMessageMs);
      break;
    case TaskEventInfo::Kind::Added:
    case TaskEventInfo::Kind::MetadataReceived:
    case TaskEventInfo::Kind::Removed:
      break;
  }
}

void MainWindow::onTaskDetails(const TaskDetails& details) {
  if (details.task.id == detailsTaskId()) {
    details_->showDetails(details);
  }
}

quint64 MainWindow::detailsTaskId() const {
  // The current row when it is selected (the one the user last clicked),
  // else the first selected one.
  const QItemSelectionModel* selection = view_->selectionModel();
  const QModelIndex current = selection->currentIndex();
  if (current.isValid() && selection->isRowSelected(current.row(), current.parent())) {
    return current.data(TaskListModel::TaskIdRole).value<quint64>();
  }
  const QList<quint64> ids = view_->selectedTaskIds();
  return ids.isEmpty() ? 0 : ids.first();
}

void MainWindow::updateDetails() {
  const quint64 id = detailsTaskId();
  bridge_->watchDetails(id);
  details_->showDetails(id != 0 ? bridge_->taskDetails(id) : std::nullopt);
}

void MainWindow::updateActionStates() {
  const bool hasSelection = view_->selectionModel()->hasSelection();
  resumeAction_->setEnabled(hasSelection);
  pauseAction_->setEnabled(hasSelection);
  removeAction_->setEnabled(hasSelection);
}

QString MainWindow::taskName(quint64 id) const {
  const int row = model_->rowOf(id);
  if (row < 0) {
    return tr("download %1").arg(id);
  }
  const TaskRow& task = model_->taskAt(row);
  return task.name.isEmpty() ? task.source : task.name;
}

}  // namespace tributary::ui
