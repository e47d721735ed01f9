#include "ui/widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>

#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/AddLinkDialog.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/TaskFilterProxy.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/DroppedSources.h"
#include "ui/widgets/FilterSidebar.h"
#include "ui/widgets/SourceAdder.h"
#include "ui/widgets/TaskContextMenu.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TaskSearchField.h"
#include "ui/widgets/TaskTableView.h"
#include "ui/widgets/TrafficHistoryDialog.h"
#include "ui/widgets/TransferStatusWidget.h"
#include "ui/widgets/TrayIcon.h"

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
  // Sorts, and filters by the side bar's state and the search box's text.
  proxy_ = new TaskFilterProxy(this);
  proxy_->setSourceModel(model_);
  sidebar_ = new FilterSidebar(proxy_, this);
  search_ = new TaskSearchField(proxy_, this);

  view_ = new TaskTableView(this);
  view_->setModel(proxy_);
  details_ = new TaskDetailsPanel(this);
  details_->connectBridge(bridge_);
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
  auto* body = new QSplitter(Qt::Horizontal, this);
  body->setObjectName(QStringLiteral("bodySplitter"));
  body->addWidget(sidebar_);
  body->addWidget(splitter_);
  body->setChildrenCollapsible(false);
  body->setStretchFactor(1, 1);
  body->setSizes({sidebar_->sizeHint().width(), 1000});
  setCentralWidget(body);

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
  // Removing selected rows does not always report a selection change. The
  // proxy's rows, not the model's: a filter hides rows without removing tasks.
  connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActionStates);
  connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateDetails);
  connect(proxy_, &QAbstractItemModel::modelReset, this, &MainWindow::updateDetails);
  // Keyboard: Space toggles pause, Enter shows the details (TaskTableView).
  connect(view_, &TaskTableView::pauseToggleRequested, this,
          [this](bool resume) { resume ? resumeSelected() : pauseSelected(); });
  connect(view_, &TaskTableView::detailsRequested, this,
          [this] { details_->setFocus(Qt::OtherFocusReason); });
  connect(view_, &QAbstractItemView::doubleClicked, this, [this] {
    // Double-click toggles: a paused task resumes, anything else pauses.
    const QModelIndex current = view_->currentIndex();
    const auto status = static_cast<TaskStatus>(current.data(TaskListModel::StatusRole).toInt());
    status == TaskStatus::Paused ? resumeSelected() : pauseSelected();
  });
  // Right click: the selection's menu (resume, pause, remove, then per-task
  // commands). A click on no row selects nothing, so the menu acts on nothing.
  contextMenu_ = new TaskContextMenu(model_, bridge_, this);
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
    const QList<quint64> ids = view_->selectedTaskIds();
    if (ids.isEmpty()) {
      return;
    }
    QMenu* menu =
        contextMenu_
            ->build(ids, {resumeAction_, pauseAction_, removeAction_, removeWithFilesAction_})
            .release();
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(view_->viewport()->mapToGlobal(position));
  });
  updateActionStates();
  tray_ = new TrayIcon(this, bridge_, settings_.get(), TrayIcon::systemTrayAvailable(), this);
  connect(tray_, &TrayIcon::quitRequested, this, &MainWindow::quit);
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
  // open(), not a nested event loop: a window closed under it would be gone
  // when it returned.
  auto* dialog = new AddLinkDialog(looksLikeLink(clipboard) ? clipboard.trimmed() : QString(),
                                   settings_->lastTorrentDir(), this);
  dialog->setSourcePreference(settings_->defaultSourcePreference());
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    adder_->addLink(dialog->link(), dialog->alsoFrom(), dialog->sourcePreference());
  });
  dialog->open();
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

void MainWindow::removeSelected(bool deleteFiles) {
  const QList<quint64> ids = view_->selectedTaskIds();
  if (ids.isEmpty()) {
    return;
  }
  // Files deleted cannot come back, so that always asks.
  if (!deleteFiles && !settings_->askBeforeRemoving()) {
    for (quint64 id : ids) {
      bridge_->remove(id, false);
    }
    return;
  }
  QMessageBox box(QMessageBox::Question, tr("Remove Downloads"),
                  ids.size() == 1 ? tr("Remove “%1” from the list?").arg(taskName(ids.first()))
                                  : tr("Remove %n downloads from the list?", nullptr,
                                       static_cast<int>(ids.size())),
                  QMessageBox::Cancel, this);
  QPushButton* remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
  box.setDefaultButton(QMessageBox::Cancel);
  auto* alsoDelete = new QCheckBox(tr("Also delete the downloaded files"), &box);
  alsoDelete->setChecked(deleteFiles);
  box.setCheckBox(alsoDelete);
  box.exec();
  if (box.clickedButton() != remove) {
    return;
  }
  for (quint64 id : ids) {
    bridge_->remove(id, alsoDelete->isChecked());
  }
}

