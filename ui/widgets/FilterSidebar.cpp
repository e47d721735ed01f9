#include "ui/widgets/FilterSidebar.h"

#include <QFontMetrics>
#include <QLocale>
#include <algorithm>

namespace tributary::ui {

namespace {
// The item's filter, kept apart from its text, which holds the count.
constexpr int kFilterRole = Qt::UserRole + 1;
constexpr int kItemPadding = 6;
}  // namespace

FilterSidebar::FilterSidebar(TaskFilterProxy* proxy, QWidget* parent)
    : QListWidget(parent), proxy_(proxy) {
  setObjectName(QStringLiteral("filterSidebar"));
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setUniformItemSizes(true);
  setSpacing(kItemPadding / 2);
  setTextElideMode(Qt::ElideRight);
  for (int filter = TaskFilterProxy::All; filter < TaskFilterProxy::FilterCount; ++filter) {
    auto* item = new QListWidgetItem(this);
    item->setData(kFilterRole, filter);
  }
  updateCounts();
  setCurrentFilter(proxy_->stateFilter());
  connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) {
      proxy_->setStateFilter(currentFilter());
    }
  });
  connect(proxy_, &TaskFilterProxy::countsChanged, this, &FilterSidebar::updateCounts);
}

TaskFilterProxy::StateFilter FilterSidebar::currentFilter() const {
  const QListWidgetItem* item = currentItem();
  return item != nullptr
             ? static_cast<TaskFilterProxy::StateFilter>(item->data(kFilterRole).toInt())
             : TaskFilterProxy::All;
}

void FilterSidebar::setCurrentFilter(TaskFilterProxy::StateFilter filter) {
  setCurrentRow(static_cast<int>(filter));
}

void FilterSidebar::updateCounts() {
  for (int row = 0; row < count(); ++row) {
    QListWidgetItem* entry = item(row);
    const auto filter = static_cast<TaskFilterProxy::StateFilter>(entry->data(kFilterRole).toInt());
    const QString text = tr("%1 (%2)").arg(TaskFilterProxy::filterName(filter),
                                           QLocale().toString(proxy_->count(filter)));
    // Setting an unchanged text would still repaint the item.
    if (entry->text() != text) {
      entry->setText(text);
    }
  }
}

QSize FilterSidebar::sizeHint() const {
  // Wide enough for the longest name with a four-digit count, no wider: the
  // table gets the rest, and the user can widen the side bar.
  int widest = 0;
  for (int filter = TaskFilterProxy::All; filter < TaskFilterProxy::FilterCount; ++filter) {
    const QString sample = tr("%1 (%2)").arg(
        TaskFilterProxy::filterName(static_cast<TaskFilterProxy::StateFilter>(filter)),
        QLocale().toString(8888));
    widest = std::max(widest, fontMetrics().horizontalAdvance(sample));
  }
  return {widest + 2 * frameWidth() + 2 * kItemPadding + 8, QListWidget::sizeHint().height()};
}

}  // namespace tributary::ui
