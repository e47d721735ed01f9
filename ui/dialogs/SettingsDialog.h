// Public to ui/: application settings. For now the default download folder
// and the global speed limits; more pages join as features land.
#pragma once

#include <QDialog>

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

  void setDefaultSaveDir(const QString& dir);
  QString defaultSaveDir() const;

 private:
  QSpinBox* makeRateBox();
  void browseForSaveDir();

  QLineEdit* saveDir_ = nullptr;

  QSpinBox* downloadLimit_ = nullptr;
  QSpinBox* uploadLimit_ = nullptr;
};

}  // namespace tributary::ui
