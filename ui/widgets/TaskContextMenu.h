// Public to ui/: the task table's right-click menu. It acts on the tasks the
// caller names (the selection): resume, pause and remove come from the main
// window's own actions (same texts, same confirmations); the menu adds what
// only makes sense for particular tasks: open the folder, copy magnet links,
// force a recheck, per-task speed limits, moves in the download queue.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <memory>

#include "ui/bridge/BridgeTypes.h"

class QAction;
class QMenu;
class QWidget;

namespace tributary::ui {

class EngineBridge;
class TaskListModel;
struct TaskRow;

class TaskContextMenu : public QObject {
  Q_OBJECT

 public:
  TaskContextMenu(TaskListModel* model, EngineBridge* bridge, QWidget* dialogParent);

  // The menu for `ids`, with `common` (resume, pause, remove) on top. The
  // caller shows it (popup) and owns it.
  std::unique_ptr<QMenu> build(const QList<quint64>& ids, const QList<QAction*>& common) const;

  // "magnet:?xt=urn:btih:HASH&dn=NAME" of a torrent task; empty for others.
  static QString magnetLink(const TaskRow& row);

  // The actions (exposed for tests), each acting on `ids`.
  void openFolders(const QList<quint64>& ids) const;
  void copyMagnetLinks(const QList<quint64>& ids) const;
  void recheck(const QList<quint64>& ids) const;
  // Opens the limits dialog (not modal to the app: open(), never exec()).
  void askLimits(const QList<quint64>& ids) const;
  void setLimits(const QList<quint64>& ids, quint64 downloadRate, quint64 uploadRate) const;
  // Moves the tasks of `ids` that have a place in the queue (finished ones
  // have none) as one block, keeping their order (QueueMoveOrder).
  void moveInQueue(const QList<quint64>& ids, QueueMove move) const;

 private:
  QList<const TaskRow*> rowsOf(const QList<quint64>& ids) const;
  void addQueueMenu(QMenu* menu, const QList<quint64>& ids, bool anyQueued) const;

  TaskListModel* model_;
  EngineBridge* bridge_;
  QWidget* dialogParent_;
};

}  // namespace tributary::ui
