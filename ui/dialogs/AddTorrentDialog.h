// Public to ui/: what the user decides before a .torrent is added: where it
// goes, which of its files (unchecked = skipped), whether it starts paused,
// the URL it may also be downloaded from (its origin, one task with the
// swarm), how it weighs the swarm against web seeds, and whether to ask
// again next time. It hands these back through its accessors
// once accepted and adds nothing itself. It never blocks its caller: open it
// with open() or show() and act on accepted(); Cancel means nothing is added.
#pragma once

#include <QDialog>
#include <QList>
#include <QString>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/TorrentPreview.h"

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace tributary::ui {

class AddTorrentFilesModel;
class SourcePreferenceCombo;
class TorrentFilesPane;

class AddTorrentDialog : public QDialog {
  Q_OBJECT

 public:
  // `source` is the .torrent's path, shown and handed back; `saveDir` the
  // folder proposed (the default download folder).
  AddTorrentDialog(const QString& source, const TorrentPreview& preview, const QString& saveDir,
                   QWidget* parent = nullptr);

  QString source() const { return source_; }
  const TorrentPreview& preview() const { return preview_; }

  QString saveDir() const;
  void setSaveDir(const QString& dir);
  bool startPaused() const;
  void setStartPaused(bool paused);
  bool dontAskAgain() const;
  // "Also download from": the content's http(s) URL, trimmed; empty = none.
  QString alsoFrom() const;
  void setAlsoFrom(const QString& text);
  // "Sources": how the torrent weighs its swarm against its web seeds.
  SourcePreference sourcePreference() const;
  void setSourcePreference(SourcePreference preference);
  // Why `text` cannot be the origin URL of this torrent (translated), or an
  // empty string when it can (or is empty). A multi-file torrent's origin is
  // the folder holding its top folder, ending in '/' (BEP 19).
  static QString alsoFromError(const QString& text, const TorrentPreview& preview);
  // Empty when every file is wanted (the engine's default, and no list of
  // 100,000 ones to pass); else one entry per torrent file, padding included:
  // 0 = skip, 1 = normal.
  QList<quint8> filePriorities() const;

  AddTorrentFilesModel* filesModel() const;
  QTreeView* fileView() const;

 private:
  void browseForSaveDir();
  void updateOkButton();

  QString source_;
  TorrentPreview preview_;
  TorrentFilesPane* files_ = nullptr;
  QLineEdit* saveDir_ = nullptr;
  QLineEdit* alsoFrom_ = nullptr;
  QLabel* alsoFromError_ = nullptr;
  SourcePreferenceCombo* sourcePreference_ = nullptr;
  QCheckBox* startPaused_ = nullptr;
  QCheckBox* dontAskAgain_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace tributary::ui
