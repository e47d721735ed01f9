#include "ui/delegates/ProgressDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>
#include <cmath>

namespace tributary::ui {

namespace {
constexpr int kResolution = 1000;  // tenths of a percent, as the text shows
constexpr int kMargin = 2;
}  // namespace

ProgressDelegate::ProgressDelegate(int progressRole, QObject* parent)
    : QStyledItemDelegate(parent), progressRole_(progressRole) {}

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
  const QVariant progress = index.data(progressRole_);
  if (!progress.isValid()) {
    QStyledItemDelegate::paint(painter, option, index);
    return;
  }
  // The selection background first, so a selected row stays one band.
  QStyleOptionViewItem background = option;
  initStyleOption(&background, index);
  background.text.clear();
  const QStyle* style = option.widget ? option.widget->style() : QApplication::style();
  style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

  QStyleOptionProgressBar bar;
  bar.rect = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
  bar.state = option.state | QStyle::State_Horizontal;
  bar.direction = option.direction;
  bar.fontMetrics = option.fontMetrics;
  bar.palette = option.palette;
  bar.minimum = 0;
  bar.maximum = kResolution;
  bar.progress = static_cast<int>(std::lround(progress.toDouble() * kResolution));
  bar.text = index.data(Qt::DisplayRole).toString();
  bar.textVisible = true;
  bar.textAlignment = Qt::AlignCenter;
  style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

}  // namespace tributary::ui
