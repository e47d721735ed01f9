// Public to ui/: File > Add Magnet or URL. The link to add, and "Also download
// from" (AddParams::alsoFrom): for an http(s) URL its .torrent file (typed or
// picked) or magnet link, for a magnet link its content's http(s) URL, so the
// swarm and the server feed one task, as `tributary-cli get URL --torrent`
// and `get MAGNET --origin` do. Both fields are checked as the user types
// (AlsoFromCheck): a bad value is named under its field and OK stays off.
// "Sources" (SourcePreference) is offered once a torrent is in the task. It
// adds nothing itself; open it with open() and act on accepted().
#pragma once

#include <QDialog>
#include <QString>

#include "ui/bridge/BridgeTypes.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tributary::ui {

class SourcePreferenceCombo;

class AddLinkDialog : public QDialog {
  Q_OBJECT

 public:
  // `link` fills the link field (the clipboard's, when it holds one);
  // `torrentDir` is where the .torrent picker starts.
  explicit AddLinkDialog(const QString& link, const QString& torrentDir = {},
                         QWidget* parent = nullptr);

  // Trimmed; empty = none.
  QString link() const;
  void setLink(const QString& text);
  QString alsoFrom() const;
  void setAlsoFrom(const QString& text);
  // Used only when the task has a torrent (a magnet link, or a .torrent or
  // magnet beside a URL); the combo is disabled otherwise.
  SourcePreference sourcePreference() const;
  void setSourcePreference(SourcePreference preference);

 private:
  void browseForTorrent();
  void updateState();

  QString torrentDir_;
  QLineEdit* link_ = nullptr;
  QLabel* linkError_ = nullptr;
  QLineEdit* alsoFrom_ = nullptr;
  QPushButton* browse_ = nullptr;
  QLabel* alsoFromError_ = nullptr;
  SourcePreferenceCombo* sourcePreference_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace tributary::ui
