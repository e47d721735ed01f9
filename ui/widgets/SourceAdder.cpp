#include "ui/widgets/SourceAdder.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

#include "ui/bridge/EngineBridge.h"
#include "ui/bridge/TorrentPreview.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/dialogs/AlsoFromCheck.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/MagnetFileChooser.h"

namespace tributary::ui {

namespace {
constexpr int kStatusMessageMs = 5000;
// More lines than this make a box taller than the screen; the rest are counted.
constexpr qsizetype kMaxErrorLines = 12;
}  // namespace

SourceAdder::SourceAdder(EngineBridge* bridge, AppSettings* settings, QMainWindow* window)
    : QObject(window),
      bridge_(bridge),
      settings_(settings),
      window_(window),
      magnets_(new MagnetFileChooser(bridge, settings, window, this)) {}

QString SourceAdder::displayName(const QString& source) {
  const QString trimmed = source.trimmed();
  const QFileInfo info(trimmed);
  return info.isAbsolute() ? info.fileName() : trimmed;
}

QString SourceAdder::add(const QString& source, const QString& saveDir, const AddOptions& options) {
  return addTask(source, saveDir, options).error;
}

AddResult SourceAdder::addTask(const QString& source, const QString& saveDir,
                               const AddOptions& options) {
  AddOptions chosen = options;
  if (chosen.connections == 0 && AlsoFromCheck::isHttpUrl(source)) {
    chosen.connections = settings_->httpConnectionsPerDownload();
  }
  const AddResult result =
      bridge_->addSource(source, saveDir.isEmpty() ? settings_->defaultSaveDir() : saveDir, chosen);
  const QString name = displayName(source);
  if (!result.ok()) {
    showStatus(tr("Could not add %1: %2").arg(name, result.error));
    return result;
  }
  showStatus(tr("Added %1").arg(name));
  return result;
}

int SourceAdder::addAll(const QStringList& sources) {
  int added = 0;
  for (const QString& source : sources) {
    if (wantsDialog(source)) {
      openDialogFor(source.trimmed());
    } else if (addLink(source, {}, settings_->defaultSourcePreference()) != 0) {
      ++added;
    }
  }
  if (added > 1) {
    showStatus(tr("Added %n downloads", nullptr, added));
  }
  return added;
}

quint64 SourceAdder::addLink(const QString& link, const QString& alsoFrom,
                             SourcePreference preference) {
  AddOptions options;
  options.alsoFrom = alsoFrom.trimmed();
  options.sourcePolicy.preference = preference;
  if (!AlsoFromCheck::isMagnet(link) || !settings_->askBeforeAddingTorrents()) {
    return addOrReport(link, {}, options);
  }
  // Its files are known only once the metadata is in: the task waits paused
  // until the user has chosen them.
  options.stopAfterMetadata = true;
  const quint64 id = addOrReport(link, {}, options);
  if (id != 0) {
    magnets_->watch(id);
  }
  return id;
}

quint64 SourceAdder::addOrReport(const QString& source, const QString& saveDir,
                                 const AddOptions& options) {
  const AddResult result = addTask(source, saveDir, options);
  if (!result.ok()) {
    reportFailure(tr("“%1”: %2", "source: reason").arg(displayName(source), result.error));
  }
  return result.id;
}

bool SourceAdder::wantsDialog(const QString& source) const {
  // What the engine takes for a .torrent path: neither a magnet link nor a URL.
  const QString trimmed = source.trimmed();
  const bool isLink = AlsoFromCheck::isMagnet(trimmed) || trimmed.contains(QLatin1String("://"));
  return !trimmed.isEmpty() && !isLink && settings_->askBeforeAddingTorrents();
}

void SourceAdder::openDialogFor(const QString& path) {
  // Parented to this adder: if the window goes first, so does the watcher, and
  // the parse finishing later lands nowhere.
  auto* watcher = new QFutureWatcher<TorrentPreviewResult>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
    watcher->deleteLater();
    const TorrentPreviewResult result = watcher->result();
    if (!result.ok()) {
      addLink(path, {}, settings_->defaultSourcePreference());
      return;
    }
    auto* dialog = new AddTorrentDialog(path, result.preview, settings_->defaultSaveDir(), window_);
    dialog->setSourcePreference(settings_->defaultSourcePreference());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { addFromDialog(*dialog); });
    dialog->open();
  });
  watcher->setFuture(TorrentPreview::fromFileAsync(path));
}

void SourceAdder::addFromDialog(const AddTorrentDialog& dialog) {
  if (dialog.dontAskAgain()) {
    settings_->setAskBeforeAddingTorrents(false);
  }
  AddOptions options;
  options.startPaused = dialog.startPaused();
  options.filePriorities = dialog.filePriorities();
  options.alsoFrom = dialog.alsoFrom();
  options.sourcePolicy.preference = dialog.sourcePreference();
  addOrReport(dialog.source(), dialog.saveDir(), options);
}

void SourceAdder::reportRejected(const QStringList& paths) {
  for (const QString& path : paths) {
    reportFailure(tr("“%1”: %2", "source: reason")
                      .arg(displayName(path), tr("not a .torrent file, a magnet link or a URL")));
  }
}

void SourceAdder::reportFailure(const QString& line) {
  errorLines_ << line;
  if (!errorBox_) {
    errorBox_ =
        new QMessageBox(QMessageBox::Warning, tr("Could Not Add"), {}, QMessageBox::Ok, window_);
    errorBox_->setObjectName(QStringLiteral("addErrorBox"));
    errorBox_->setAttribute(Qt::WA_DeleteOnClose);
    // The engine's detail may quote the file: never let it render as markup.
    errorBox_->setTextFormat(Qt::PlainText);
    connect(errorBox_, &QObject::destroyed, this, [this] { errorLines_.clear(); });
    errorBox_->open();
  }
  QStringList shown = errorLines_.mid(0, kMaxErrorLines);
  if (errorLines_.size() > kMaxErrorLines) {
    shown << tr("…and %n more", nullptr, static_cast<int>(errorLines_.size() - kMaxErrorLines));
  }
  const int count = static_cast<int>(errorLines_.size());
  const QString heading = count == 1 ? tr("A download could not be added:")
                                     : tr("%n downloads could not be added:", nullptr, count);
  errorBox_->setText(heading + QStringLiteral("\n\n") + shown.join(QLatin1Char('\n')));
}

QMessageBox* SourceAdder::errorBox() const {
  return errorBox_;
}

void SourceAdder::showStatus(const QString& message) {
  window_->statusBar()->showMessage(message, kStatusMessageMs);
}

}  // namespace tributary::ui
