// Public to ui/: application settings. For now the global speed limits, the
// settings the engine already honours; more pages join as features land.
#pragma once

#include <QDialog>

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

 private:
  QSpinBox* makeRateBox();

  QSpinBox* downloadLimit_ = nullptr;
  QSpinBox* uploadLimit_ = nullptr;
};

}  // namespace tributary::ui
