// Public to ui/dialogs: the file tree the add dialogs share, for a .torrent
// (AddTorrentDialog) and for a magnet link once its metadata is in
// (MagnetFilesDialog): folders and files with sizes and check boxes, Select
// All / Select None, and how much of the torrent is selected.
#pragma once

#include <QList>
#include <QWidget>

#include "ui/bridge/TorrentPreview.h"

class QLabel;
class QTreeView;

namespace tributary::ui {

class AddTorrentFilesModel;

class TorrentFilesPane : public QWidget {
  Q_OBJECT

 public:
  explicit TorrentFilesPane(QWidget* parent = nullptr);

  // The files in the torrent's order; file i starts unchecked when
  // `priorities[i]` is 0, checked otherwise (and when the list is shorter).
  void setFiles(const QList<TorrentPreviewFile>& files, const QList<quint8>& priorities = {});

  AddTorrentFilesModel* model() const { return model_; }
  QTreeView* view() const { return view_; }

 private:
  void updateSummary();

  AddTorrentFilesModel* model_ = nullptr;
  QTreeView* view_ = nullptr;
  QLabel* summary_ = nullptr;
};

}  // namespace tributary::ui
