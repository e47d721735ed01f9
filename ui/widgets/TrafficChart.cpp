#include "ui/widgets/TrafficChart.h"

#include <QEvent>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <array>
#include <cmath>

#include "ui/delegates/TrafficColors.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

constexpr int kMaxRateSteps = 4;
constexpr int kPadding = 6;
constexpr qint64 kMinuteMs = 60 * 1000;
// Format::rate takes the figure as a signed 64-bit size; far above any real
// link, the stack is clipped to the top of the chart instead.
constexpr double kMaxRate = 1152921504606846976.0;  // 2^60 B/s

using Stack = std::array<double, TrafficChart::KindCount>;

// Each kind's share added to the ones below it.
Stack cumulative(const TrafficRate& rate) {
  const Stack own = {static_cast<double>(rate.bt), static_cast<double>(rate.http),
                     static_cast<double>(rate.cdn), static_cast<double>(rate.shared)};
  Stack out{};
  double sum = 0;
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    sum += own[k];
    out[k] = std::min(sum, kMaxRate);
  }
  return out;
}

QString rateText(double value) {
  return Format::rate(static_cast<quint64>(std::clamp(value, 0.0, kMaxRate)));
}

}  // namespace

TrafficChart::TrafficChart(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("trafficChart"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  updateAxis();
}

QColor TrafficChart::kindColor(Kind kind) {
  // The kinds are in the same order as TrafficKind's.
  return kind == KindCount ? QColor() : trafficColor(static_cast<TrafficKind>(kind));
}

QString TrafficChart::kindName(Kind kind) {
  // BT, HTTP and CDN are product terms (DESIGN.md), the same in every language.
  switch (kind) {
    case Bt:
      return QStringLiteral("BT");
    case Http:
      return QStringLiteral("HTTP");
    case Cdn:
      return QStringLiteral("CDN");
    case Shared:
      return tr("Shared");
    case KindCount:
      break;
  }
  return {};
}

void TrafficChart::setRates(const QList<TrafficRate>& rates, qint64 nowMs) {
  rates_ = rates;
  nowMs_ = nowMs;
  updateAxis();
  update();
}

void TrafficChart::clear() {
  setRates({}, nowMs_);
}

void TrafficChart::setWindowMs(qint64 windowMs) {
  windowMs_ = std::max<qint64>(kMinuteMs, windowMs);
  updateAxis();
  update();
}

double TrafficChart::niceAxisTop(double peak, int maxSteps, double* step) {
  // An idle chart still has a scale: a kibibyte a second.
  peak = std::clamp(peak, 1024.0, kMaxRate);
  maxSteps = std::max(1, maxSteps);
  double unit = 1;
  while (unit * 1024 <= peak) {
    unit *= 1024;
  }
  static constexpr double kMultipliers[] = {0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1024};
  for (double multiplier : kMultipliers) {
    const double candidate = multiplier * unit;
    // A hair of tolerance, so a peak of exactly 2 MiB/s tops the axis at 2.
    const double steps = std::ceil(peak / candidate - 1e-9);
    if (steps <= maxSteps) {
      *step = candidate;
      return steps * candidate;
    }
  }
  *step = 1024 * unit;  // not reached: 4 steps of 500 units pass 1024 units
  return std::ceil(peak / *step) * *step;
}

void TrafficChart::updateAxis() {
  double peak = 0;
  for (const TrafficRate& rate : rates_) {
    if (rate.endMs > nowMs_ - windowMs_) {
      peak = std::max(peak, cumulative(rate)[Shared]);
    }
  }
  axisTop_ = niceAxisTop(peak, kMaxRateSteps, &axisStep_);
}

QStringList TrafficChart::rateLabels() const {
  QStringList labels;
  const int steps = static_cast<int>(std::lround(axisTop_ / axisStep_));
  for (int i = 0; i <= steps; ++i) {
    labels << rateText(i * axisStep_);
  }
  return labels;
}

int TrafficChart::leftMargin() const {
  int widest = 0;
  for (const QString& label : rateLabels()) {
    widest = std::max(widest, fontMetrics().horizontalAdvance(label));
  }
  return widest + 2 * kPadding;
}

int TrafficChart::legendHeight() const {
  return fontMetrics().height() + kPadding;
}

QRect TrafficChart::plotRect() const {
  const QFontMetrics metrics = fontMetrics();
  // Room on the right for half of the "now" label centred under the edge.
  const int right = metrics.horizontalAdvance(tr("now")) / 2 + kPadding;
  const int top = legendHeight() + metrics.height() / 2;
  const int bottom = metrics.height() + kPadding;
  return QRect(leftMargin(), top, std::max(1, width() - leftMargin() - right),
               std::max(1, height() - top - bottom));
}

QSize TrafficChart::sizeHint() const {
  return QSize(520, 240);
}

QSize TrafficChart::minimumSizeHint() const {
  return QSize(leftMargin() + 160, legendHeight() + 4 * fontMetrics().height() + 40);
}

void TrafficChart::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
    updateGeometry();
    update();
  }
  QWidget::changeEvent(event);
}

