// Public to ui/: the Traffic window (Tools > Traffic History): the engine's
// per-day traffic as stacked bars over the last 7, 30 or 90 days, and the
// totals by kind, for the days shown and for all time (every task ever,
// removed ones and earlier runs included). Not modal: it follows the
// engine's figures while it is open. MainWindow feeds it GlobalStats.
#pragma once

#include <QDialog>
#include <QList>

#include "ui/bridge/BridgeTypes.h"

class QComboBox;
class QLabel;

namespace tributary::ui {

class DailyTrafficChart;

class TrafficHistoryDialog : public QDialog {
  Q_OBJECT

 public:
  // Rows of the totals table, top to bottom.
  enum Row { BtRow, HttpRow, CdnRow, DownloadedRow, SharedRow, RowCount };

  explicit TrafficHistoryDialog(QWidget* parent = nullptr);

  void setStats(const GlobalStats& stats);
  // 7, 30 or 90.
  void setDayCount(int days);
  int dayCount() const;

  DailyTrafficChart* chart() const { return chart_; }
  // What the totals table shows in `row`: over the days shown, and all time.
  QString rangeText(Row row) const;
  QString allTimeText(Row row) const;

 private:
  void refresh();
  static QString rowName(Row row);

  QComboBox* range_ = nullptr;
  DailyTrafficChart* chart_ = nullptr;
  QList<QLabel*> rangeLabels_;
  QList<QLabel*> allTimeLabels_;
  GlobalStats stats_;
};

}  // namespace tributary::ui
