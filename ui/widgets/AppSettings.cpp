#include "ui/widgets/AppSettings.h"

#include <QDir>
#include <QStandardPaths>

namespace tributary::ui {

namespace {
const QString kDefaultSaveDir = QStringLiteral("downloads/defaultSaveDir");
const QString kLastTorrentDir = QStringLiteral("downloads/lastTorrentDir");
}  // namespace

QString AppSettings::defaultSaveDir() const {
  const QString dir = settings_.value(kDefaultSaveDir).toString();
  return dir.isEmpty() ? systemDownloadDir() : dir;
}

void AppSettings::setDefaultSaveDir(const QString& dir) {
  // The system folder is stored as "no choice", so it follows the system if
  // that ever moves.
  if (dir.isEmpty() || QDir(dir) == QDir(systemDownloadDir())) {
    settings_.remove(kDefaultSaveDir);
  } else {
    settings_.setValue(kDefaultSaveDir, QDir::cleanPath(dir));
  }
}

QString AppSettings::lastTorrentDir() const {
  const QString dir = settings_.value(kLastTorrentDir).toString();
  return !dir.isEmpty() && QDir(dir).exists() ? dir : QDir::homePath();
}

void AppSettings::setLastTorrentDir(const QString& dir) {
  settings_.setValue(kLastTorrentDir, dir);
}

QString AppSettings::systemDownloadDir() {
  const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
  return downloads.isEmpty() ? QDir::homePath() : downloads;
}

}  // namespace tributary::ui