void TrafficChart::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRect plot = plotRect();
  painter.fillRect(plot, palette().color(QPalette::Base));
  paintGrid(painter, plot);
  paintAreas(painter, plot);
  painter.setPen(palette().color(QPalette::Mid));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(plot.adjusted(0, 0, -1, -1));
  paintTimeAxis(painter, plot);
  paintLegend(painter);
  if (rates_.isEmpty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const int minutes = static_cast<int>(windowMs_ / kMinuteMs);
    painter.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap,
                     tr("No traffic in the last %n minute(s).", nullptr, minutes));
  }
}

void TrafficChart::paintLegend(QPainter& painter) const {
  const QFontMetrics metrics = fontMetrics();
  const int swatch = metrics.ascent() - 2;
  int x = leftMargin();
  const int baseline = metrics.ascent() + kPadding / 2;
  for (int k = 0; k < KindCount; ++k) {
    const auto kind = static_cast<Kind>(k);
    const QRect box(x, baseline - swatch, swatch, swatch);
    painter.fillRect(box, kindColor(kind));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(box.adjusted(0, 0, -1, -1));
    x += swatch + kPadding / 2;
    painter.setPen(palette().color(QPalette::WindowText));
    const QString name = kindName(kind);
    painter.drawText(x, baseline, name);
    x += metrics.horizontalAdvance(name) + 3 * kPadding;
  }
}

