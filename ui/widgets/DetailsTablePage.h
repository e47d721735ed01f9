// Public to ui/: one table tab of the details panel (Peers, Trackers, Files,
// Sources). It shows its table, or a sentence saying why there is none
// for this task: a tab never fills itself with made-up figures.
#pragma once

#include <QStackedWidget>

class QAbstractItemModel;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace tributary::ui {

class DetailsTablePage : public QStackedWidget {
  Q_OBJECT

 public:
  // Sorts `model` through its own proxy by `sortRole`; `stretchColumn` takes
  // the width the others leave.
  DetailsTablePage(QAbstractItemModel* model, int sortRole, int stretchColumn,
                   QWidget* parent = nullptr);

  // Widens `column` to fit `sample`, text as wide as that column usually holds.
  void fitColumnTo(int column, const QString& sample);

  void showTable();
  void showEmpty(const QString& text);

  bool isShowingTable() const;
  QString emptyText() const;
  QTableView* view() const { return view_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }

 private:
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* view_ = nullptr;
  QLabel* empty_ = nullptr;
};

}  // namespace tributary::ui
