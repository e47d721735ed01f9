// Public to ui/: the main window. It owns the task model, the task table and
// the details panel under it, turns user actions (toolbar, menus, drops) into
// bridge commands, and never sees an engine type.
#pragma once

#include <QMainWindow>
#include <QString>
#include <memory>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/TaskDetails.h"

class QAction;
class QLabel;
class QSplitter;

namespace tributary::ui {

class AppSettings;
class EngineBridge;
class FilterSidebar;
class SourceAdder;
class TaskDetailsPanel;
class TaskFilterProxy;
class TaskListModel;
class TaskSearchField;
class TaskTableView;
class TransferStatusWidget;
class TaskContextMenu;
class TrafficHistoryDialog;
class TrayIcon;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(EngineBridge* bridge, QWidget* parent = nullptr);
  ~MainWindow() override;

  TaskTableView* taskView() const { return view_; }
  TaskListModel* taskModel() const { return model_; }
  TaskFilterProxy* taskProxy() const { return proxy_; }
  FilterSidebar* filterSidebar() const { return sidebar_; }
  TaskDetailsPanel* detailsPanel() const { return details_; }
  SourceAdder* sourceAdder() const { return adder_; }
  TrayIcon* trayIcon() const { return tray_; }
  TaskContextMenu* contextMenu() const { return contextMenu_; }
  // Null until Tools > Traffic History is first opened.
  TrafficHistoryDialog* trafficDialog() const { return trafficDialog_; }

  // Adds `source` to `saveDir` (the default download folder when empty) and
  // reports the outcome in the status bar; returns the engine's refusal, if any.
  QString addSource(const QString& source, const QString& saveDir = {});
  // Adds several, as a drop or the Add Torrent dialog does: refusals are
  // listed together in one message box that does not block.
  int addSources(const QStringList& sources);

  // Ends the program, past close-to-tray: File > Quit and the tray's Quit.
  void quit();

 protected:
  // Closing or minimising may hide the window into the tray (TrayIcon).
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createToolBar();
  void createStatusBar();

  void addTorrentFiles();
  void addLink();
  void pasteLinks();
  void resumeSelected();
  void pauseSelected();
  // Removing with the files deleted always asks; keeping them asks unless
  // the settings say not to.
  void removeSelected(bool deleteFiles);
  void openSettings();
  void openTrafficHistory();
  void showAbout();
  // Whether quitting may go on: asks when the settings want it and a download runs.
  bool confirmQuit();

  void onStats(const tributary::ui::GlobalStats& stats);
  void onTaskEvent(const tributary::ui::TaskEventInfo& event);
  void onTaskDetails(const tributary::ui::TaskDetails& details);
  void updateActionStates();
  void updateDetails();
  quint64 detailsTaskId() const;
  QString taskName(quint64 id) const;

  EngineBridge* bridge_;
  std::unique_ptr<AppSettings> settings_;
  SourceAdder* adder_ = nullptr;
  TaskListModel* model_ = nullptr;
  TaskFilterProxy* proxy_ = nullptr;
  FilterSidebar* sidebar_ = nullptr;
  TaskSearchField* search_ = nullptr;
  TaskTableView* view_ = nullptr;
  TaskDetailsPanel* details_ = nullptr;
  QSplitter* splitter_ = nullptr;
  TransferStatusWidget* transferStatus_ = nullptr;
  GlobalStats lastStats_;
  TrayIcon* tray_ = nullptr;
  TaskContextMenu* contextMenu_ = nullptr;
  TrafficHistoryDialog* trafficDialog_ = nullptr;
  bool quitting_ = false;

  QAction* addTorrentAction_ = nullptr;
  QAction* addLinkAction_ = nullptr;
  QAction* pasteLinksAction_ = nullptr;
  QAction* resumeAction_ = nullptr;
  QAction* pauseAction_ = nullptr;
  QAction* removeAction_ = nullptr;
  QAction* removeWithFilesAction_ = nullptr;
  QAction* resumeAllAction_ = nullptr;
  QAction* pauseAllAction_ = nullptr;
  QAction* settingsAction_ = nullptr;
  QAction* trafficAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  QAction* aboutAction_ = nullptr;
};

}  // namespace tributary::ui
