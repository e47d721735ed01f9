// Public to ui/: the Files tab. One row per file of the task shown, with its
// size and how much of it is in verified pieces.
#pragma once

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

  explicit FileListModel(QObject* parent = nullptr);

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  static QString priorityText(quint8 priority);

 protected:
  QString keyOf(const FileInfo& file) const override { return file.path; }
};

}  // namespace tributary::ui
