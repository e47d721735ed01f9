// Public to ui/: the Sources tab. One row per origin URL or CDN mirror of
// the task shown, and one for a torrent's swarm (SwarmSource), with what
// each is doing and what it has given.
#pragma once

#include "ui/bridge/TaskDetails.h"
#include "ui/models/KeyedRowModel.h"

namespace tributary::ui {

class SourceListModel : public KeyedRowModel<SourceInfo> {
  Q_OBJECT

 public:
  enum Column {
    UrlColumn,
    KindColumn,
    StateColumn,
    ConnectionsColumn,
    SpeedColumn,
    DownloadedColumn,
    ErrorColumn,
    ColumnCount,
  };

  enum Role {
    SortRole = Qt::UserRole + 1,
  };

  explicit SourceListModel(QObject* parent = nullptr);

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  static QString kindText(SourceKind kind);
  static QString stateText(SourceState state);

 protected:
  QString keyOf(const SourceInfo& source) const override { return source.url; }
};

}  // namespace tributary::ui
