#include "ui/widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>

#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/TaskListModel.h"
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

QAction* makeAction(QObject* parent, const QString& objectName, const QString& iconName,
                    const QString& text, const QKeySequence& shortcut = {}) {
  auto* action = new QAction(text, parent);
  action->setObjectName(objectName);
  if (!iconName.isEmpty()) {
    action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(iconName)));
  }
  if (!shortcut.isEmpty()) {
    action->setShortcut(shortcut);
  }
  return action;
}

bool looksLikeLink(const QString& text) {
  const QString trimmed = text.trimmed();
  return trimmed.startsWith(QLatin1String("magnet:?"), Qt::CaseInsensitive) ||
         trimmed.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
         trimmed.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

}  // namespace

MainWindow::MainWindow(EngineBridge* bridge, QWidget* parent)
    : QMainWindow(parent), bridge_(bridge) {
  initTributaryResources();
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Tributary"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/tributary.svg")));

  model_ = new TaskListModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(TaskListModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setSortLocaleAware(true);
  proxy_->setDynamicSortFilter(true);

  view_ = new TaskTableView(this);
  view_->setModel(proxy_);
  setCentralWidget(view_);

  createActions();
  createMenus();
  createToolBar();
  createStatusBar();

  connect(bridge_, &EngineBridge::tasksUpdated, model_, &TaskListModel::applyUpdate);
  connect(bridge_, &EngineBridge::statsUpdated, this, &MainWindow::onStats);
  connect(bridge_, &EngineBridge::taskEvent, this, &MainWindow::onTaskEvent);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateActionStates);
  connect(model_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActionStates);
  connect(view_, &QAbstractItemView::doubleClicked, this, [this] {
    // Double-click toggles: a paused task resumes, anything else pauses.
    const QModelIndex current = view_->currentIndex();
    const auto status = static_cast<TaskStatus>(current.data(TaskListModel::StatusRole).toInt());
    status == TaskStatus::Paused ? resumeSelected() : pauseSelected();
  });
  updateActionStates();
  resize(1240, 720);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  addTorrentAction_ =
      makeAction(this, QStringLiteral("actionAddTorrent"), QStringLiteral("add-torrent"),
                 tr("Add &Torrent…"), QKeySequence::Open);
  addTorrentAction_->setIconText(tr("Add Torrent"));
  addTorrentAction_->setToolTip(tr("Add one or more .torrent files"));
  addLinkAction_ = makeAction(this, QStringLiteral("actionAddLink"), QStringLiteral("add-link"),
                              tr("Add &Magnet or URL…"), QKeySequence(tr("Ctrl+U")));
  addLinkAction_->setIconText(tr("Add Link"));
  addLinkAction_->setToolTip(tr("Add a magnet link or an HTTP(S) URL"));
  pasteLinksAction_ = makeAction(this, QStringLiteral("actionPasteLinks"), {}, tr("&Paste Links"),
                                 QKeySequence::Paste);
  pasteLinksAction_->setToolTip(tr("Add every link in the clipboard"));
  resumeAction_ = makeAction(this, QStringLiteral("actionResume"), QStringLiteral("resume"),
                             tr("&Resume"), QKeySequence(tr("Ctrl+R")));
  // Toolbar labels are set apart from menu texts: a stripped "继续(&R)" would
  // still show its "(R)".
  resumeAction_->setIconText(tr("Resume"));
  resumeAction_->setToolTip(tr("Resume the selected downloads"));
  pauseAction_ = makeAction(this, QStringLiteral("actionPause"), QStringLiteral("pause"),
                            tr("&Pause"), QKeySequence(tr("Ctrl+P")));
  pauseAction_->setIconText(tr("Pause"));
  pauseAction_->setToolTip(tr("Pause the selected downloads"));
  removeAction_ = makeAction(this, QStringLiteral("actionRemove"), QStringLiteral("remove"),
                             tr("Re&move…"), QKeySequence::Delete);
  removeAction_->setIconText(tr("Remove"));
  removeAction_->setToolTip(tr("Remove the selected downloads"));
  resumeAllAction_ = makeAction(this, QStringLiteral("actionResumeAll"), {}, tr("Resume &All"));
  pauseAllAction_ = makeAction(this, QStringLiteral("actionPauseAll"), {}, tr("Pause A&ll"));
  settingsAction_ = makeAction(this, QStringLiteral("actionSettings"), QStringLiteral("settings"),
                               tr("&Settings…"), QKeySequence::Preferences);
  settingsAction_->setIconText(tr("Settings"));
  quitAction_ = makeAction(this, QStringLiteral("actionQuit"), {}, tr("&Quit"), QKeySequence::Quit);
  aboutAction_ = makeAction(this, QStringLiteral("actionAbout"), {}, tr("&About Tributary"));

  connect(addTorrentAction_, &QAction::triggered, this, &MainWindow::addTorrentFiles);
  connect(addLinkAction_, &QAction::triggered, this, &MainWindow::addLink);
  connect(pasteLinksAction_, &QAction::triggered, this, &MainWindow::pasteLinks);
  connect(resumeAction_, &QAction::triggered, this, &MainWindow::resumeSelected);
  connect(pauseAction_, &QAction::triggered, this, &MainWindow::pauseSelected);
  connect(removeAction_, &QAction::triggered, this, &MainWindow::removeSelected);
  connect(resumeAllAction_, &QAction::triggered, bridge_, &EngineBridge::resumeAll);
  connect(pauseAllAction_, &QAction::triggered, bridge_, &EngineBridge::pauseAll);
  connect(settingsAction_, &QAction::triggered, this, &MainWindow::openSettings);
  connect(quitAction_, &QAction::triggered, this, &QWidget::close);
  connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(addTorrentAction_);
  file->addAction(addLinkAction_);
  file->addAction(pasteLinksAction_);
  file->addSeparator();
  file->addAction(quitAction_);

  QMenu* tasks = menuBar()->addMenu(tr("&Downloads"));
  tasks->addAction(resumeAction_);
  tasks->addAction(pauseAction_);
  tasks->addAction(removeAction_);
  tasks->addSeparator();
  tasks->addAction(resumeAllAction_);
  tasks->addAction(pauseAllAction_);

  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(settingsAction_);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAction_);
}

