// Public to ui/: the Trackers tab. One row per announce URL of the task shown.
#pragma once

#include "ui/bridge/TaskDetails.h"
#include "ui/models/KeyedRowModel.h"

namespace tributary::ui {

class TrackerListModel : public KeyedRowModel<TrackerInfo> {
  Q_OBJECT

 public:
  enum Column {
    UrlColumn,
    TierColumn,
    StatusColumn,
    PeersColumn,
    SeedsColumn,
    LeechersColumn,
    NextAnnounceColumn,
    MessageColumn,
    ColumnCount,
  };

  enum Role {
    SortRole = Qt::UserRole + 1,
  };

  explicit TrackerListModel(QObject* parent = nullptr);

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  static QString statusText(TrackerStatus status);

 protected:
  QString keyOf(const TrackerInfo& tracker) const override { return tracker.url; }
};

}  // namespace tributary::ui
