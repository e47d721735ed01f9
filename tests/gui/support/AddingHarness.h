// What the GUI tests of adding share beside WindowHarness: a scratch folder
// that is the default save folder and holds disc.torrent, and the window's
// add dialogs opened as a user opens them (the window shown first: a dialog
// needs an exposed parent).
#pragma once

#include <QSettings>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include "gui/support/TorrentFiles.h"
#include "gui/support/WindowHarness.h"
#include "ui/dialogs/AddLinkDialog.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/widgets/AppSettings.h"

namespace tributary::test {

class AddScratch {
 public:
  // From initTestCase(): the test's own settings (useTestSettings), and
  // disc.torrent (one 5000-byte disc.iso, trackerless). False when either
  // file cannot be made.
  bool create() {
    useTestSettings();
    disc_ = dir_.filePath(QStringLiteral("disc.torrent"));
    return dir_.isValid() && writeSingleFileTorrent(disc_, "disc.iso", 5000);
  }
  // From init(): settings back to their defaults, but for the save folder.
  void resetSettings() const {
    QSettings().clear();
    ui::AppSettings().setDefaultSaveDir(dir_.path());
  }

  QString path() const { return dir_.path(); }
  QString filePath(const QString& name) const { return dir_.filePath(name); }
  QString disc() const { return disc_; }

 private:
  QTemporaryDir dir_;
  QString disc_;
};

// File > Add Magnet or URL; the dialog once visible, or nullptr.
inline ui::AddLinkDialog* openAddLinkDialog(const WindowHarness& h) {
  h.window->show();
  if (!QTest::qWaitForWindowExposed(h.window.get())) {
    return nullptr;
  }
  h.action("actionAddLink")->trigger();
  auto* dialog = h.window->findChild<ui::AddLinkDialog*>();
  return dialog && dialog->isVisible() ? dialog : nullptr;
}

// `torrent` added through the window while it asks before adding torrents
// (the default); the Add Torrent dialog once visible (within 5 s), or nullptr.
inline ui::AddTorrentDialog* openAddTorrentDialog(const WindowHarness& h, const QString& torrent) {
  h.window->show();
  if (!QTest::qWaitForWindowExposed(h.window.get()) || h.window->addSources({torrent}) != 0) {
    return nullptr;
  }
  ui::AddTorrentDialog* dialog = nullptr;
  const bool shown = QTest::qWaitFor(
      [&] {
        dialog = h.window->findChild<ui::AddTorrentDialog*>();
        return dialog != nullptr && dialog->isVisible();
      },
      5000);
  return shown ? dialog : nullptr;
}

}  // namespace tributary::test
