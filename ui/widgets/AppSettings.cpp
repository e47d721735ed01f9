#include "ui/widgets/AppSettings.h"

#include <QDir>
#include <QStandardPaths>

namespace tributary::ui {

namespace {
const QString kDefaultSaveDir = QStringLiteral("downloads/defaultSaveDir");
const QString kLastTorrentDir = QStringLiteral("downloads/lastTorrentDir");
const QString kAskBeforeAdding = QStringLiteral("downloads/askBeforeAddingTorrents");
const QString kDownloadLimit = QStringLiteral("limits/download");
const QString kUploadLimit = QStringLiteral("limits/upload");
const QString kAltDownloadLimit = QStringLiteral("limits/alternativeDownload");
const QString kAltUploadLimit = QStringLiteral("limits/alternativeUpload");
const QString kAltLimitsOn = QStringLiteral("limits/alternativeOn");
const QString kCloseToTray = QStringLiteral("tray/closeToTray");
const QString kMinimizeToTray = QStringLiteral("tray/minimizeToTray");
const QString kNotifyWhenDone = QStringLiteral("tray/notifyWhenDone");
const QString kHeaderStateGroup = QStringLiteral("columns/");
// A slow pair (Transmission's "turtle" is of this order), so switching to it
// visibly frees the line before the user has chosen their own figures.
constexpr quint64 kDefaultAltLimit = 50 * 1024;
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

bool AppSettings::askBeforeAddingTorrents() const {
  return settings_.value(kAskBeforeAdding, true).toBool();
}

void AppSettings::setAskBeforeAddingTorrents(bool ask) {
  settings_.setValue(kAskBeforeAdding, ask);
}

SpeedLimits AppSettings::speedLimits() const {
  return {settings_.value(kDownloadLimit, 0).toULongLong(),
          settings_.value(kUploadLimit, 0).toULongLong()};
}

void AppSettings::setSpeedLimits(const SpeedLimits& limits) {
  settings_.setValue(kDownloadLimit, limits.download);
  settings_.setValue(kUploadLimit, limits.upload);
}

SpeedLimits AppSettings::alternativeSpeedLimits() const {
  return {settings_.value(kAltDownloadLimit, kDefaultAltLimit).toULongLong(),
          settings_.value(kAltUploadLimit, kDefaultAltLimit).toULongLong()};
}

void AppSettings::setAlternativeSpeedLimits(const SpeedLimits& limits) {
  settings_.setValue(kAltDownloadLimit, limits.download);
  settings_.setValue(kAltUploadLimit, limits.upload);
}

bool AppSettings::alternativeSpeedLimitsOn() const {
  return settings_.value(kAltLimitsOn, false).toBool();
}

void AppSettings::setAlternativeSpeedLimitsOn(bool on) {
  settings_.setValue(kAltLimitsOn, on);
}

SpeedLimits AppSettings::activeSpeedLimits() const {
  return alternativeSpeedLimitsOn() ? alternativeSpeedLimits() : speedLimits();
}

bool AppSettings::closeToTray() const {
  return settings_.value(kCloseToTray, true).toBool();
}

void AppSettings::setCloseToTray(bool on) {
  settings_.setValue(kCloseToTray, on);
}

bool AppSettings::minimizeToTray() const {
  return settings_.value(kMinimizeToTray, false).toBool();
}

void AppSettings::setMinimizeToTray(bool on) {
  settings_.setValue(kMinimizeToTray, on);
}

bool AppSettings::notifyWhenDone() const {
  return settings_.value(kNotifyWhenDone, true).toBool();
}

void AppSettings::setNotifyWhenDone(bool on) {
  settings_.setValue(kNotifyWhenDone, on);
}

QByteArray AppSettings::headerState(const QString& key) const {
  return settings_.value(kHeaderStateGroup + key).toByteArray();
}

void AppSettings::setHeaderState(const QString& key, const QByteArray& state) {
  settings_.setValue(kHeaderStateGroup + key, state);
}

QString AppSettings::systemDownloadDir() {
  const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
  return downloads.isEmpty() ? QDir::homePath() : downloads;
}

}  // namespace tributary::ui
