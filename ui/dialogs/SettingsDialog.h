// Public to ui/: application settings. For now the default download folder,
// the speed limits (normal and alternative) and the tray behaviour; more
// pages join as features land.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tributary::ui {

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

 private:
  QSpinBox* makeRateBox();
  void browseForSaveDir();

  QLineEdit* saveDir_ = nullptr;
  QCheckBox* askBeforeAdding_ = nullptr;

  QSpinBox* downloadLimit_ = nullptr;
  QSpinBox* uploadLimit_ = nullptr;
  QSpinBox* altDownloadLimit_ = nullptr;
  QSpinBox* altUploadLimit_ = nullptr;

  QCheckBox* closeToTray_ = nullptr;
  QCheckBox* minimizeToTray_ = nullptr;
  QCheckBox* notifyWhenDone_ = nullptr;
  QLabel* trayNote_ = nullptr;
};

}  // namespace tributary::ui
