#include "ui/models/TaskListModel.h"

#include <QColor>
#include <QDateTime>
#include <QHash>
#include <QLocale>
#include <QSet>
#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <optional>

#include "ui/models/ColumnHeader.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

std::optional<double> progressOf(const TaskRow& task) {
  if (!task.sizeKnown) {
    return std::nullopt;
  }
  if (task.totalBytes == 0) {
    return 1.0;  // an empty file is complete as soon as its size is known
  }
  return std::min(1.0, static_cast<double>(task.verifiedBytes) / task.totalBytes);
}

// Only while bytes are flowing toward a known size; any other ETA would be a guess.
std::optional<qint64> etaOf(const TaskRow& task) {
  if (task.status != TaskStatus::Downloading || !task.sizeKnown || task.downloadRate == 0 ||
      task.verifiedBytes >= task.totalBytes) {
    return std::nullopt;
  }
  return static_cast<qint64>((task.totalBytes - task.verifiedBytes) / task.downloadRate);
}

// Uploaded over downloaded. Data seeded from disk has no download to divide by.
std::optional<double> ratioOf(const TaskRow& task) {
  const quint64 downloaded = task.traffic.downloaded();
  if (downloaded == 0) {
    return std::nullopt;
  }
  return static_cast<double>(task.traffic.shared) / downloaded;
}

bool hasPeers(const TaskRow& task) {
  return task.kind != TaskKind::Http;
}

QString sourceMixText(const TaskRow& task) {
  const quint64 total = task.traffic.downloaded();
  if (total == 0) {
    return {};
  }
  QStringList parts;
  auto add = [&](const QString& label, quint64 part) {
    if (part != 0) {
      // Whole percents: the mix is a proportion to glance at, not a measurement.
      const int percent = static_cast<int>(std::lround(100.0 * static_cast<double>(part) / total));
      parts << QStringLiteral("%1 %2%").arg(label, QLocale().toString(percent));
    }
  };
  // Source labels are product terms (DESIGN.md), the same in every language.
  add(QStringLiteral("BT"), task.traffic.bt);
  add(QStringLiteral("HTTP"), task.traffic.http);
  add(QStringLiteral("CDN"), task.traffic.cdn);
  return parts.join(QStringLiteral(" · "));
}

QVariant displayText(const TaskRow& task, int column) {
  switch (column) {
    case TaskListModel::QueuePositionColumn:
      return task.queuePosition != 0 ? QVariant(QLocale().toString(task.queuePosition))
                                     : QVariant();
    case TaskListModel::NameColumn:
      return task.name.isEmpty() ? task.source : task.name;
    case TaskListModel::SizeColumn:
      return task.sizeKnown ? QVariant(Format::bytes(task.totalBytes)) : QVariant();
    case TaskListModel::ProgressColumn: {
      const auto progress = progressOf(task);
      return progress ? QVariant(Format::percent(*progress)) : QVariant();
    }
    case TaskListModel::StatusColumn:
      return TaskListModel::statusText(task.status);
    // Zero rates are left blank, as most download managers do: a column of
    // "0 B/s" hides the few rows that are moving.
    case TaskListModel::DownloadRateColumn:
      return task.downloadRate ? QVariant(Format::rate(task.downloadRate)) : QVariant();
    case TaskListModel::UploadRateColumn:
      return task.uploadRate ? QVariant(Format::rate(task.uploadRate)) : QVariant();
    case TaskListModel::EtaColumn: {
      const auto eta = etaOf(task);
      return eta ? QVariant(Format::duration(*eta)) : QVariant();
    }
    case TaskListModel::PeersColumn:
      return hasPeers(task) ? QVariant(QStringLiteral("%1 / %2").arg(task.seeds).arg(task.peers))
                            : QVariant();
    case TaskListModel::SourcesColumn:
      return sourceMixText(task);
    case TaskListModel::RatioColumn: {
      const auto ratio = ratioOf(task);
      return ratio ? QVariant(QLocale().toString(*ratio, 'f', 2)) : QVariant();
    }
    case TaskListModel::AddedColumn:
      if (task.addedAtUnix == 0) {
        return {};
      }
      return QLocale().toString(QDateTime::fromSecsSinceEpoch(task.addedAtUnix),
                                QLocale::ShortFormat);
    default:
      return {};
  }
}

