// Public to ui/: the application's settings, kept with QSettings under the
// organisation and application names main() sets. Every read falls back to
// a sensible default, so a first start needs no settings file.
#pragma once

#include <QSettings>
#include <QString>

namespace tributary::ui {

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

  static QString systemDownloadDir();

 private:
  mutable QSettings settings_;
};

}  // namespace tributary::ui
