// Public to ui/: the user's column layout of one table (which columns show,
// their order, widths and the sort), offered through a menu on the header and
// remembered across restarts under a settings key (AppSettings::headerState).
#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QMenu;
class QPoint;
class QTableView;

namespace tributary::ui {

class HeaderStateKeeper : public QObject {
  Q_OBJECT

 public:
  // Call once `view` has its model and its default widths: restores the
  // layout saved under `key`, if any still fits the model, then saves every
  // change the user makes. The `alwaysShown` columns (those that identify a
  // row) cannot be hidden. Owned by `view`.
  HeaderStateKeeper(QTableView* view, const QString& key, QList<int> alwaysShown = {});

  // Whether the constructor found a saved layout and applied it.
  bool restored() const { return restored_; }

  // The header's context menu: one checkable entry per column that may be
  // hidden. Public so tests can trigger its entries without a popup.
  void fillColumnMenu(QMenu* menu);

  void save();

 private:
  bool restore();
  void showColumnMenu(const QPoint& position);

  QTableView* view_;
  QString key_;
  QList<int> alwaysShown_;
  bool restored_ = false;
  bool restoring_ = false;
};

}  // namespace tributary::ui
