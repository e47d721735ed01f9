#include "ui/delegates/SourceMixDelegate.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/delegates/TrafficColors.h"

namespace tributary::ui {
namespace {
constexpr int kMargin = 3;
}  // namespace

SourceMixDelegate::SourceMixDelegate(int mixRole, QObject* parent)
    : QStyledItemDelegate(parent), mixRole_(mixRole) {}

void SourceMixDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
  const QVariantList mix = index.data(mixRole_).toList();
  if (mix.size() != 3) {
    QStyledItemDelegate::paint(painter, option, index);
    return;
  }
  // The text (and the selection background) as usual, a little higher.
  QStyleOptionViewItem text = option;
  text.rect.adjust(0, 0, 0, -(kBarHeight + 1));
  QStyledItemDelegate::paint(painter, text, index);

  const QRect bar(option.rect.left() + kMargin, option.rect.bottom() - kBarHeight - 1,
                  option.rect.width() - 2 * kMargin, kBarHeight);
  if (bar.width() <= 0) {
    return;
  }
  painter->save();
  // Each share's right edge rounded from the running sum, so the parts always
  // fill the bar exactly and a 1 % share still gets its pixel.
  double sum = 0;
  int left = bar.left();
  const TrafficKind kinds[] = {TrafficKind::Bt, TrafficKind::Http, TrafficKind::Cdn};
  for (int k = 0; k < 3; ++k) {
    const double share = std::clamp(mix[k].toDouble(), 0.0, 1.0);
    sum += share;
    int right = bar.left() + static_cast<int>(std::lround(sum * bar.width()));
    if (share > 0 && right <= left) {
      right = left + 1;
    }
    right = std::min(right, bar.right() + 1);
    if (right > left) {
      painter->fillRect(QRect(left, bar.top(), right - left, bar.height()), trafficColor(kinds[k]));
      left = right;
    }
  }
  painter->restore();
}

}  // namespace tributary::ui
