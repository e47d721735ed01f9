// MainWindow's actions, menus and toolbar: what each command is called, its
// icon, shortcut and place. Kept apart from MainWindow.cpp, which does the work.
#include <QAction>
#include <QMenuBar>
#include <QToolBar>

#include "ui/bridge/EngineBridge.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TaskSearchField.h"

namespace tributary::ui {

namespace {

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

}  // namespace

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
  removeWithFilesAction_ =
      makeAction(this, QStringLiteral("actionRemoveWithFiles"), {}, tr("Remove and &Delete Files…"),
                 QKeySequence(Qt::SHIFT | Qt::Key_Delete));
  resumeAllAction_ = makeAction(this, QStringLiteral("actionResumeAll"), {}, tr("Resume &All"));
  pauseAllAction_ = makeAction(this, QStringLiteral("actionPauseAll"), {}, tr("Pause A&ll"));
  settingsAction_ = makeAction(this, QStringLiteral("actionSettings"), QStringLiteral("settings"),
                               tr("&Settings…"), QKeySequence::Preferences);
  settingsAction_->setIconText(tr("Settings"));
  trafficAction_ = makeAction(this, QStringLiteral("actionTrafficHistory"), {},
                              tr("&Traffic History…"), QKeySequence(tr("Ctrl+Shift+T")));
  trafficAction_->setToolTip(tr("Bytes by kind of source, per day and in total"));
  quitAction_ = makeAction(this, QStringLiteral("actionQuit"), {}, tr("&Quit"), QKeySequence::Quit);
  aboutAction_ = makeAction(this, QStringLiteral("actionAbout"), {}, tr("&About Tributary"));

  connect(addTorrentAction_, &QAction::triggered, this, &MainWindow::addTorrentFiles);
  connect(addLinkAction_, &QAction::triggered, this, &MainWindow::addLink);
  connect(pasteLinksAction_, &QAction::triggered, this, &MainWindow::pasteLinks);
  connect(resumeAction_, &QAction::triggered, this, &MainWindow::resumeSelected);
  connect(pauseAction_, &QAction::triggered, this, &MainWindow::pauseSelected);
  connect(removeAction_, &QAction::triggered, this, [this] { removeSelected(false); });
  connect(removeWithFilesAction_, &QAction::triggered, this, [this] { removeSelected(true); });
  connect(resumeAllAction_, &QAction::triggered, bridge_, &EngineBridge::resumeAll);
  connect(pauseAllAction_, &QAction::triggered, bridge_, &EngineBridge::pauseAll);
  connect(settingsAction_, &QAction::triggered, this, &MainWindow::openSettings);
  connect(trafficAction_, &QAction::triggered, this, &MainWindow::openTrafficHistory);
  connect(quitAction_, &QAction::triggered, this, &MainWindow::quit);
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
  tasks->addAction(removeWithFilesAction_);
  tasks->addSeparator();
  tasks->addAction(resumeAllAction_);
  tasks->addAction(pauseAllAction_);

  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(trafficAction_);
  tools->addSeparator();
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
  toolBar->addWidget(search_);
  toolBar->addAction(settingsAction_);
}

}  // namespace tributary::ui
