// Public to ui/: the task table. One row per task, fed by the bridge's
// tasksUpdated batches; views sort and filter it through a proxy.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

class TaskListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    QueuePositionColumn,  // "#", first as in qBittorrent; blank for a finished task
    NameColumn,
    SizeColumn,
    ProgressColumn,
    StatusColumn,
    DownloadRateColumn,
    UploadRateColumn,
    EtaColumn,
    PeersColumn,
    SourcesColumn,
    RatioColumn,
    AddedColumn,
    ColumnCount,
  };

  enum Role {
    TaskIdRole = Qt::UserRole + 1,  // quint64
    SortRole,       // a number or string that orders the column; invalid when unknown
    ProgressRole,   // double in [0, 1]; invalid while the size is unknown
    StatusRole,     // TaskStatus as int
    SourceMixRole,  // QVariantList of the BT, HTTP and CDN shares of the bytes downloaded;
                    // invalid before the first byte
  };

  explicit TaskListModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // -1 when the task has no row.
  int rowOf(quint64 id) const;
  const TaskRow& taskAt(int row) const { return rows_.at(row); }

  static QString statusText(TaskStatus status);

 public slots:
  // Takes EngineBridge::tasksUpdated as is. Changed rows are replaced in place
  // (one dataChanged per contiguous run), new ones appended, removed ones
  // dropped; a full batch also drops every row it does not mention.
  void applyUpdate(const QList<tributary::ui::TaskRow>& changed, const QList<quint64>& removed,
                   bool full);

 private:
  void removeTaskRows(QList<int> rows);
  void emitRowsChanged(QList<int> rows, const QHash<int, quint32>& columns);
  void rebuildIndex();

  QList<TaskRow> rows_;
  QHash<quint64, int> rowById_;
};

}  // namespace tributary::ui
