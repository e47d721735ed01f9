#include "ui/models/AddTorrentFilesModel.h"

#include <QHash>

#include "ui/models/Format.h"

namespace tributary::ui {

AddTorrentFilesModel::AddTorrentFilesModel(QObject* parent) : QAbstractItemModel(parent) {
  nodes_.emplace_back();
}

void AddTorrentFilesModel::setFiles(const QList<TorrentPreviewFile>& files) {
  beginResetModel();
  nodes_.assign(1, Node{});
  fileNode_.assign(static_cast<std::size_t>(files.size()), -1);
  fileCount_ = 0;
  checkedBytes_ = 0;
  // Scanning a folder's children for each path element would make a flat
  // folder of n files cost n^2, and torrents of 100,000 files exist.
  FolderIndex folders;
  for (qsizetype i = 0; i < files.size(); ++i) {
    const TorrentPreviewFile& file = files[i];
    if (file.padding || file.path.isEmpty()) {
      continue;
    }
    int parent = 0;
    for (qsizetype e = 0; e + 1 < file.path.size(); ++e) {
      parent = folderChild(parent, file.path[e], folders);
    }
    Node leaf;
    leaf.name = file.path.last();
    leaf.parent = parent;
    leaf.row = static_cast<int>(nodes_[parent].children.size());
    leaf.fileIndex = static_cast<int>(i);
    leaf.size = file.size;
    leaf.files = 1;
    leaf.checkedFiles = 1;
    const int id = static_cast<int>(nodes_.size());
    nodes_.push_back(std::move(leaf));
    nodes_[parent].children.push_back(id);
    fileNode_[static_cast<std::size_t>(i)] = id;
    // Every folder on the way up holds this file.
    for (int up = parent; up >= 0; up = nodes_[up].parent) {
      nodes_[up].size += file.size;
      ++nodes_[up].files;
      ++nodes_[up].checkedFiles;
    }
    ++fileCount_;
    checkedBytes_ += file.size;
  }
  checkedFiles_ = fileCount_;
  endResetModel();
  emit checkedChanged();
}

int AddTorrentFilesModel::folderChild(int parent, const QString& name, FolderIndex& folders) {
  const auto key = qMakePair(parent, name);
  if (const auto found = folders.constFind(key); found != folders.cend()) {
    return *found;
  }
  Node folder;
  folder.name = name;
  folder.parent = parent;
  folder.row = static_cast<int>(nodes_[parent].children.size());
  const int id = static_cast<int>(nodes_.size());
  nodes_.push_back(std::move(folder));
  nodes_[parent].children.push_back(id);
  folders.insert(key, id);
  return id;
}

int AddTorrentFilesModel::nodeOf(const QModelIndex& index) const {
  return index.isValid() ? static_cast<int>(index.internalId()) : 0;
}

QModelIndex AddTorrentFilesModel::indexOf(int node, int column) const {
  if (node <= 0) {
    return {};
  }
  return createIndex(nodes_[node].row, column, static_cast<quintptr>(node));
}

QModelIndex AddTorrentFilesModel::index(int row, int column, const QModelIndex& parent) const {
  if (column < 0 || column >= ColumnCount || row < 0) {
    return {};
  }
  const Node& node = nodes_[nodeOf(parent)];
  if (static_cast<std::size_t>(row) >= node.children.size()) {
    return {};
  }
  return createIndex(row, column, static_cast<quintptr>(node.children[row]));
}

QModelIndex AddTorrentFilesModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) {
    return {};
  }
  return indexOf(nodes_[nodeOf(child)].parent);
}

int AddTorrentFilesModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != NameColumn) {
    return 0;
  }
  return static_cast<int>(nodes_[nodeOf(parent)].children.size());
}

int AddTorrentFilesModel::columnCount(const QModelIndex& /*parent*/) const {
  return ColumnCount;
}

Qt::CheckState AddTorrentFilesModel::checkState(const Node& node) const {
  if (node.checkedFiles == 0) {
    return Qt::Unchecked;
  }
  return node.checkedFiles == node.files ? Qt::Checked : Qt::PartiallyChecked;
}

