// Public to ui/widgets: the second half of adding a magnet link when the add
// dialog is wanted. SourceAdder adds the link with stopAfterMetadata and hands
// the task here. Once the engine reports the metadata (a MetadataReceived
// event) and the task's snapshot lists its files, in whichever order they come,
// a MagnetFilesDialog opens for it: one per task, never blocking the window.
// OK sets the file priorities and resumes the task; Cancel removes it (nothing
// was written). A task removed meanwhile takes its dialog with it.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include "ui/bridge/BridgeTypes.h"

class QWidget;

namespace tributary::ui {

class AppSettings;
class EngineBridge;
class MagnetFilesDialog;

class MagnetFileChooser : public QObject {
  Q_OBJECT

 public:
  // Dialogs open over `dialogParent` (the main window).
  MagnetFileChooser(EngineBridge* bridge, AppSettings* settings, QWidget* dialogParent,
                    QObject* parent = nullptr);

  // Task `id` was added with stopAfterMetadata: ask for its files once known.
  void watch(quint64 id);
  // Waiting for its metadata or its files; false once its dialog opened.
  bool isWatching(quint64 id) const { return watched_.contains(id); }
  // The dialogs open now, one per task.
  QList<MagnetFilesDialog*> openDialogs() const;

 private:
  void onTaskEvent(const tributary::ui::TaskEventInfo& event);
  void onTasksUpdated(const QList<tributary::ui::TaskRow>& changed, const QList<quint64>& removed,
                      bool full);
  void openWhenFilesKnown(quint64 id);
  void apply(const MagnetFilesDialog& dialog);
  // The task is gone: stop waiting, and close its dialog without acting on it.
  void forget(quint64 id);

  EngineBridge* bridge_;
  AppSettings* settings_;
  QWidget* dialogParent_;
  QHash<quint64, bool> watched_;  // task -> its metadata is in
  QHash<quint64, QPointer<MagnetFilesDialog>> dialogs_;
};

}  // namespace tributary::ui
