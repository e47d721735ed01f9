#include "ui/models/FileListModel.h"

#include <algorithm>

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

}  // namespace

FileListModel::FileListModel(QObject* parent) : KeyedRowModel<FileInfo>(parent) {}

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
    case Qt::ToolTipRole:
      return index.column() == PathColumn ? QVariant(file.path) : QVariant();
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(Qt::AlignVCenter |
                                 (isNumeric(index.column()) ? Qt::AlignRight : Qt::AlignLeft));
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
  if (orientation != Qt::Horizontal) {
    return {};
  }
  if (role == Qt::TextAlignmentRole) {
    return QVariant::fromValue(Qt::AlignVCenter |
                               (isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft));
  }
  if (role != Qt::DisplayRole) {
    return {};
  }
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
      return {};
  }
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
