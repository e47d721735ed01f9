// Public to ui/: the Traffic window's chart. One stacked bar per local day
// over the last 7, 30 or 90 days up to the engine's "today": BT at the
// bottom, then HTTP, CDN and shared (uploaded) on top, in the colours and
// order of the Traffic tab's TrafficChart. A day without traffic keeps its
// place, empty. Hovering a bar shows that day's figures. Painted with QPainter.
#pragma once

#include <QDate>
#include <QList>
#include <QWidget>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

class DailyTrafficChart : public QWidget {
  Q_OBJECT

 public:
  explicit DailyTrafficChart(QWidget* parent = nullptr);

  // The engine's days (any order, any range) and its today.
  void setHistory(const QList<DayTraffic>& days, QDate today);
  // Days shown, today included (1..90).
  void setDayCount(int days);
  int dayCount() const { return dayCount_; }

  // One entry per bar slot, oldest first, zero bytes where nothing moved.
  const QList<DayTraffic>& shownDays() const { return shown_; }
  // Slots whose bar has any height.
  int barCount() const;
  // The byte axis's top: a round figure at or above the highest bar.
  double axisTop() const { return axisTop_; }
  QRect plotRect() const;
  // The slot under `pos` (widget coordinates), or -1.
  int slotAt(QPoint pos) const;
  // The tooltip of slot `slot`: its date and figures by kind.
  QString slotText(int slot) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;

 private:
  void rebuild();
  QStringList axisLabels() const;
  void paintGrid(QPainter& painter, const QRect& plot) const;
  void paintBars(QPainter& painter, const QRect& plot) const;
  void paintDates(QPainter& painter, const QRect& plot) const;
  void paintLegend(QPainter& painter) const;

  QList<DayTraffic> days_;
  QDate today_;
  int dayCount_ = 30;
  QList<DayTraffic> shown_;
  double axisTop_ = 0;
  double axisStep_ = 0;
};

}  // namespace tributary::ui
