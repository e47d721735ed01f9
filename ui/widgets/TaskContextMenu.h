// Public to ui/: the task table's right-click menu. It acts on the tasks the
// caller names (the selection): resume, pause and remove come from the main
// window's own actions (same texts, same confirmations); the menu adds what
// only makes sense for particular tasks: open the folder, copy magnet links,
// force a recheck, per-task speed limits, a torrent's source preference,
// moves in the download queue.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <functional>
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
  // "Set location": asks for a folder (setFolderChooser), then moves the
  // torrents of `ids` there, or points them at files the user moved there.
  void askLocation(const QList<quint64>& ids) const;
  void setLocation(const QList<quint64>& ids, const QString& dir) const;
  // Tests answer the folder question without a native dialog; the argument
  // is the folder to start in, the answer empty when cancelled.
  void setFolderChooser(std::function<QString(const QString&)> chooser) {
    chooseFolder_ = std::move(chooser);
  }
  // Opens the limits dialog (not modal to the app: open(), never exec()).
  void askLimits(const QList<quint64>& ids) const;
  void setLimits(const QList<quint64>& ids, quint64 downloadRate, quint64 uploadRate) const;
  // "Sources…": opens SourcePolicyDialog (open(), never exec()) with the
  // first torrent's values, then applies the choice to every torrent and
  // magnet of `ids`; HTTP downloads have no swarm to weigh, so they are left out.
  void askSourcePolicy(const QList<quint64>& ids) const;
  void setSourcePolicy(const QList<quint64>& ids, const SourcePolicy& policy) const;
  // Moves the tasks of `ids` that have a place in the queue (finished ones
  // have none) as one block, keeping their order (QueueMoveOrder).
  void moveInQueue(const QList<quint64>& ids, QueueMove move) const;

 private:
  QList<const TaskRow*> rowsOf(const QList<quint64>& ids) const;
  void addQueueMenu(QMenu* menu, const QList<quint64>& ids, bool anyQueued) const;

  TaskListModel* model_;
  EngineBridge* bridge_;
  QWidget* dialogParent_;
  std::function<QString(const QString&)> chooseFolder_;
};

}  // namespace tributary::ui
