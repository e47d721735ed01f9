// Public to ui/: application settings, on three pages. Downloads: the
// default folder, the add dialog, new torrents' source preference, the download queue, the speed
// limits (normal and alternative). Connection: HTTP connections per download, the listen port,
// BitTorrent connection limits and DHT/PEX/LSD/uTP. Interface: the language, the confirmations and
// the tray behaviour. It only shows and hands back values; the caller reads and stores them
// (AppSettings).
#pragma once

#include <QDialog>
#include <QString>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/EngineOptions.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace tributary::ui {

class SourcePreferenceCombo;

class ConnectionSettingsPage;

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SettingsDialog(QWidget* parent = nullptr);

  // Bytes per second; 0 means unlimited.
  void setLimits(quint64 maxDownloadRate, quint64 maxUploadRate);
  quint64 maxDownloadRate() const;
  quint64 maxUploadRate() const;
  // The pair the tray's "Alternative speed limits" switches to.
  void setAlternativeLimits(quint64 maxDownloadRate, quint64 maxUploadRate);
  quint64 alternativeDownloadRate() const;
  quint64 alternativeUploadRate() const;

  // Without a system tray the tray choices stay visible but disabled, with a
  // note saying why, so the user is not left looking for them.
  void setTrayAvailable(bool available);
  void setCloseToTray(bool on);
  bool closeToTray() const;
  void setMinimizeToTray(bool on);
  bool minimizeToTray() const;
  void setNotifyWhenDone(bool on);
  bool notifyWhenDone() const;

  void setDefaultSaveDir(const QString& dir);
  QString defaultSaveDir() const;
  // Whether a .torrent opens the add dialog first; the way back from its
  // "Don't ask again".
  void setAskBeforeAddingTorrents(bool ask);
  bool askBeforeAddingTorrents() const;
  void setDefaultSourcePreference(SourcePreference preference);
  SourcePreference defaultSourcePreference() const;

  // Engine-wide: they take effect at the next start, as the page notes; the
  // maximum of active downloads (on the Downloads page) takes effect at once.
  void setEngineOptions(const EngineOptions& options);
  EngineOptions engineOptions() const;
  void setHttpConnectionsPerDownload(unsigned connections);
  unsigned httpConnectionsPerDownload() const;

  // "" = the system's language, else "en" or "zh_CN". A code the list does not
  // offer (a hand-edited setting) is shown as it is and handed back unchanged.
  void setLanguage(const QString& language);
  QString language() const;
  void setAskBeforeRemoving(bool ask);
  bool askBeforeRemoving() const;
  void setAskBeforeQuitting(bool ask);
  bool askBeforeQuitting() const;

 private:
  QWidget* makeDownloadsPage();
  QWidget* makeInterfacePage();
  QSpinBox* makeRateBox(QWidget* parent);
  void browseForSaveDir();

  QTabWidget* pages_ = nullptr;
  ConnectionSettingsPage* connection_ = nullptr;

  QLineEdit* saveDir_ = nullptr;
  QCheckBox* askBeforeAdding_ = nullptr;
  SourcePreferenceCombo* sourcePreference_ = nullptr;
  QSpinBox* maxActiveDownloads_ = nullptr;
  QCheckBox* bypassOsCache_ = nullptr;

  QSpinBox* downloadLimit_ = nullptr;
  QSpinBox* uploadLimit_ = nullptr;
  QSpinBox* altDownloadLimit_ = nullptr;
  QSpinBox* altUploadLimit_ = nullptr;

  QCheckBox* closeToTray_ = nullptr;
  QCheckBox* minimizeToTray_ = nullptr;
  QCheckBox* notifyWhenDone_ = nullptr;
  QLabel* trayNote_ = nullptr;

  QComboBox* language_ = nullptr;
  QCheckBox* askBeforeRemoving_ = nullptr;
  QCheckBox* askBeforeQuitting_ = nullptr;
};

}  // namespace tributary::ui
