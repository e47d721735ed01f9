// Public to ui/: the application's settings, kept with QSettings under the
// organisation and application names main() sets. Every read falls back to
// a sensible default, so a first start needs no settings file.
#pragma once

#include <QSettings>
#include <QString>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/EngineOptions.h"

namespace tributary::ui {

// Bytes per second each way; 0 means unlimited.
struct SpeedLimits {
  quint64 download = 0;
  quint64 upload = 0;

  bool operator==(const SpeedLimits&) const = default;
};

class AppSettings {
 public:
  AppSettings() = default;

  // Where new downloads go: the chosen folder, else the user's Downloads
  // folder, else the home folder.
  QString defaultSaveDir() const;
  void setDefaultSaveDir(const QString& dir);

  // Where the "Add Torrent" dialog opens: the folder of the last .torrent added.
  QString lastTorrentDir() const;
  void setLastTorrentDir(const QString& dir);

  // Whether adding a .torrent from the GUI opens the add dialog (folder, files,
  // start paused) first; its "Don't ask again" turns this off. On by default.
  bool askBeforeAddingTorrents() const;
  void setAskBeforeAddingTorrents(bool ask);

  // The source preference new torrents get (the add dialogs start from it;
  // drops and pastes use it). Balanced by default.
  SourcePreference defaultSourcePreference() const;
  void setDefaultSourcePreference(SourcePreference preference);

  static QString systemDownloadDir();

  // The engine-wide limits, and the alternative pair the tray menu switches
  // to when the connection is wanted for something else.
  SpeedLimits speedLimits() const;
  void setSpeedLimits(const SpeedLimits& limits);
  SpeedLimits alternativeSpeedLimits() const;
  void setAlternativeSpeedLimits(const SpeedLimits& limits);
  bool alternativeSpeedLimitsOn() const;
  void setAlternativeSpeedLimitsOn(bool on);
  // The pair in force: the alternative one while it is switched on.
  SpeedLimits activeSpeedLimits() const;

  // Tray behaviour; it applies only where a system tray exists. Closing hides
  // into the tray by default, minimising does not.
  bool closeToTray() const;
  void setCloseToTray(bool on);
  bool minimizeToTray() const;
  void setMinimizeToTray(bool on);
  // A tray message when a download completes or fails; on by default.
  bool notifyWhenDone() const;
  void setNotifyWhenDone(bool on);

  // Listen port, connection limits, DHT/PEX/LSD/uTP, the DHT's bootstrap
  // nodes and peer encryption ("enabled", "required" or "disabled"; anything
  // else reads as enabled): read when the engine is created (engineOptions() feeds
  // app/main.cpp's EngineConfig), so a change applies at the next start; the
  // maximum of active downloads also applies at once (MainWindow hands it to
  // the engine). Out-of-range stored figures read as in range.
  EngineOptions engineOptions() const;
  void setEngineOptions(const EngineOptions& options);
  // Connections each new http(s) download opens (AddOptions::connections),
  // 1 to 64; 8 by default. Applies to downloads added from then on.
  unsigned httpConnectionsPerDownload() const;
  void setHttpConnectionsPerDownload(unsigned connections);

  // The interface language: "" follows the system, else a translation's
  // code ("en", "zh_CN"). Read at start (TranslationLoader).
  QString language() const;
  void setLanguage(const QString& language);

  // Removing downloads (keeping their files) asks first; on by default.
  // Deleting the files always asks, whatever this says.
  bool askBeforeRemoving() const;
  void setAskBeforeRemoving(bool ask);
  // Quitting while a download runs asks first; off by default.
  bool askBeforeQuitting() const;
  void setAskBeforeQuitting(bool ask);

  // A table header's layout (QHeaderView::saveState) under `key`: which
  // columns show, their order, widths and the sort. Empty when never saved.
  QByteArray headerState(const QString& key) const;
  void setHeaderState(const QString& key, const QByteArray& state);

 private:
  mutable QSettings settings_;
};

}  // namespace tributary::ui
