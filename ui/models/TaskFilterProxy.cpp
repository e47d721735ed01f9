#include "ui/models/TaskFilterProxy.h"

#include <algorithm>

#include "ui/models/TaskListModel.h"

namespace tributary::ui {

TaskFilterProxy::TaskFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(TaskListModel::SortRole);
  setSortCaseSensitivity(Qt::CaseInsensitive);
  setSortLocaleAware(true);
  // Re-filters and re-sorts only the rows a batch changed.
  setDynamicSortFilter(true);
}

void TaskFilterProxy::setSourceModel(QAbstractItemModel* source) {
  for (const QMetaObject::Connection& connection : sourceConnections_) {
    disconnect(connection);
  }
  sourceConnections_.clear();
  QSortFilterProxyModel::setSourceModel(source);
  if (source != nullptr) {
    sourceConnections_ = {
        connect(source, &QAbstractItemModel::rowsInserted, this, &TaskFilterProxy::onRowsInserted),
        connect(source, &QAbstractItemModel::rowsRemoved, this, &TaskFilterProxy::onRowsRemoved),
        connect(source, &QAbstractItemModel::dataChanged, this, &TaskFilterProxy::onDataChanged),
        connect(source, &QAbstractItemModel::modelReset, this, &TaskFilterProxy::recountAll),
        connect(source, &QAbstractItemModel::layoutChanged, this, &TaskFilterProxy::recountAll),
        connect(source, &QAbstractItemModel::rowsMoved, this, &TaskFilterProxy::recountAll),
    };
  }
  recountAll();
}

// The buckets follow qBittorrent's side bar, mapped onto TaskState:
// - Downloading is every task still working towards its data: Queued,
//   Checking (verifying what is on disk before going on) and
//   FetchingMetadata (a magnet without its info dictionary yet) as well as
//   Downloading itself.
// - Queued is the part of Downloading that waits for a slot in the download
//   queue (qBittorrent lists it under Downloading too).
// - Completed is every task whose selected bytes are all verified, so it
//   holds the seeding tasks too (qBittorrent counts them both ways as well).
// - Paused and Errored (Failed) are their own buckets only: a paused task
//   does not say whether it was downloading or seeding.
// The buckets therefore overlap and their counts need not add up to All.
bool TaskFilterProxy::matches(StateFilter filter, TaskStatus status) {
  switch (filter) {
    case All:
      return true;
    case Downloading:
      return status == TaskStatus::Queued || status == TaskStatus::Checking ||
             status == TaskStatus::FetchingMetadata || status == TaskStatus::Downloading;
    case Queued:
      return status == TaskStatus::Queued;
    case Seeding:
      return status == TaskStatus::Seeding;
    case Completed:
      return status == TaskStatus::Completed || status == TaskStatus::Seeding;
    case Paused:
      return status == TaskStatus::Paused;
    case Errored:
      return status == TaskStatus::Failed;
    case FilterCount:
      break;
  }
  return false;
}

QString TaskFilterProxy::filterName(StateFilter filter) {
  switch (filter) {
    case All:
      return tr("All");
    case Downloading:
      return tr("Downloading");
    case Queued:
      return tr("Queued");
    case Seeding:
      return tr("Seeding");
    case Completed:
      return tr("Completed");
    case Paused:
      return tr("Paused");
    case Errored:
      return tr("Errored");
    case FilterCount:
      break;
  }
  return {};
}

void TaskFilterProxy::setStateFilter(StateFilter filter) {
  if (filter == filter_ || filter < All || filter >= FilterCount) {
    return;
  }
  filter_ = filter;
  invalidateFilter();
}

void TaskFilterProxy::setSearchText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == search_) {
    return;
  }
  search_ = trimmed;
  invalidateFilter();
}

bool TaskFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QAbstractItemModel* source = sourceModel();
  if (filter_ != All) {
    const QModelIndex index = source->index(sourceRow, 0, sourceParent);
    if (!matches(filter_, static_cast<TaskStatus>(index.data(TaskListModel::StatusRole).toInt()))) {
      return false;
    }
  }
  if (search_.isEmpty()) {
    return true;
  }
  // The shown name: a task without one yet shows its source, and is found by it.
  const QModelIndex name = source->index(sourceRow, TaskListModel::NameColumn, sourceParent);
  return name.data(Qt::DisplayRole).toString().contains(search_, Qt::CaseInsensitive);
}

TaskStatus TaskFilterProxy::statusAt(int sourceRow) const {
  return static_cast<TaskStatus>(
      sourceModel()->index(sourceRow, 0).data(TaskListModel::StatusRole).toInt());
}

void TaskFilterProxy::add(TaskStatus status, int delta) {
  for (int filter = All; filter < FilterCount; ++filter) {
    if (matches(static_cast<StateFilter>(filter), status)) {
      counts_[filter] += delta;
    }
  }
}

void TaskFilterProxy::recountAll() {
  counts_.fill(0);
  statuses_.clear();
  const QAbstractItemModel* source = sourceModel();
  const int rows = source != nullptr ? source->rowCount() : 0;
  statuses_.reserve(rows);
  for (int row = 0; row < rows; ++row) {
    statuses_.append(statusAt(row));
    add(statuses_.last(), 1);
  }
  emit countsChanged();
}

void TaskFilterProxy::onRowsInserted(const QModelIndex& parent, int first, int last) {
  if (parent.isValid()) {
    return;
  }
  QList<TaskStatus> inserted;
  inserted.reserve(last - first + 1);
  for (int row = first; row <= last; ++row) {
    inserted.append(statusAt(row));
    add(inserted.last(), 1);
  }
  statuses_.insert(first, inserted.size(), TaskStatus::Queued);
  std::copy(inserted.cbegin(), inserted.cend(), statuses_.begin() + first);
  emit countsChanged();
}

void TaskFilterProxy::onRowsRemoved(const QModelIndex& parent, int first, int last) {
  if (parent.isValid()) {
    return;
  }
  for (int row = first; row <= last; ++row) {
    add(statuses_.at(row), -1);
  }
  statuses_.remove(first, last - first + 1);
  emit countsChanged();
}

void TaskFilterProxy::onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                                    const QList<int>& roles) {
  if (topLeft.parent().isValid() ||
      (!roles.isEmpty() && !roles.contains(TaskListModel::StatusRole))) {
    return;
  }
  bool changed = false;
  for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
    const TaskStatus status = statusAt(row);
    if (status != statuses_.at(row)) {
      add(statuses_.at(row), -1);
      add(status, 1);
      statuses_[row] = status;
      changed = true;
    }
  }
  if (changed) {
    emit countsChanged();
  }
}

}  // namespace tributary::ui