QVariant AddTorrentFilesModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) {
    return {};
  }
  const Node& node = nodes_[nodeOf(index)];
  switch (role) {
    case Qt::DisplayRole:
      return index.column() == NameColumn ? QVariant(node.name)
                                          : QVariant(Format::bytes(node.size));
    case Qt::CheckStateRole:
      return index.column() == NameColumn ? QVariant(checkState(node)) : QVariant();
    case Qt::TextAlignmentRole:
      return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
    case Qt::ToolTipRole:
      return index.column() == NameColumn ? QVariant(node.name) : QVariant();
    case SizeRole:
      return QVariant::fromValue(node.size);
    case IsFolderRole:
      return node.fileIndex < 0;
    case FileIndexRole:
      return node.fileIndex;
    default:
      return {};
  }
}

bool AddTorrentFilesModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || index.column() != NameColumn || role != Qt::CheckStateRole) {
    return false;
  }
  const int node = nodeOf(index);
  // Partly checked is never a choice: a click on such a folder checks all of it.
  const bool checked = value.value<Qt::CheckState>() != Qt::Unchecked;
  const int delta = setSubtree(node, checked);
  if (delta == 0) {
    return true;
  }
  for (int up = nodes_[node].parent; up > 0; up = nodes_[up].parent) {
    nodes_[up].checkedFiles += delta;
    const QModelIndex folder = indexOf(up);
    emit dataChanged(folder, folder, {Qt::CheckStateRole});
  }
  nodes_[0].checkedFiles += delta;
  checkedFiles_ += delta;
  emitSubtreeChanged(node);
  emit checkedChanged();
  return true;
}

int AddTorrentFilesModel::setSubtree(int id, bool checked) {
  Node& node = nodes_[id];
  if (node.fileIndex >= 0) {
    const int now = checked ? 1 : 0;
    const int delta = now - node.checkedFiles;
    node.checkedFiles = now;
    if (delta > 0) {
      checkedBytes_ += node.size;
    } else if (delta < 0) {
      checkedBytes_ -= node.size;
    }
    return delta;
  }
  int delta = 0;
  for (int child : node.children) {
    delta += setSubtree(child, checked);
  }
  nodes_[id].checkedFiles += delta;
  return delta;
}

void AddTorrentFilesModel::emitSubtreeChanged(int id) {
  const QModelIndex self = indexOf(id);
  if (self.isValid()) {
    emit dataChanged(self, self, {Qt::CheckStateRole});
  }
  const std::vector<int>& children = nodes_[id].children;
  if (children.empty()) {
    return;
  }
  emit dataChanged(indexOf(children.front()), indexOf(children.back()), {Qt::CheckStateRole});
  for (int child : children) {
    if (!nodes_[child].children.empty()) {
      emitSubtreeChanged(child);
    }
  }
}

void AddTorrentFilesModel::setFileChecked(int fileIndex, bool checked) {
  if (fileIndex < 0 || static_cast<std::size_t>(fileIndex) >= fileNode_.size()) {
    return;
  }
  const int node = fileNode_[static_cast<std::size_t>(fileIndex)];
  if (node > 0) {
    setData(indexOf(node), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
  }
}

void AddTorrentFilesModel::setAllChecked(bool checked) {
  const int delta = setSubtree(0, checked);
  checkedFiles_ += delta;
  if (delta != 0) {
    emitSubtreeChanged(0);
    emit checkedChanged();
  }
}

Qt::ItemFlags AddTorrentFilesModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) {
    return Qt::NoItemFlags;
  }
  Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  if (index.column() == NameColumn) {
    flags |= Qt::ItemIsUserCheckable;
  }
  return flags;
}

QVariant AddTorrentFilesModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return {};
  }
  switch (section) {
    case NameColumn:
      return tr("Name");
    case SizeColumn:
      return tr("Size");
    default:
      return {};
  }
}

QList<quint8> AddTorrentFilesModel::filePriorities() const {
  // Padding keeps "normal", as a missing entry would: the engine ignores it.
  QList<quint8> priorities(static_cast<qsizetype>(fileNode_.size()), quint8{1});
  for (std::size_t i = 0; i < fileNode_.size(); ++i) {
    const int node = fileNode_[i];
    if (node >= 0 && nodes_[node].checkedFiles == 0) {
      priorities[static_cast<qsizetype>(i)] = 0;
    }
  }
  return priorities;
}

quint64 AddTorrentFilesModel::totalBytes() const {
  return nodes_[0].size;
}

}  // namespace tributary::ui
