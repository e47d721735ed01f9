// Public to ui/: the Traffic tab's chart. A stacked area chart of the rates
// of one task over the last minutes: BT at the bottom, then HTTP, CDN and
// shared (uploaded) on top, so the top edge is all the traffic of the task.
// Painted with QPainter; axes, a legend, and colours from the Okabe-Ito
// palette, which stay distinguishable with the common kinds of colour
// blindness and read on light and dark backgrounds alike.
#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

#include "ui/models/TrafficHistory.h"

namespace tributary::ui {

class TrafficChart : public QWidget {
  Q_OBJECT

 public:
  // Bottom to top of the stack, and left to right in the legend.
  enum Kind { Bt, Http, Cdn, Shared, KindCount };

  explicit TrafficChart(QWidget* parent = nullptr);

  static QColor kindColor(Kind kind);
  static QString kindName(Kind kind);

  // The intervals to draw (oldest first, as TrafficHistory::rates gives
  // them) and the time of the chart's right edge, on the same clock.
  void setRates(const QList<TrafficRate>& rates, qint64 nowMs);
  void clear();
  void setWindowMs(qint64 windowMs);
  qint64 windowMs() const { return windowMs_; }

  // The top of the rate axis (bytes/s) for the rates shown: a round figure
  // at or above the highest stack.
  double axisTop() const { return axisTop_; }
  // Where the areas are drawn, for tests that look at pixels.
  QRect plotRect() const;
  // The text of the rate axis labels, bottom to top.
  QStringList rateLabels() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

  // A round top for an axis that must reach `peak` with at most `maxSteps`
  // gridlines; returns the step through `step`. Steps are 1, 2 or 5 times a
  // power of ten of the binary unit (B, KiB, MiB, ...), so labels read as
  // "2.0 MiB/s" rather than "2.1 MB/s".
  static double niceAxisTop(double peak, int maxSteps, double* step);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void updateAxis();
  int leftMargin() const;
  int legendHeight() const;
  void paintLegend(QPainter& painter) const;
  void paintGrid(QPainter& painter, const QRect& plot) const;
  void paintAreas(QPainter& painter, const QRect& plot) const;
  void paintTimeAxis(QPainter& painter, const QRect& plot) const;

  QList<TrafficRate> rates_;
  qint64 nowMs_ = 0;
  qint64 windowMs_ = TrafficHistory::kDefaultWindowMs;
  double axisTop_ = 0;
  double axisStep_ = 0;
};

}  // namespace tributary::ui
