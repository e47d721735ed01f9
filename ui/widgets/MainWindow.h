// Public to ui/: the main window. It owns the task model and the view, and
// turns user actions into bridge commands; it never sees an engine type.
#pragma once

#include <QMainWindow>
#include <QString>

#include "ui/bridge/BridgeTypes.h"

class QAction;
class QLabel;
class QSortFilterProxyModel;

namespace tributary::ui {

class EngineBridge;
class TaskListModel;
class TaskTableView;
class TransferStatusWidget;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(EngineBridge* bridge, QWidget* parent = nullptr);
  ~MainWindow() override;

  TaskTableView* taskView() const { return view_; }
  TaskListModel* taskModel() const { return model_; }

  // Adds `source` to `saveDir` (the default download folder when empty) and
  // reports the outcome in the status bar; returns the engine's refusal, if any.
  QString addSource(const QString& source, const QString& saveDir = {});

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
  void removeSelected();
  void openSettings();
  void showAbout();

  void onStats(const tributary::ui::GlobalStats& stats);
  void onTaskEvent(const tributary::ui::TaskEventInfo& event);
  void updateActionStates();
  QString taskName(quint64 id) const;
  QString defaultSaveDir() const;

  EngineBridge* bridge_;
  TaskListModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  TaskTableView* view_ = nullptr;
  TransferStatusWidget* transferStatus_ = nullptr;
  GlobalStats lastStats_;

  QAction* addTorrentAction_ = nullptr;
  QAction* addLinkAction_ = nullptr;
  QAction* pasteLinksAction_ = nullptr;
  QAction* resumeAction_ = nullptr;
  QAction* pauseAction_ = nullptr;
  QAction* removeAction_ = nullptr;
  QAction* resumeAllAction_ = nullptr;
  QAction* pauseAllAction_ = nullptr;
  QAction* settingsAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  QAction* aboutAction_ = nullptr;
};

}  // namespace tributary::ui