QVariant sortKey(const TaskRow& task, int column) {
  auto orInvalid = [](const auto& optional) {
    return optional ? QVariant::fromValue(*optional) : QVariant();
  };
  switch (column) {
    case TaskListModel::QueuePositionColumn:  // finished tasks (no place) after the rest
      return task.queuePosition != 0 ? QVariant::fromValue(task.queuePosition) : QVariant();
    case TaskListModel::NameColumn:
      return displayText(task, column);
    case TaskListModel::SizeColumn:
      return task.sizeKnown ? QVariant::fromValue(task.totalBytes) : QVariant();
    case TaskListModel::ProgressColumn:
      return orInvalid(progressOf(task));
    case TaskListModel::StatusColumn:
      return static_cast<int>(task.status);
    case TaskListModel::DownloadRateColumn:
      return QVariant::fromValue(task.downloadRate);
    case TaskListModel::UploadRateColumn:
      return QVariant::fromValue(task.uploadRate);
    case TaskListModel::EtaColumn:
      return orInvalid(etaOf(task));
    case TaskListModel::PeersColumn:
      return hasPeers(task) ? QVariant::fromValue(task.seeds + task.peers) : QVariant();
    case TaskListModel::SourcesColumn:
      return QVariant::fromValue(task.traffic.downloaded());
    case TaskListModel::RatioColumn:
      return orInvalid(ratioOf(task));
    case TaskListModel::AddedColumn:
      return task.addedAtUnix ? QVariant::fromValue(task.addedAtUnix) : QVariant();
    default:
      return {};
  }
}

bool isNumeric(int column) {
  return column != TaskListModel::NameColumn && column != TaskListModel::StatusColumn &&
         column != TaskListModel::SourcesColumn && column != TaskListModel::AddedColumn;
}

// Calls `emitRun(first, last)` for each run of consecutive numbers in `rows`,
// visiting runs in descending order when `descending`.
void forEachRun(QList<int> rows, bool descending, const std::function<void(int, int)>& emitRun) {
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  QList<std::pair<int, int>> runs;
  for (int row : rows) {
    if (!runs.isEmpty() && runs.last().second + 1 == row) {
      runs.last().second = row;
    } else {
      runs.append({row, row});
    }
  }
  if (descending) {
    std::reverse(runs.begin(), runs.end());
  }
  for (const auto& [first, last] : runs) {
    emitRun(first, last);
  }
}

// The columns whose text, sort key or painting differ between two versions
// of a task, as a bit per column: a view (and the proxy, which re-sorts only
// when the sort column is in a dataChanged range) then redoes only those.
quint32 changedColumns(const TaskRow& a, const TaskRow& b) {
  quint32 mask = 0;
  const auto mark = [&mask](int column, bool changed) {
    if (changed) {
      mask |= 1U << column;
    }
  };
  const bool size = a.totalBytes != b.totalBytes || a.sizeKnown != b.sizeKnown;
  const bool progress = size || a.verifiedBytes != b.verifiedBytes;
  mark(TaskListModel::QueuePositionColumn, a.queuePosition != b.queuePosition);
  mark(TaskListModel::NameColumn,
       a.name != b.name || a.source != b.source || a.saveDir != b.saveDir);
  mark(TaskListModel::SizeColumn, size);
  mark(TaskListModel::ProgressColumn, progress);
  mark(TaskListModel::StatusColumn, a.status != b.status || a.errorText != b.errorText);
  mark(TaskListModel::DownloadRateColumn, a.downloadRate != b.downloadRate);
  mark(TaskListModel::UploadRateColumn, a.uploadRate != b.uploadRate);
  mark(TaskListModel::EtaColumn,
       progress || a.downloadRate != b.downloadRate || a.status != b.status);
  mark(TaskListModel::PeersColumn, a.seeds != b.seeds || a.peers != b.peers);
  mark(TaskListModel::SourcesColumn, !(a.traffic == b.traffic));
  mark(TaskListModel::RatioColumn, !(a.traffic == b.traffic) || size);
  mark(TaskListModel::AddedColumn, a.addedAtUnix != b.addedAtUnix);
  return mask;
}

}  // namespace

TaskListModel::TaskListModel(QObject* parent) : QAbstractTableModel(parent) {}

int TaskListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TaskListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const TaskRow& task = rows_.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return displayText(task, index.column());
    case Qt::ToolTipRole:
      if (index.column() == StatusColumn && !task.errorText.isEmpty()) {
        return task.errorText;
      }
      if (index.column() == NameColumn) {
        return tr("%1\nSaved in: %2").arg(task.source, task.saveDir);
      }
      if (index.column() == SourcesColumn && task.traffic.downloaded() != 0) {
        // The bytes behind the percentages (labels are product terms).
        return QStringLiteral("BT: %1\nHTTP: %2\nCDN: %3")
            .arg(Format::bytes(task.traffic.bt), Format::bytes(task.traffic.http),
                 Format::bytes(task.traffic.cdn));
      }
      return {};
    case Qt::TextAlignmentRole:
      return columnAlignment(isNumeric(index.column()));
    case Qt::ForegroundRole:
      if (index.column() == StatusColumn && task.status == TaskStatus::Failed) {
        return QColor(0xc5, 0x30, 0x30);  // the red of the remove icon
      }
      return {};
    case TaskIdRole:
      return QVariant::fromValue(task.id);
    case SortRole:
      return sortKey(task, index.column());
    case ProgressRole: {
      const auto progress = progressOf(task);
      return progress ? QVariant(*progress) : QVariant();
    }
    case StatusRole:
      return static_cast<int>(task.status);
    case SourceMixRole: {
      const quint64 total = task.traffic.downloaded();
      if (total == 0) {
        return {};
      }
      const auto share = [total](quint64 part) {
        return static_cast<double>(part) / static_cast<double>(total);
      };
      return QVariantList{share(task.traffic.bt), share(task.traffic.http),
                          share(task.traffic.cdn)};
    }
    default:
      return {};
  }
}

