#include "ui/widgets/PieceBar.h"

#include <QLocale>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace tributary::ui {

namespace {

// Shades a column can take; more would not be told apart, fewer would band.
constexpr int kShades = 64;
constexpr int kBarHeight = 10;

QColor blend(const QColor& from, const QColor& to, double share) {
  auto mix = [share](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * share)); };
  return QColor(mix(from.red(), to.red()), mix(from.green(), to.green()),
                mix(from.blue(), to.blue()));
}

// A stretch with any piece is never blank, and one missing a piece never
// looks complete: the ends of the scale mean exactly none and all.
int shadeOf(double share) {
  if (share <= 0) {
    return 0;
  }
  if (share >= 1) {
    return kShades;
  }
  return std::clamp(static_cast<int>(std::lround(share * kShades)), 1, kShades - 1);
}

}  // namespace

PieceBar::PieceBar(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("pieceBar"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setAttribute(Qt::WA_OpaquePaintEvent);  // paintEvent covers every pixel
}

void PieceBar::setPieceMap(const QList<quint8>& map, quint32 pieceCount, quint32 piecesHave) {
  const QLocale locale;
  setToolTip(pieceCount == 0 ? QString()
                             : tr("Pieces verified: %1 of %2")
                                   .arg(locale.toString(piecesHave), locale.toString(pieceCount)));
  if (map == map_) {
    return;  // the usual tick of a seeding or stalled torrent: nothing to repaint
  }
  map_ = map;
  update();
}

void PieceBar::clear() {
  setPieceMap({}, 0, 0);
}

QList<double> PieceBar::binShares(const QList<quint8>& map, int bins) {
  QList<double> out;
  if (bins <= 0) {
    return out;
  }
  out.fill(0.0, bins);
  const auto entries = static_cast<quint64>(map.size());
  if (entries == 0) {
    return out;
  }
  // In units of 1 / (entries * bins) of the torrent, entry i covers
  // [i * bins, (i + 1) * bins) and bin j covers [j * entries, (j + 1) *
  // entries): whole numbers, so the walk below has no rounding drift.
  const auto binCount = static_cast<quint64>(bins);
  quint64 position = 0;
  quint64 entry = 0;
  quint64 sum = 0;
  for (quint64 bin = 0; bin < binCount;) {
    const quint64 binEnd = (bin + 1) * entries;
    const quint64 entryEnd = (entry + 1) * binCount;
    const quint64 end = std::min(binEnd, entryEnd);
    sum += (end - position) * map.at(static_cast<qsizetype>(entry));
    position = end;
    if (position == entryEnd) {
      ++entry;
    }
    if (position == binEnd) {
      out[static_cast<qsizetype>(bin)] =
          static_cast<double>(sum) / (static_cast<double>(entries) * 255.0);
      sum = 0;
      ++bin;
    }
  }
  return out;
}

QSize PieceBar::sizeHint() const {
  return QSize(320, kBarHeight);
}

QSize PieceBar::minimumSizeHint() const {
  return QSize(60, kBarHeight);
}

void PieceBar::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRect frame = rect();
  const QColor missing = palette().color(QPalette::Base);
  const QColor have = palette().color(QPalette::Highlight);
  painter.fillRect(frame, missing);
  const QRect inside = frame.adjusted(1, 1, -1, -1);
  if (!map_.isEmpty() && inside.width() > 0) {
    const QList<double> shares = binShares(map_, inside.width());
    // One rectangle per run of equal shade: a torrent that is mostly done
    // or mostly missing paints in a handful of calls.
    int runStart = 0;
    int runShade = -1;
    auto flush = [&](int end) {
      if (runShade > 0 && end > runStart) {
        painter.fillRect(
            QRect(inside.left() + runStart, inside.top(), end - runStart, inside.height()),
            blend(missing, have, static_cast<double>(runShade) / kShades));
      }
    };
    for (int x = 0; x < shares.size(); ++x) {
      const int shade = shadeOf(shares.at(x));
      if (shade != runShade) {
        flush(x);
        runStart = x;
        runShade = shade;
      }
    }
    flush(static_cast<int>(shares.size()));
  }
  painter.setPen(palette().color(QPalette::Mid));
  painter.drawRect(frame.adjusted(0, 0, -1, -1));
}

}  // namespace tributary::ui
