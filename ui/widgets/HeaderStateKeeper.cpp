#include "ui/widgets/HeaderStateKeeper.h"

#include <QHeaderView>
#include <QMenu>
#include <QTableView>

#include "ui/widgets/AppSettings.h"

namespace tributary::ui {

HeaderStateKeeper::HeaderStateKeeper(QTableView* view, const QString& key, QList<int> alwaysShown)
    : QObject(view), view_(view), key_(key), alwaysShown_(std::move(alwaysShown)) {
  QHeaderView* header = view_->horizontalHeader();
  header->setSectionsMovable(true);
  header->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(header, &QWidget::customContextMenuRequested, this, &HeaderStateKeeper::showColumnMenu);
  restored_ = restore();
  // Saved at each change rather than at exit: a header is already gone by the
  // time its children are destroyed, and a crash would lose the layout. A
  // state is a few hundred bytes and QSettings writes to disk lazily. Hiding
  // a column resizes it to 0, so sectionResized covers that too.
  connect(header, &QHeaderView::sectionMoved, this, &HeaderStateKeeper::save);
  connect(header, &QHeaderView::sectionResized, this, &HeaderStateKeeper::save);
  connect(header, &QHeaderView::sortIndicatorChanged, this, &HeaderStateKeeper::save);
}

bool HeaderStateKeeper::restore() {
  const QByteArray state = AppSettings().headerState(key_);
  QHeaderView* header = view_->horizontalHeader();
  if (state.isEmpty() || view_->model() == nullptr) {
    return false;
  }
  restoring_ = true;
  // restoreState refuses a state saved for another number of columns, so a
  // release that adds a column starts from the defaults instead of a mess.
  bool ok = header->restoreState(state);
  if (ok) {
    for (int column : alwaysShown_) {
      header->setSectionHidden(column, false);
    }
    // The header only records the sort; the view must still apply it.
    if (view_->isSortingEnabled()) {
      view_->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    }
  }
  restoring_ = false;
  return ok;
}

void HeaderStateKeeper::save() {
  if (restoring_) {
    return;
  }
  AppSettings().setHeaderState(key_, view_->horizontalHeader()->saveState());
}

void HeaderStateKeeper::fillColumnMenu(QMenu* menu) {
  const QAbstractItemModel* model = view_->model();
  if (model == nullptr) {
    return;
  }
  QHeaderView* header = view_->horizontalHeader();
  // In the order the user sees the columns, not the model's.
  for (int visual = 0; visual < header->count(); ++visual) {
    const int column = header->logicalIndex(visual);
    if (alwaysShown_.contains(column)) {
      continue;
    }
    QAction* action = menu->addAction(model->headerData(column, Qt::Horizontal).toString());
    action->setCheckable(true);
    action->setChecked(!header->isSectionHidden(column));
    action->setData(column);
    connect(action, &QAction::toggled, this, [this, column](bool shown) {
      view_->setColumnHidden(column, !shown);
      save();
    });
  }
}

void HeaderStateKeeper::showColumnMenu(const QPoint& position) {
  QMenu menu(view_);
  fillColumnMenu(&menu);
  if (!menu.isEmpty()) {
    menu.exec(view_->horizontalHeader()->mapToGlobal(position));
  }
}

}  // namespace tributary::ui
