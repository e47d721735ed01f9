// Public to ui/: the proxy between the task model and the task table. It
// sorts by TaskListModel::SortRole, keeps the rows of one state bucket (the
// side bar's All, Downloading, ...) whose name holds the search text, and
// counts every bucket as the model changes.
#pragma once

#include <QList>
#include <QSortFilterProxyModel>
#include <array>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

class TaskFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  enum StateFilter { All, Downloading, Queued, Seeding, Completed, Paused, Errored, FilterCount };

  explicit TaskFilterProxy(QObject* parent = nullptr);

  void setSourceModel(QAbstractItemModel* source) override;

  StateFilter stateFilter() const { return filter_; }
  void setStateFilter(StateFilter filter);
  QString searchText() const { return search_; }
  // Case-insensitive substring of the shown name; empty keeps every name.
  // Takes effect at once: the search box debounces typing before calling it.
  void setSearchText(const QString& text);

  // Tasks in `filter`'s bucket among all rows of the source model, whatever
  // the current filter and search text.
  int count(StateFilter filter) const { return counts_.at(filter); }
  static bool matches(StateFilter filter, TaskStatus status);
  static QString filterName(StateFilter filter);

 signals:
  // When a count changed: at once, so a view drawn right after an update
  // shows the counts of that update. A batch of figures that changes no
  // task's state changes no count and sends nothing.
  void countsChanged();

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  void recountAll();
  void onRowsInserted(const QModelIndex& parent, int first, int last);
  void onRowsRemoved(const QModelIndex& parent, int first, int last);
  void onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                     const QList<int>& roles);
  TaskStatus statusAt(int sourceRow) const;
  void add(TaskStatus status, int delta);

  StateFilter filter_ = All;
  QString search_;
  // The status of each source row as last counted, in source row order: a
  // batch that changes a few rows is counted from those rows alone.
  QList<TaskStatus> statuses_;
  std::array<int, FilterCount> counts_{};
  QList<QMetaObject::Connection> sourceConnections_;
};

}  // namespace tributary::ui
