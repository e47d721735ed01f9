#include "ui/widgets/MagnetFileChooser.h"

#include <QSet>
#include <QWidget>

#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/MagnetFilesDialog.h"
#include "ui/widgets/AppSettings.h"

namespace tributary::ui {

MagnetFileChooser::MagnetFileChooser(EngineBridge* bridge, AppSettings* settings,
                                     QWidget* dialogParent, QObject* parent)
    : QObject(parent), bridge_(bridge), settings_(settings), dialogParent_(dialogParent) {
  connect(bridge_, &EngineBridge::taskEvent, this, &MagnetFileChooser::onTaskEvent);
  connect(bridge_, &EngineBridge::tasksUpdated, this, &MagnetFileChooser::onTasksUpdated);
}

void MagnetFileChooser::watch(quint64 id) {
  // The bridge delivers engine events from the event loop, so nothing about
  // this task can have arrived before the add that returned its id.
  watched_.insert(id, false);
}

QList<MagnetFilesDialog*> MagnetFileChooser::openDialogs() const {
  QList<MagnetFilesDialog*> open;
  for (const QPointer<MagnetFilesDialog>& dialog : dialogs_) {
    if (dialog) {
      open << dialog.data();
    }
  }
  return open;
}

void MagnetFileChooser::onTaskEvent(const TaskEventInfo& event) {
  switch (event.kind) {
    case TaskEventInfo::Kind::MetadataReceived:
      if (watched_.contains(event.task)) {
        watched_[event.task] = true;
        openWhenFilesKnown(event.task);
      }
      break;
    case TaskEventInfo::Kind::Removed:
      forget(event.task);
      break;
    case TaskEventInfo::Kind::Added:
    case TaskEventInfo::Kind::Completed:
    case TaskEventInfo::Kind::Failed:
      break;
  }
}

void MagnetFileChooser::onTasksUpdated(const QList<TaskRow>& changed, const QList<quint64>& removed,
                                       bool full) {
  if (watched_.isEmpty() && dialogs_.isEmpty()) {
    return;  // the usual case, at every tick
  }
  for (quint64 id : removed) {
    forget(id);
  }
  QSet<quint64> present;
  for (const TaskRow& row : changed) {
    present.insert(row.id);
    // The event can come a tick before the snapshot that carries the files.
    if (watched_.value(row.id, false)) {
      openWhenFilesKnown(row.id);
    }
  }
  if (full) {
    // A full update lists every task: one it leaves out is gone.
    QList<quint64> known = watched_.keys();
    known << dialogs_.keys();
    for (quint64 id : known) {
      if (!present.contains(id)) {
        forget(id);
      }
    }
  }
}

void MagnetFileChooser::openWhenFilesKnown(quint64 id) {
  const std::optional<TaskDetails> details = bridge_->taskDetails(id);
  if (!details || !details->torrent || details->torrent->files.isEmpty()) {
    return;
  }
  watched_.remove(id);
  auto* dialog = new MagnetFilesDialog(*details, dialogParent_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialogs_.insert(id, dialog);
  connect(dialog, &QDialog::accepted, this, [this, dialog] { apply(*dialog); });
  // The task never started, so nothing of it was written. Files by the same
  // names in the folder are the user's own (a download re-added to seed it):
  // deleting "its" files would delete those.
  connect(dialog, &QDialog::rejected, this, [this, id] { bridge_->remove(id, false); });
  connect(dialog, &QObject::destroyed, this, [this, id] { dialogs_.remove(id); });
  // open(), not exec(): several magnets make several dialogs, and the window
  // goes on updating under them.
  dialog->open();
}

void MagnetFileChooser::apply(const MagnetFilesDialog& dialog) {
  if (dialog.dontAskAgain()) {
    settings_->setAskBeforeAddingTorrents(false);
  }
  const QList<quint8> priorities = dialog.filePriorities();
  // Before the resume: the engine runs a task's commands in order, so no
  // byte of a skipped file is asked for.
  if (!priorities.isEmpty()) {
    bridge_->setFilePriorities(dialog.taskId(), priorities);
  }
  if (!dialog.startPaused()) {
    bridge_->resume(dialog.taskId());
  }
}

void MagnetFileChooser::forget(quint64 id) {
  watched_.remove(id);
  const QPointer<MagnetFilesDialog> dialog = dialogs_.take(id);
  if (dialog) {
    // Silently: its rejected() would remove the task a second time.
    dialog->disconnect(this);
    dialog->hide();
    dialog->deleteLater();
  }
}

}  // namespace tributary::ui
