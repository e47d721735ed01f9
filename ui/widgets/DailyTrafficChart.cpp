#include "ui/widgets/DailyTrafficChart.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <array>
#include <cmath>

#include "ui/models/Format.h"
#include "ui/widgets/TrafficChart.h"

namespace tributary::ui {

namespace {

constexpr int kMaxSteps = 4;
constexpr int kPadding = 6;
constexpr int kMaxDays = 90;  // what the engine keeps

std::array<quint64, TrafficChart::KindCount> kindsOf(const Traffic& t) {
  return {t.bt, t.http, t.cdn, t.shared};
}

double stackTop(const Traffic& t) {
  return static_cast<double>(t.bt) + static_cast<double>(t.http) + static_cast<double>(t.cdn) +
         static_cast<double>(t.shared);
}

}  // namespace

DailyTrafficChart::DailyTrafficChart(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("dailyTrafficChart"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setMouseTracking(true);
  rebuild();
}

void DailyTrafficChart::setHistory(const QList<DayTraffic>& days, QDate today) {
  days_ = days;
  today_ = today;
  rebuild();
}

void DailyTrafficChart::setDayCount(int days) {
  dayCount_ = std::clamp(days, 1, kMaxDays);
  rebuild();
}

void DailyTrafficChart::rebuild() {
  shown_.clear();
  const QDate today = today_.isValid() ? today_ : QDate::currentDate();
  const QDate first = today.addDays(1 - dayCount_);
  for (int i = 0; i < dayCount_; ++i) {
    shown_.append(DayTraffic{first.addDays(i), {}});
  }
  double peak = 0;
  for (const DayTraffic& day : days_) {
    const qint64 slot = first.daysTo(day.date);
    if (slot < 0 || slot >= dayCount_) {
      continue;
    }
    Traffic& into = shown_[slot].bytes;
    into.bt += day.bytes.bt;
    into.http += day.bytes.http;
    into.cdn += day.bytes.cdn;
    into.shared += day.bytes.shared;
    peak = std::max(peak, stackTop(into));
  }
  axisTop_ = TrafficChart::niceAxisTop(peak, kMaxSteps, &axisStep_);
  update();
}

int DailyTrafficChart::barCount() const {
  return static_cast<int>(std::count_if(shown_.begin(), shown_.end(), [](const DayTraffic& d) {
    return d.bytes.downloaded() + d.bytes.shared > 0;
  }));
}

QStringList DailyTrafficChart::axisLabels() const {
  QStringList labels;
  const int steps = static_cast<int>(std::lround(axisTop_ / axisStep_));
  for (int i = 0; i <= steps; ++i) {
    labels << Format::bytes(static_cast<quint64>(i * axisStep_));
  }
  return labels;
}

QRect DailyTrafficChart::plotRect() const {
  const QFontMetrics metrics = fontMetrics();
  int left = 0;
  for (const QString& label : axisLabels()) {
    left = std::max(left, metrics.horizontalAdvance(label));
  }
  left += 2 * kPadding;
  const int top = 2 * metrics.height() + kPadding;  // the legend, half a label
  const int bottom = metrics.height() + kPadding;
  const int right = kPadding + metrics.horizontalAdvance(QStringLiteral("00/00")) / 2;
  return QRect(left, top, std::max(1, width() - left - right),
               std::max(1, height() - top - bottom));
}

int DailyTrafficChart::slotAt(QPoint pos) const {
  const QRect plot = plotRect();
  if (!plot.contains(pos) || shown_.isEmpty()) {
    return -1;
  }
  const int slot =
      static_cast<int>(static_cast<qint64>(pos.x() - plot.left()) * shown_.size() / plot.width());
  return std::clamp(slot, 0, static_cast<int>(shown_.size()) - 1);
}

QString DailyTrafficChart::slotText(int slot) const {
  if (slot < 0 || slot >= shown_.size()) {
    return {};
  }
  const DayTraffic& day = shown_.at(slot);
  QStringList lines{QLocale().toString(day.date, QLocale::LongFormat)};
  const auto kinds = kindsOf(day.bytes);
  for (int k = TrafficChart::KindCount - 1; k >= 0; --k) {
    lines << tr("%1: %2").arg(TrafficChart::kindName(static_cast<TrafficChart::Kind>(k)),
                              Format::bytes(kinds[k]));
  }
  return lines.join(QLatin1Char('\n'));
}

QSize DailyTrafficChart::sizeHint() const {
  return QSize(640, 280);
}

QSize DailyTrafficChart::minimumSizeHint() const {
  return QSize(320, 6 * fontMetrics().height() + 40);
}

bool DailyTrafficChart::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int slot = slotAt(help->pos());
    if (slot >= 0) {
      QToolTip::showText(help->globalPos(), slotText(slot), this);
    } else {
      QToolTip::hideText();
      event->ignore();
    }
    return true;
  }
  if (event->type() == QEvent::FontChange) {
    updateGeometry();
  }
  return QWidget::event(event);
}