void MainWindow::openSettings() {
  SettingsDialog dialog(this);
  const SpeedLimits limits = settings_->speedLimits();
  const SpeedLimits alternative = settings_->alternativeSpeedLimits();
  dialog.setLimits(limits.download, limits.upload);
  dialog.setAlternativeLimits(alternative.download, alternative.upload);
  dialog.setDefaultSaveDir(settings_->defaultSaveDir());
  dialog.setAskBeforeAddingTorrents(settings_->askBeforeAddingTorrents());
  dialog.setDefaultSourcePreference(settings_->defaultSourcePreference());
  dialog.setTrayAvailable(tray_->isAvailable());
  dialog.setCloseToTray(settings_->closeToTray());
  dialog.setMinimizeToTray(settings_->minimizeToTray());
  dialog.setNotifyWhenDone(settings_->notifyWhenDone());
  dialog.setEngineOptions(settings_->engineOptions());
  dialog.setHttpConnectionsPerDownload(settings_->httpConnectionsPerDownload());
  dialog.setLanguage(settings_->language());
  dialog.setAskBeforeRemoving(settings_->askBeforeRemoving());
  dialog.setAskBeforeQuitting(settings_->askBeforeQuitting());
  if (dialog.exec() == QDialog::Accepted) {
    settings_->setSpeedLimits({dialog.maxDownloadRate(), dialog.maxUploadRate()});
    settings_->setAlternativeSpeedLimits(
        {dialog.alternativeDownloadRate(), dialog.alternativeUploadRate()});
    // The pair in force: the alternative one while the tray's switch is on.
    tray_->applySpeedLimits();
    settings_->setDefaultSaveDir(dialog.defaultSaveDir());
    settings_->setAskBeforeAddingTorrents(dialog.askBeforeAddingTorrents());
    settings_->setDefaultSourcePreference(dialog.defaultSourcePreference());
    settings_->setCloseToTray(dialog.closeToTray());
    settings_->setMinimizeToTray(dialog.minimizeToTray());
    settings_->setNotifyWhenDone(dialog.notifyWhenDone());
    // Read by the next start (app/main.cpp), as the dialog says; the queue's
    // limit applies at once as well.
    const int maxActive = settings_->engineOptions().maxActiveDownloads;
    settings_->setEngineOptions(dialog.engineOptions());
    if (settings_->engineOptions().maxActiveDownloads != maxActive) {
      bridge_->setMaxActiveDownloads(
          static_cast<unsigned>(settings_->engineOptions().maxActiveDownloads));
    }
    settings_->setLanguage(dialog.language());
    settings_->setHttpConnectionsPerDownload(dialog.httpConnectionsPerDownload());
    settings_->setAskBeforeRemoving(dialog.askBeforeRemoving());
    settings_->setAskBeforeQuitting(dialog.askBeforeQuitting());
  }
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Tributary"),
                     tr("<h3>Tributary %1</h3><p>One download, many sources: BitTorrent peers, the "
                        "origin URL and mirrors feed the same file.</p>")
                         .arg(QApplication::applicationVersion()));
}

void MainWindow::quit() {
  quitting_ = true;
  if (!close()) {
    quitting_ = false;  // something refused to close; the program goes on
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Downloads carry on with the window hidden; only quit() ends the program.
  if (!quitting_ && tray_ != nullptr && tray_->hidesOnClose()) {
    event->ignore();
    hide();
    return;
  }
  // Past here the program ends (quit(), or a close without a tray).
  if (!confirmQuit()) {
    event->ignore();
    return;
  }
  QMainWindow::closeEvent(event);
  // With a tray the application does not quit when its last window closes
  // (TrayIcon), so the main window ends it. Outside exec() this does nothing.
  QCoreApplication::quit();
}

bool MainWindow::confirmQuit() {
  if (!settings_->askBeforeQuitting()) {
    return true;
  }
  int running = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    running += model_->taskAt(row).status == TaskStatus::Downloading ? 1 : 0;
  }
  if (running == 0) {
    return true;
  }
  QMessageBox box(
      QMessageBox::Question, tr("Quit Tributary"),
      running == 1 ? tr("A download is still running. Quit Tributary anyway?")
                   : tr("%n downloads are still running. Quit Tributary anyway?", nullptr, running),
      QMessageBox::Cancel, this);
  box.setObjectName(QStringLiteral("quitConfirmation"));
  QPushButton* quit = box.addButton(tr("&Quit"), QMessageBox::AcceptRole);
  box.setDefaultButton(QMessageBox::Cancel);
  box.exec();
  return box.clickedButton() == quit;
}

void MainWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  // tray_ is null for the changes the constructor makes (title, icon).
  if (event->type() == QEvent::WindowStateChange && isMinimized() && tray_ != nullptr &&
      tray_->hidesOnMinimize()) {
    // Hiding within the state change confuses some window managers.
    QTimer::singleShot(0, this, [this] {
      if (isMinimized()) {
        hide();
      }
    });
  }
}

void MainWindow::onStats(const GlobalStats& stats) {
  lastStats_ = stats;
  transferStatus_->setStats(stats);
  tray_->setStats(stats);
  if (trafficDialog_) {
    trafficDialog_->setStats(stats);
  }
}

void MainWindow::openTrafficHistory() {
  if (!trafficDialog_) {
    trafficDialog_ = new TrafficHistoryDialog(this);
    trafficDialog_->setStats(lastStats_);
  }
  trafficDialog_->show();
  trafficDialog_->raise();
  trafficDialog_->activateWindow();
}

void MainWindow::onTaskEvent(const TaskEventInfo& event) {
  tray_->notifyTaskEvent(event, taskName(event.task));
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
  removeWithFilesAction_->setEnabled(hasSelection);
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
