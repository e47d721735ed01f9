#include "ui/widgets/DetailsTablePage.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <algorithm>

namespace tributary::ui {

namespace {
constexpr int kMinColumnWidth = 64;
}  // namespace

DetailsTablePage::DetailsTablePage(QAbstractItemModel* model, int sortRole, int stretchColumn,
                                   QWidget* parent)
    : QStackedWidget(parent) {
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model);
  proxy_->setSortRole(sortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setSortLocaleAware(true);
  // Re-sorts as figures change; rows move, but selection follows them
  // because the model updates rows in place instead of resetting.
  proxy_->setDynamicSortFilter(true);

  view_ = new QTableView(this);
  view_->setModel(proxy_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setAlternatingRowColors(true);
  view_->setShowGrid(false);
  view_->setWordWrap(false);
  view_->setSortingEnabled(true);
  view_->setTextElideMode(Qt::ElideMiddle);
  view_->sortByColumn(-1, Qt::AscendingOrder);  // arrival order until the user picks a column
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  view_->horizontalHeader()->setHighlightSections(false);
  view_->horizontalHeader()->setSortIndicatorShown(true);
  view_->horizontalHeader()->setSectionsMovable(true);
  // Wide enough for each title (translated titles are often the widest
  // text in a column); the user can widen any of them.
  const QFontMetrics headerMetrics(view_->horizontalHeader()->font());
  const int headerPadding = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin) +
                            style()->pixelMetric(QStyle::PM_HeaderMarkSize) + 8;
  for (int column = 0; column < model->columnCount(); ++column) {
    const QString title = model->headerData(column, Qt::Horizontal).toString();
    view_->setColumnWidth(
        column, std::max(kMinColumnWidth, headerMetrics.horizontalAdvance(title) + headerPadding));
  }
  view_->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);

  empty_ = new QLabel(this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setMargin(16);
  empty_->setTextFormat(Qt::PlainText);
  empty_->setForegroundRole(QPalette::PlaceholderText);

  addWidget(view_);
  addWidget(empty_);
  showEmpty({});
}

void DetailsTablePage::fitColumnTo(int column, const QString& sample) {
  constexpr int kCellPadding = 16;
  view_->setColumnWidth(column, std::max(view_->columnWidth(column),
                                         fontMetrics().horizontalAdvance(sample) + kCellPadding));
}

void DetailsTablePage::showTable() {
  setCurrentWidget(view_);
}

void DetailsTablePage::showEmpty(const QString& text) {
  empty_->setText(text);
  setCurrentWidget(empty_);
}

bool DetailsTablePage::isShowingTable() const {
  return currentWidget() == view_;
}

QString DetailsTablePage::emptyText() const {
  return isShowingTable() ? QString() : empty_->text();
}

}  // namespace tributary::ui
