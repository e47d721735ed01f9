#include "ui/models/FileListModel.h"

#include <algorithm>

#include "ui/models/ColumnHeader.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

double progressOf(const FileInfo& file) {
  if (file.size == 0) {
    return 1.0;  // nothing to fetch: an empty file is complete
  }
  return std::min(1.0, static_cast<double>(file.doneBytes) / static_cast<double>(file.size));
}

bool isNumeric(int column) {
  return column == FileListModel::SizeColumn || column == FileListModel::ProgressColumn;
}

quint8 level(quint8 priority) {
  return std::min<quint8>(priority, FileListModel::High);
}

}  // namespace

FileListModel::FileListModel(QObject* parent) : KeyedRowModel<FileInfo>(parent) {}

void FileListModel::setFiles(quint64 owner, const QList<FileInfo>& files) {
  if (owner != this->owner()) {
    pending_.clear();
  }
  QList<FileInfo> shown = files;
  for (FileInfo& file : shown) {
    const auto it = pending_.find(file.path);
    if (it == pending_.end()) {
      continue;
    }
    if (level(file.priority) == it->priority || --it->updatesLeft <= 0) {
      pending_.erase(it);  // the engine has it now, or never will
    } else {
      file.priority = it->priority;
    }
  }
  setRows(owner, shown);
}

void FileListModel::setPrioritiesEditable(bool editable) {
  if (editable_ == editable) {
    return;
  }
  editable_ = editable;
  if (!rows_.isEmpty()) {
    // Flags changed: views re-ask when the cells report a change.
    emit dataChanged(index(0, PriorityColumn), index(rowCount() - 1, PriorityColumn));
  }
}

bool FileListModel::setPriority(const QList<int>& rows, quint8 priority) {
  if (!editable_ || owner() == 0) {
    return false;
  }
  priority = level(priority);
  bool changed = false;
  for (int row : rows) {
    if (row < 0 || row >= rowCount()) {
      continue;
    }
    FileInfo& file = rows_[row];
    if (level(file.priority) != priority) {
      pending_.insert(file.path, Pending{priority, kPendingUpdates});
      file.priority = priority;
      const QModelIndex cell = index(row, PriorityColumn);
      emit dataChanged(cell, cell);
      changed = true;
    }
  }
  if (changed) {
    emit prioritiesChangeRequested(owner(), priorities());
  }
  return changed;
}

QList<quint8> FileListModel::priorities() const {
  // By each file's index in the torrent: padding files are not shown but
  // hold places in the engine's vector (left Normal: the engine ignores them).
  QList<quint8> out;
  for (const FileInfo& file : rows_) {
    if (file.index >= static_cast<quint32>(out.size())) {
      out.resize(static_cast<qsizetype>(file.index) + 1, Normal);
    }
    out[static_cast<qsizetype>(file.index)] = level(file.priority);
  }
  return out;
}

bool FileListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole || index.column() != PriorityColumn ||
      !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return false;
  }
  bool ok = false;
  const int priority = value.toInt(&ok);
  if (!ok || priority < Skip) {
    return false;
  }
  return setPriority({index.row()}, static_cast<quint8>(std::min<int>(priority, High)));
}

Qt::ItemFlags FileListModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags flags = KeyedRowModel<FileInfo>::flags(index);
  if (editable_ && index.isValid() && index.column() == PriorityColumn) {
    flags |= Qt::ItemIsEditable;
  }
  return flags;
}

int FileListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant FileListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const FileInfo& file = rows_.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case PathColumn:
          return file.path;
        case SizeColumn:
          return Format::bytes(file.size);
        case ProgressColumn:
          return Format::percent(progressOf(file));
        case PriorityColumn:
          return priorityText(file.priority);
        default:
          return {};
      }
    case Qt::EditRole:
      return index.column() == PriorityColumn ? QVariant(int{level(file.priority)}) : QVariant();
    case Qt::ToolTipRole:
      return index.column() == PathColumn ? QVariant(file.path) : QVariant();
    case Qt::TextAlignmentRole:
      return columnAlignment(isNumeric(index.column()));
    case SortRole:
      switch (index.column()) {
        case PathColumn:
          return file.path;
        case SizeColumn:
          return QVariant::fromValue(file.size);
        case ProgressColumn:
          return progressOf(file);
        case PriorityColumn:
          return file.priority;
        default:
          return {};
      }
    case ProgressRole:
      return progressOf(file);
    default:
      return {};
  }
}

QVariant FileListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader(orientation, role, isNumeric(section), [section] {
    switch (section) {
      case PathColumn:
        return tr("Path");
      case SizeColumn:
        return tr("Size");
      case ProgressColumn:
        return tr("Progress");
      case PriorityColumn:
        return tr("Priority");
      default:
        return QString();
    }
  });
}

QString FileListModel::priorityText(quint8 priority) {
  switch (priority) {
    case 0:
      return tr("Skip");
    case 1:
      return tr("Normal");
    default:
      return tr("High");
  }
}

}  // namespace tributary::ui
