// Public to ui/: adds downloads for the main window, whatever asked for them
// (the Add Torrent dialog, a drop, a paste, the command line), and reports
// the outcome the same way each time: a success in the status bar, every
// refusal in one message box that names the file or link and the reason.
// The box is window-modal but never blocks the caller, because a drop handler
// must return to the file manager or browser at once.
//
// A .torrent file is first shown in the add dialog (folder, files, start
// paused) unless the user said "Don't ask again". The file is read on a worker
// thread, then the dialog opens without blocking; one the dialog cannot read
// goes straight to the engine, so its refusal reads as for any other add.
// A magnet link, under the same setting, is added to wait paused once its
// metadata is in, and MagnetFileChooser asks for its files then.
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>

#include "ui/bridge/BridgeTypes.h"

class QMainWindow;
class QMessageBox;

namespace tributary::ui {

class AddTorrentDialog;
class AppSettings;
class EngineBridge;
class MagnetFileChooser;

class SourceAdder : public QObject {
  Q_OBJECT

 public:
  SourceAdder(EngineBridge* bridge, AppSettings* settings, QMainWindow* window);

  // Adds `source` to `saveDir` (the default download folder when empty), with
  // no dialog. Returns the engine's refusal in words, or an empty string once added.
  QString add(const QString& source, const QString& saveDir = {}, const AddOptions& options = {});

  // Adds each source; every refusal joins the error box. A .torrent file goes
  // through the add dialog first when the settings ask for it; torrents get
  // the settings' default source preference (the dialog starts from it). Returns how many
  // were added at once (not counting those waiting in a dialog).
  int addAll(const QStringList& sources);

  // Adds a magnet link or an http(s) URL with the other kind of source for the
  // same content (AddOptions::alsoFrom; empty = none), as File > Add Magnet or
  // URL does: a magnet waits for its files to be chosen as in addAll(). A
  // refusal goes to the error box. `preference` applies when the task has a
  // torrent. Returns the new task's id, or 0.
  quint64 addLink(const QString& link, const QString& alsoFrom,
                  SourcePreference preference = SourcePreference::Balanced);

  // Lists things that are not downloads (a dropped folder or text file) in the error box.
  void reportRejected(const QStringList& paths);

  // The box currently listing refusals, or nullptr when there is none.
  QMessageBox* errorBox() const;

  // "file.torrent" for a local path, the link itself otherwise.
  static QString displayName(const QString& source);

  MagnetFileChooser* magnetFileChooser() const { return magnets_; }

 private:
  AddResult addTask(const QString& source, const QString& saveDir, const AddOptions& options);
  // The new task's id, or 0 once the refusal is in the error box.
  quint64 addOrReport(const QString& source, const QString& saveDir = {},
                      const AddOptions& options = {});
  bool wantsDialog(const QString& source) const;
  void openDialogFor(const QString& path);
  void addFromDialog(const AddTorrentDialog& dialog);
  void reportFailure(const QString& line);
  void showStatus(const QString& message);

  EngineBridge* bridge_;
  AppSettings* settings_;
  QMainWindow* window_;
  MagnetFileChooser* magnets_;
  QPointer<QMessageBox> errorBox_;
  QStringList errorLines_;
};

}  // namespace tributary::ui