void TrafficChart::paintGrid(QPainter& painter, const QRect& plot) const {
  const QFontMetrics metrics = fontMetrics();
  QColor gridColor = palette().color(QPalette::Mid);
  gridColor.setAlpha(110);
  const QStringList labels = rateLabels();
  for (int i = 0; i < labels.size(); ++i) {
    const double fraction = static_cast<double>(i) / std::max<qsizetype>(1, labels.size() - 1);
    const int y = plot.bottom() - static_cast<int>(std::lround(fraction * (plot.height() - 1)));
    if (i > 0 && i + 1 < labels.size()) {
      painter.setPen(QPen(gridColor, 1, Qt::DotLine));
      painter.drawLine(plot.left(), y, plot.right(), y);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect text(0, y - metrics.height() / 2, plot.left() - kPadding, metrics.height());
    painter.drawText(text, Qt::AlignRight | Qt::AlignVCenter, labels.at(i));
  }
  painter.setPen(QPen(gridColor, 1, Qt::DotLine));
  for (qint64 ago = kMinuteMs; ago < windowMs_; ago += kMinuteMs) {
    const int x = plot.right() - static_cast<int>(ago * (plot.width() - 1) / windowMs_);
    painter.drawLine(x, plot.top(), x, plot.bottom());
  }
}

void TrafficChart::paintAreas(QPainter& painter, const QRect& plot) const {
  if (rates_.isEmpty()) {
    return;
  }
  const QRectF area(plot);
  const double base = area.bottom();
  auto xOf = [&](qint64 timeMs) {
    return area.right() - static_cast<double>(nowMs_ - timeMs) * area.width() / windowMs_;
  };
  auto yOf = [&](double rate) {
    return base - std::min(rate, axisTop_) / axisTop_ * area.height();
  };
  struct Column {
    double x0;
    double x1;
    Stack stack;
  };
  QList<Column> columns;
  columns.reserve(rates_.size());
  double previousRight = area.left();
  for (const TrafficRate& rate : rates_) {
    const double x1 = std::min(xOf(rate.endMs), area.right());
    // Intervals never overlap on screen, even when a clamped span says so.
    const double x0 = std::max({xOf(rate.endMs - rate.spanMs), area.left(), previousRight});
    if (x1 <= x0) {
      continue;
    }
    columns.append(Column{x0, x1, cumulative(rate)});
    previousRight = x1;
  }
  if (columns.isEmpty()) {
    return;
  }

  painter.save();
  painter.setClipRect(plot);
  painter.setRenderHint(QPainter::Antialiasing, false);
  painter.setPen(Qt::NoPen);
  // Top layer first, each from the baseline: the next one down paints over
  // its lower part, so neighbouring bands share an edge with no seam.
  for (int k = KindCount - 1; k >= 0; --k) {
    QPolygonF outline;
    outline.reserve(4 * columns.size() + 2);
    outline << QPointF(columns.first().x0, base);
    double right = columns.first().x0;
    for (const Column& column : columns) {
      if (column.x0 > right + 0.5) {  // nothing moved in between
        outline << QPointF(right, base) << QPointF(column.x0, base);
      }
      const double y = yOf(column.stack[k]);
      outline << QPointF(column.x0, y) << QPointF(column.x1, y);
      right = column.x1;
    }
    outline << QPointF(right, base);
    painter.setBrush(kindColor(static_cast<Kind>(k)));
    painter.drawPolygon(outline);
  }
  painter.restore();
}

void TrafficChart::paintTimeAxis(QPainter& painter, const QRect& plot) const {
  const QFontMetrics metrics = fontMetrics();
  struct Tick {
    int x;
    QString text;
  };
  QList<Tick> ticks;
  for (qint64 ago = 0; ago <= windowMs_; ago += kMinuteMs) {
    const int x = plot.right() - static_cast<int>(ago * (plot.width() - 1) / windowMs_);
    const int minutes = static_cast<int>(ago / kMinuteMs);
    ticks.append(Tick{x, minutes == 0 ? tr("now") : tr("%n min ago", nullptr, minutes)});
  }
  // Every minute when the labels fit side by side, else only both ends.
  bool fits = true;
  for (qsizetype i = 1; i < ticks.size(); ++i) {
    const int room = ticks.at(i - 1).x - ticks.at(i).x;
    const int needed = (metrics.horizontalAdvance(ticks.at(i - 1).text) +
                        metrics.horizontalAdvance(ticks.at(i).text)) /
                           2 +
                       2 * kPadding;
    fits = fits && room >= needed;
  }
  painter.setPen(palette().color(QPalette::WindowText));
  const int top = plot.bottom() + kPadding / 2;
  for (qsizetype i = 0; i < ticks.size(); ++i) {
    if (!fits && i != 0 && i + 1 != ticks.size()) {
      continue;
    }
    const Tick& tick = ticks.at(i);
    const int textWidth = metrics.horizontalAdvance(tick.text);
    // The oldest label starts at the left edge rather than hanging past it.
    const int left = i + 1 == ticks.size() && tick.x - textWidth / 2 < plot.left()
                         ? plot.left()
                         : tick.x - textWidth / 2;
    painter.drawText(QRect(left, top, textWidth + 1, metrics.height()), Qt::AlignCenter, tick.text);
  }
}

}  // namespace tributary::ui
