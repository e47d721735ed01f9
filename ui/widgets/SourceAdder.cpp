#include "ui/widgets/SourceAdder.h"

#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

#include "ui/bridge/EngineBridge.h"
#include "ui/widgets/AppSettings.h"

namespace tributary::ui {

namespace {
constexpr int kStatusMessageMs = 5000;
// More lines than this make a box taller than the screen; the rest are counted.
constexpr qsizetype kMaxErrorLines = 12;
}  // namespace

SourceAdder::SourceAdder(EngineBridge* bridge, AppSettings* settings, QMainWindow* window)
    : QObject(window), bridge_(bridge), settings_(settings), window_(window) {}

QString SourceAdder::displayName(const QString& source) {
  const QString trimmed = source.trimmed();
  const QFileInfo info(trimmed);
  return info.isAbsolute() ? info.fileName() : trimmed;
}

QString SourceAdder::add(const QString& source, const QString& saveDir) {
  const AddResult result =
      bridge_->addSource(source, saveDir.isEmpty() ? settings_->defaultSaveDir() : saveDir);
  const QString name = displayName(source);
  if (!result.ok()) {
    showStatus(tr("Could not add %1: %2").arg(name, result.error));
    return result.error;
  }
  showStatus(tr("Added %1").arg(name));
  return {};
}

int SourceAdder::addAll(const QStringList& sources) {
  int added = 0;
  for (const QString& source : sources) {
    const QString error = add(source);
    if (error.isEmpty()) {
      ++added;
    } else {
      reportFailure(tr("“%1”: %2", "source: reason").arg(displayName(source), error));
    }
  }
  if (added > 1) {
    showStatus(tr("Added %n downloads", nullptr, added));
  }
  return added;
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
