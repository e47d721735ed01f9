// Public to ui/: the files of a magnet link's torrent, asked once its
// metadata is in. The task already exists and waits paused with nothing
// written (AddOptions::stopAfterMetadata), so the folder is shown but fixed;
// the user picks the files, whether to start now and whether to ask again.
// Like AddTorrentDialog it only hands the choices back and never blocks its
// caller: open it with open() and act on accepted() (priorities, then
// resume) or rejected() (remove the task).
#pragma once

#include <QDialog>
#include <QList>

#include "ui/bridge/TaskDetails.h"

class QCheckBox;
class QDialogButtonBox;
class QTreeView;

namespace tributary::ui {

class AddTorrentFilesModel;
class TorrentFilesPane;

class MagnetFilesDialog : public QDialog {
  Q_OBJECT

 public:
  // `details` is the task's latest snapshot, with its files.
  explicit MagnetFilesDialog(const TaskDetails& details, QWidget* parent = nullptr);

  quint64 taskId() const { return taskId_; }
  // Empty when the choice is what the task already has (every file it wants
  // stays wanted); else one entry per file of the snapshot, in its order:
  // 0 = skip, otherwise the file's priority, at least normal.
  QList<quint8> filePriorities() const;
  bool startPaused() const;
  bool dontAskAgain() const;

  AddTorrentFilesModel* filesModel() const;
  QTreeView* fileView() const;

 private:
  void updateOkButton();

  quint64 taskId_ = 0;
  QList<quint8> original_;  // the snapshot's priorities
  TorrentFilesPane* files_ = nullptr;
  QCheckBox* startPaused_ = nullptr;
  QCheckBox* dontAskAgain_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace tributary::ui
