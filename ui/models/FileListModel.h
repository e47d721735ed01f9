// Public to ui/: the Files tab. One row per file of the task shown, with its
// size, how much of it is in verified pieces, and its priority, which the
// user can change for a torrent's files.
#pragma once

#include <QHash>
#include <QStringList>

#include "ui/bridge/TaskDetails.h"
#include "ui/models/KeyedRowModel.h"

namespace tributary::ui {

class FileListModel : public KeyedRowModel<FileInfo> {
  Q_OBJECT

 public:
  enum Column {
    PathColumn,
    SizeColumn,
    ProgressColumn,
    PriorityColumn,
    ColumnCount,
  };

  enum Role {
    SortRole = Qt::UserRole + 1,
    ProgressRole,  // double in [0, 1]
  };

  // As Engine::setFilePriorities means them; anything above High is High.
  enum Priority : quint8 { Skip = 0, Normal = 1, High = 2 };

  // A priority the user chose is shown for this many updates while the
  // engine still reports the old one (2 Hz: ten seconds); after that the
  // engine's word stands, as the change evidently did not take.
  static constexpr int kPendingUpdates = 20;

  explicit FileListModel(QObject* parent = nullptr);

  // The files of task `owner` in the engine's order, which is the order of
  // the priority vector. Priorities the user just chose and the engine has
  // not reported yet keep showing, so a tick does not undo an edit.
  void setFiles(quint64 owner, const QList<FileInfo>& files);
  // A torrent's files have priorities; an HTTP download's one file has not.
  void setPrioritiesEditable(bool editable);
  bool prioritiesEditable() const { return editable_; }
  // Gives the files in model rows `rows` `priority` and asks for the whole
  // vector through prioritiesChangeRequested; false if nothing changed.
  bool setPriority(const QList<int>& rows, quint8 priority);
  // The priority of every file in the engine's order, as shown.
  QList<quint8> priorities() const;

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  static QString priorityText(quint8 priority);

 signals:
  void prioritiesChangeRequested(quint64 task, const QList<quint8>& priorities);

 protected:
  QString keyOf(const FileInfo& file) const override { return file.path; }

 private:
  struct Pending {
    quint8 priority = Normal;
    int updatesLeft = kPendingUpdates;
  };

  QHash<QString, Pending> pending_;  // by path: chosen, not yet reported back
  bool editable_ = false;
};

}  // namespace tributary::ui
