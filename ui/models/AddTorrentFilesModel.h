// Public to ui/: the file tree of the add dialog. Folders and files of a
// .torrent with sizes and check boxes: a file unchecked is skipped, a folder's
// box is checked, unchecked or partly checked after what is below it, and
// clicking it sets everything below. Padding files are not shown, but keep
// their place in filePriorities().
#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <vector>

#include "ui/bridge/TorrentPreview.h"

namespace tributary::ui {

class AddTorrentFilesModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    SizeColumn,
    ColumnCount,
  };

  enum Role {
    SizeRole = Qt::UserRole + 1,  // quint64, a folder's is everything below it
    IsFolderRole,                 // bool
    FileIndexRole,                // int, the file's index in the torrent; -1 for a folder
  };

  explicit AddTorrentFilesModel(QObject* parent = nullptr);

  // Every file checked.
  void setFiles(const QList<TorrentPreviewFile>& files);
  // Checks or unchecks file `fileIndex` (its index in setFiles' list), and
  // the folders above follow; padding and indexes out of range do nothing.
  void setFileChecked(int fileIndex, bool checked);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // One entry per file of the torrent, padding included: 0 = skip, 1 = normal.
  QList<quint8> filePriorities() const;
  bool allChecked() const { return checkedFiles_ == fileCount_; }
  bool noneChecked() const { return checkedFiles_ == 0; }
  quint64 checkedBytes() const { return checkedBytes_; }
  quint64 totalBytes() const;

  // Checks or unchecks everything.
  void setAllChecked(bool checked);

 signals:
  // After any box changed; the dialog updates its summary and OK button.
  void checkedChanged();

 private:
  struct Node {
    QString name;
    int parent = -1;
    int row = 0;  // within the parent
    std::vector<int> children;
    int fileIndex = -1;  // -1 for a folder
    quint64 size = 0;
    int files = 0;         // files at or below this node
    int checkedFiles = 0;  // of those, how many are checked
  };

  int nodeOf(const QModelIndex& index) const;
  QModelIndex indexOf(int node, int column = NameColumn) const;
  using FolderIndex = QHash<QPair<int, QString>, int>;  // (parent, name) -> folder node

  int folderChild(int parent, const QString& name, FolderIndex& folders);
  Qt::CheckState checkState(const Node& node) const;
  // Sets every file below `node`; returns by how many checked files it changed.
  int setSubtree(int node, bool checked);
  void emitSubtreeChanged(int node);

  std::vector<Node> nodes_;    // [0] is the invisible root
  std::vector<int> fileNode_;  // torrent file index -> node, -1 for padding
  int fileCount_ = 0;
  int checkedFiles_ = 0;
  quint64 checkedBytes_ = 0;
};

}  // namespace tributary::ui