QVariant TaskListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader(orientation, role, isNumeric(section), [section] {
    switch (section) {
      case QueuePositionColumn:
        return tr("#");
      case NameColumn:
        return tr("Name");
      case SizeColumn:
        return tr("Size");
      case ProgressColumn:
        return tr("Progress");
      case StatusColumn:
        return tr("Status");
      case DownloadRateColumn:
        return tr("Down Speed");
      case UploadRateColumn:
        return tr("Up Speed");
      case EtaColumn:
        return tr("ETA");
      case PeersColumn:
        return tr("Seeds / Peers");
      case SourcesColumn:
        return tr("Sources");
      case RatioColumn:
        return tr("Ratio");
      case AddedColumn:
        return tr("Added On");
      default:
        return QString();
    }
  });
}

int TaskListModel::rowOf(quint64 id) const {
  return rowById_.value(id, -1);
}

QString TaskListModel::statusText(TaskStatus status) {
  switch (status) {
    case TaskStatus::Queued:
      return tr("Queued");
    case TaskStatus::Checking:
      return tr("Checking");
    case TaskStatus::FetchingMetadata:
      return tr("Fetching metadata");
    case TaskStatus::Downloading:
      return tr("Downloading");
    case TaskStatus::Seeding:
      return tr("Seeding");
    case TaskStatus::Paused:
      return tr("Paused");
    case TaskStatus::Completed:
      return tr("Completed");
    case TaskStatus::Failed:
      return tr("Failed");
  }
  return {};
}

void TaskListModel::applyUpdate(const QList<TaskRow>& changed, const QList<quint64>& removed,
                                bool full) {
  QList<int> doomed;
  for (quint64 id : removed) {
    const int row = rowOf(id);
    if (row >= 0) {
      doomed.append(row);
    }
  }
  if (full) {
    QSet<quint64> present;
    for (const TaskRow& task : changed) {
      present.insert(task.id);
    }
    for (int row = 0; row < rows_.size(); ++row) {
      if (!present.contains(rows_.at(row).id)) {
        doomed.append(row);
      }
    }
  }
  removeTaskRows(doomed);

  QList<int> updated;
  QHash<int, quint32> columns;  // per updated row: the columns that changed
  QList<TaskRow> added;
  QSet<quint64> addedIds;
  for (const TaskRow& task : changed) {
    const int row = rowOf(task.id);
    if (row >= 0) {
      const quint32 mask = changedColumns(rows_.at(row), task);
      rows_[row] = task;
      if (mask != 0) {  // resent but nothing on screen differs: no signal
        updated.append(row);
        columns[row] |= mask;
      }
    } else if (!addedIds.contains(task.id)) {
      addedIds.insert(task.id);
      added.append(task);
    }
  }
  emitRowsChanged(updated, columns);

  if (!added.isEmpty()) {
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (const TaskRow& task : added) {
      rowById_.insert(task.id, static_cast<int>(rows_.size()));
      rows_.append(task);
    }
    endInsertRows();
  }
}

void TaskListModel::removeTaskRows(QList<int> rows) {
  if (rows.isEmpty()) {
    return;
  }
  // From the bottom up, so the rows of later runs keep their numbers.
  forEachRun(std::move(rows), true, [this](int first, int last) {
    beginRemoveRows({}, first, last);
    rows_.remove(first, last - first + 1);
    endRemoveRows();
  });
  rebuildIndex();
}

void TaskListModel::emitRowsChanged(QList<int> rows, const QHash<int, quint32>& columns) {
  // One signal per contiguous run (Transmission's rowsEmitChanged): a view
  // repaints a few spans instead of the whole table or every single row,
  // and only across the columns that changed in the run.
  forEachRun(std::move(rows), false, [this, &columns](int first, int last) {
    quint32 mask = 0;
    for (int row = first; row <= last; ++row) {
      mask |= columns.value(row, (1U << ColumnCount) - 1);
    }
    const int left = std::countr_zero(mask);
    const int right = 31 - std::countl_zero(mask);
    emit dataChanged(index(first, left), index(last, right));
  });
}

void TaskListModel::rebuildIndex() {
  rowById_.clear();
  for (int row = 0; row < rows_.size(); ++row) {
    rowById_.insert(rows_.at(row).id, row);
  }
}

}  // namespace tributary::ui
