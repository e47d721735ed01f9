#include "ui/widgets/AppSettings.h"

#include <QDir>
#include <QStandardPaths>
#include <algorithm>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

namespace {
const QString kDefaultSaveDir = QStringLiteral("downloads/defaultSaveDir");
const QString kLastTorrentDir = QStringLiteral("downloads/lastTorrentDir");
const QString kAskBeforeAdding = QStringLiteral("downloads/askBeforeAddingTorrents");
const QString kSourcePreference = QStringLiteral("downloads/sourcePreference");
const QString kMaxActiveDownloads = QStringLiteral("downloads/maxActiveDownloads");
const QString kDownloadLimit = QStringLiteral("limits/download");
const QString kUploadLimit = QStringLiteral("limits/upload");
const QString kAltDownloadLimit = QStringLiteral("limits/alternativeDownload");
const QString kAltUploadLimit = QStringLiteral("limits/alternativeUpload");
const QString kAltLimitsOn = QStringLiteral("limits/alternativeOn");
const QString kCloseToTray = QStringLiteral("tray/closeToTray");
const QString kMinimizeToTray = QStringLiteral("tray/minimizeToTray");
const QString kNotifyWhenDone = QStringLiteral("tray/notifyWhenDone");
const QString kHeaderStateGroup = QStringLiteral("columns/");
const QString kListenPort = QStringLiteral("connection/listenPort");
const QString kMaxPeersPerTorrent = QStringLiteral("connection/maxPeersPerTorrent");
const QString kMaxConnections = QStringLiteral("connection/maxConnections");
const QString kHttpConnections = QStringLiteral("connection/httpConnectionsPerDownload");
const QString kEnableDht = QStringLiteral("bittorrent/dht");
const QString kEnablePex = QStringLiteral("bittorrent/pex");
const QString kEnableLsd = QStringLiteral("bittorrent/lsd");
const QString kBypassOsCache = QStringLiteral("disk/bypassOsCache");
const QString kEnableUtp = QStringLiteral("bittorrent/utp");
const QString kDhtBootstrap = QStringLiteral("bittorrent/dhtBootstrap");
const QString kEncryption = QStringLiteral("bittorrent/encryption");
const QString kLanguage = QStringLiteral("interface/language");
const QString kAskBeforeRemoving = QStringLiteral("interface/askBeforeRemoving");
const QString kAskBeforeQuitting = QStringLiteral("interface/askBeforeQuitting");
// Stored as words rather than the enum's numbers, so a settings file reads
// plainly and survives a reordering of the enum.
const QLatin1String kEncryptionRequired("required");
const QLatin1String kEncryptionDisabled("disabled");
const QLatin1String kEncryptionEnabled("enabled");
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

// Stored as words, so a hand-edited file reads plainly and an unknown word
// (a newer version's) falls back to Balanced.
SourcePreference AppSettings::defaultSourcePreference() const {
  const QString word = settings_.value(kSourcePreference).toString();
  if (word == QLatin1String("p2p")) {
    return SourcePreference::PreferP2P;
  }
  if (word == QLatin1String("cdn")) {
    return SourcePreference::PreferCdn;
  }
  return SourcePreference::Balanced;
}

void AppSettings::setDefaultSourcePreference(SourcePreference preference) {
  switch (preference) {
    case SourcePreference::Balanced:
      settings_.setValue(kSourcePreference, QStringLiteral("balanced"));
      return;
    case SourcePreference::PreferP2P:
      settings_.setValue(kSourcePreference, QStringLiteral("p2p"));
      return;
    case SourcePreference::PreferCdn:
      settings_.setValue(kSourcePreference, QStringLiteral("cdn"));
      return;
  }
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

EngineOptions AppSettings::engineOptions() const {
  const EngineOptions defaults;
  EngineOptions options;
  // Read as int: a negative or huge hand-edited port must not wrap into range.
  const int port = settings_.value(kListenPort, defaults.listenPort).toInt();
  options.listenPort = port > 0 && port <= 65535 ? static_cast<quint16>(port) : 0;
  options.maxPeersPerTorrent =
      settings_.value(kMaxPeersPerTorrent, defaults.maxPeersPerTorrent).toInt();
  options.maxConnections = settings_.value(kMaxConnections, defaults.maxConnections).toInt();
  options.maxActiveDownloads =
      settings_.value(kMaxActiveDownloads, defaults.maxActiveDownloads).toInt();
  options.enableDht = settings_.value(kEnableDht, defaults.enableDht).toBool();
  options.enablePex = settings_.value(kEnablePex, defaults.enablePex).toBool();
  options.enableLsd = settings_.value(kEnableLsd, defaults.enableLsd).toBool();
  options.enableUtp = settings_.value(kEnableUtp, defaults.enableUtp).toBool();
  options.bypassOsCache = settings_.value(kBypassOsCache, defaults.bypassOsCache).toBool();
  // A list, or one string of them when edited by hand; normalized() splits it.
  options.dhtBootstrap = settings_.value(kDhtBootstrap).toStringList();
  // Anything else (a typo in a hand-edited file) reads as the default.
  const QString encryption = settings_.value(kEncryption).toString().trimmed().toLower();
  options.encryption = encryption == kEncryptionRequired   ? PeerEncryption::Required
                       : encryption == kEncryptionDisabled ? PeerEncryption::Disabled
                                                           : PeerEncryption::Enabled;
  return options.normalized();
}

void AppSettings::setEngineOptions(const EngineOptions& options) {
  const EngineOptions valid = options.normalized();
  settings_.setValue(kListenPort, valid.listenPort);
  settings_.setValue(kMaxPeersPerTorrent, valid.maxPeersPerTorrent);
  settings_.setValue(kMaxConnections, valid.maxConnections);
  settings_.setValue(kMaxActiveDownloads, valid.maxActiveDownloads);
  settings_.setValue(kEnableDht, valid.enableDht);
  settings_.setValue(kEnablePex, valid.enablePex);
  settings_.setValue(kEnableLsd, valid.enableLsd);
  settings_.setValue(kEnableUtp, valid.enableUtp);
  settings_.setValue(kBypassOsCache, valid.bypassOsCache);
  const QLatin1String encryption =
      valid.encryption == PeerEncryption::Required   ? kEncryptionRequired
      : valid.encryption == PeerEncryption::Disabled ? kEncryptionDisabled
                                                     : kEncryptionEnabled;
  settings_.setValue(kEncryption, QString(encryption));
  if (valid.dhtBootstrap.isEmpty()) {
    settings_.remove(kDhtBootstrap);  // the engine's routers, whatever they become
  } else {
    settings_.setValue(kDhtBootstrap, valid.dhtBootstrap);
  }
}

unsigned AppSettings::httpConnectionsPerDownload() const {
  const int stored = settings_.value(kHttpConnections, AddOptions::kDefaultConnections).toInt();
  return static_cast<unsigned>(std::clamp(stored, 1, int{AddOptions::kMaxConnections}));
}

void AppSettings::setHttpConnectionsPerDownload(unsigned connections) {
  settings_.setValue(kHttpConnections, std::clamp(connections, 1u, AddOptions::kMaxConnections));
}

QString AppSettings::language() const {
  return settings_.value(kLanguage).toString();
}

void AppSettings::setLanguage(const QString& language) {
  if (language.isEmpty()) {
    settings_.remove(kLanguage);
  } else {
    settings_.setValue(kLanguage, language);
  }
}

bool AppSettings::askBeforeRemoving() const {
  return settings_.value(kAskBeforeRemoving, true).toBool();
}

void AppSettings::setAskBeforeRemoving(bool ask) {
  settings_.setValue(kAskBeforeRemoving, ask);
}

bool AppSettings::askBeforeQuitting() const {
  return settings_.value(kAskBeforeQuitting, false).toBool();
}

void AppSettings::setAskBeforeQuitting(bool ask) {
  settings_.setValue(kAskBeforeQuitting, ask);
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
