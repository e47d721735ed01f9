// Public to ui/: the global download and upload rates at the right of the
// status bar, with the limits and session totals in their tooltips.
#pragma once

#include <QWidget>

#include "ui/bridge/BridgeTypes.h"

class QLabel;

namespace tributary::ui {

class TransferStatusWidget : public QWidget {
  Q_OBJECT

 public:
  explicit TransferStatusWidget(QWidget* parent = nullptr);

  void setStats(const tributary::ui::GlobalStats& stats);

 private:
  QLabel* download_ = nullptr;
  QLabel* upload_ = nullptr;
};

}  // namespace tributary::ui