void MainWindow::createToolBar() {
  QToolBar* toolBar = addToolBar(tr("Main Toolbar"));
  toolBar->setObjectName(QStringLiteral("mainToolBar"));
  toolBar->setMovable(false);
  toolBar->setFloatable(false);
  toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolBar->setIconSize(QSize(22, 22));
  toolBar->addAction(addTorrentAction_);
  toolBar->addAction(addLinkAction_);
  toolBar->addSeparator();
  toolBar->addAction(resumeAction_);
  toolBar->addAction(pauseAction_);
  toolBar->addAction(removeAction_);
  // Settings sits apart at the far end, away from the task commands.
  auto* spacer = new QWidget(toolBar);
  spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  toolBar->addWidget(spacer);
  toolBar->addAction(settingsAction_);
}

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
  const AddResult result =
      bridge_->addSource(source, saveDir.isEmpty() ? defaultSaveDir() : saveDir);
  if (!result.ok()) {
    statusBar()->showMessage(tr("Could not add %1: %2").arg(source.trimmed(), result.error),
                             kStatusMessageMs);
    return result.error;
  }
  statusBar()->showMessage(tr("Added %1").arg(source.trimmed()), kStatusMessageMs);
  return {};
}

void MainWindow::addTorrentFiles() {
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Add Torrent Files"), QDir::homePath(),
                                    tr("Torrent files (*.torrent);;All files (*)"));
  QStringList failures;
  for (const QString& file : files) {
    const QString error = addSource(file);
    if (!error.isEmpty()) {
      failures << tr("%1: %2").arg(QFileInfo(file).fileName(), error);
    }
  }
  if (!failures.isEmpty()) {
    QMessageBox::warning(this, tr("Add Torrent"), failures.join(QLatin1Char('\n')));
  }
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
  const QString error = addSource(link);
  if (!error.isEmpty()) {
    QMessageBox::warning(this, tr("Add Magnet or URL"), error);
  }
}

void MainWindow::pasteLinks() {
  // One link per line, as browsers and chat clients copy several at once.
  const QStringList lines =
      QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  QStringList failures;
  int added = 0;
  for (const QString& line : lines) {
    if (!looksLikeLink(line)) {
      continue;
    }
    const QString error = addSource(line.trimmed());
    if (error.isEmpty()) {
      ++added;
    } else {
      failures << QStringLiteral("%1: %2").arg(line.trimmed(), error);
    }
  }
  if (added == 0 && failures.isEmpty()) {
    statusBar()->showMessage(tr("The clipboard holds no link."), kStatusMessageMs);
  }
  if (!failures.isEmpty()) {
    QMessageBox::warning(this, tr("Paste Links"), failures.join(QLatin1Char('\n')));
  }
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
  if (dialog.exec() == QDialog::Accepted) {
    bridge_->setGlobalLimits(dialog.maxDownloadRate(), dialog.maxUploadRate());
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

QString MainWindow::defaultSaveDir() const {
  const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
  return downloads.isEmpty() ? QDir::homePath() : downloads;
}

}  // namespace tributary::ui