void DailyTrafficChart::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRect plot = plotRect();
  painter.fillRect(plot, palette().color(QPalette::Base));
  paintGrid(painter, plot);
  paintBars(painter, plot);
  painter.setPen(palette().color(QPalette::Mid));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(plot.adjusted(0, 0, -1, -1));
  paintDates(painter, plot);
  paintLegend(painter);
  if (barCount() == 0) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap,
                     tr("No traffic in the last %n day(s).", nullptr, dayCount_));
  }
}

void DailyTrafficChart::paintLegend(QPainter& painter) const {
  const QFontMetrics metrics = fontMetrics();
  const int swatch = metrics.ascent() - 2;
  int x = plotRect().left();
  const int baseline = metrics.ascent() + kPadding / 2;
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    const auto kind = static_cast<TrafficChart::Kind>(k);
    const QRect box(x, baseline - swatch, swatch, swatch);
    painter.fillRect(box, TrafficChart::kindColor(kind));
    x += swatch + kPadding / 2;
    painter.setPen(palette().color(QPalette::WindowText));
    const QString name = TrafficChart::kindName(kind);
    painter.drawText(x, baseline, name);
    x += metrics.horizontalAdvance(name) + 3 * kPadding;
  }
}

void DailyTrafficChart::paintGrid(QPainter& painter, const QRect& plot) const {
  const QFontMetrics metrics = fontMetrics();
  QColor gridColor = palette().color(QPalette::Mid);
  gridColor.setAlpha(110);
  const QStringList labels = axisLabels();
  for (int i = 0; i < labels.size(); ++i) {
    const double fraction = static_cast<double>(i) / std::max<qsizetype>(1, labels.size() - 1);
    const int y = plot.bottom() - static_cast<int>(std::lround(fraction * (plot.height() - 1)));
    if (i > 0 && i + 1 < labels.size()) {
      painter.setPen(QPen(gridColor, 1, Qt::DotLine));
      painter.drawLine(plot.left(), y, plot.right(), y);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, y - metrics.height() / 2, plot.left() - kPadding, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, labels.at(i));
  }
}

void DailyTrafficChart::paintBars(QPainter& painter, const QRect& plot) const {
  const double slotWidth = static_cast<double>(plot.width()) / shown_.size();
  // A gap between bars once they are wide enough to spare one.
  const double gap = slotWidth >= 6 ? std::max(1.0, slotWidth * 0.2) : 0;
  painter.save();
  painter.setClipRect(plot);
  painter.setPen(Qt::NoPen);
  for (int i = 0; i < shown_.size(); ++i) {
    const double x0 = plot.left() + i * slotWidth + gap / 2;
    const double width = slotWidth - gap;
    double below = 0;
    const auto kinds = kindsOf(shown_.at(i).bytes);
    for (int k = 0; k < TrafficChart::KindCount; ++k) {
      if (kinds[k] == 0) {
        continue;
      }
      const double top = below + static_cast<double>(kinds[k]);
      const double y0 = plot.bottom() + 1 - std::min(below, axisTop_) / axisTop_ * plot.height();
      const double y1 = plot.bottom() + 1 - std::min(top, axisTop_) / axisTop_ * plot.height();
      // Every kind that moved shows, if only as a one-pixel band.
      const double height = std::max(1.0, y0 - y1);
      painter.setBrush(TrafficChart::kindColor(static_cast<TrafficChart::Kind>(k)));
      painter.drawRect(QRectF(x0, y0 - height, width, height));
      below = top;
    }
  }
  painter.restore();
}

void DailyTrafficChart::paintDates(QPainter& painter, const QRect& plot) const {
  const QFontMetrics metrics = fontMetrics();
  // Month and day in digits: short, and read the same way in every locale we ship.
  const QString format = QStringLiteral("M/d");
  const double slotWidth = static_cast<double>(plot.width()) / shown_.size();
  const int labelWidth = metrics.horizontalAdvance(QStringLiteral("00/00")) + 2 * kPadding;
  // Label every n-th day, counted back from today so today always has one.
  const int every = std::max(1, static_cast<int>(std::ceil(labelWidth / slotWidth)));
  painter.setPen(palette().color(QPalette::WindowText));
  const int top = plot.bottom() + kPadding / 2;
  for (int i = static_cast<int>(shown_.size()) - 1; i >= 0; i -= every) {
    const QString text = shown_.at(i).date.toString(format);
    const int centre = plot.left() + static_cast<int>((i + 0.5) * slotWidth);
    const int w = metrics.horizontalAdvance(text);
    painter.drawText(QRect(centre - w / 2, top, w + 1, metrics.height()), Qt::AlignCenter, text);
  }
}

}  // namespace tributary::ui
